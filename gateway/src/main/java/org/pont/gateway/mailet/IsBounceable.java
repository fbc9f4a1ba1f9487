package org.pont.gateway.mailet;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.james.core.MailAddress;
import org.apache.mailet.base.GenericMatcher;
import org.pont.tracking.LoopPrevention;

/**
 * Matches mail whose sender may be told of a refusal: it has a sender (not {@code <>}), is not a
 * report (DSN or MDN, {@code multipart/report}, also inside an S/MIME signature) and was not sent
 * automatically ({@code Auto-Submitted} other than {@code no}), nor is list or bulk mail — the
 * whole of client-lib's {@link LoopPrevention}. Never bounce a bounce: that is how mail loops start.
 */
public final class IsBounceable extends GenericMatcher {

  @Override
  public Collection<MailAddress> match(Mail mail) throws MessagingException {
    return bounceable(mail) ? mail.getRecipients() : List.of();
  }

  static boolean bounceable(Mail mail) throws MessagingException {
    if (!mail.hasSender()) {
      return false;
    }
    if (mail.getMessage().isMimeType("multipart/report")) {
      return false;
    }
    String auto = mail.getMessage().getHeader("Auto-Submitted", null);
    if (auto != null && !auto.strip().toLowerCase(Locale.ROOT).startsWith("no")) {
      return false;
    }
    try {
      // the same rule the client library applies: a signed report, Precedence: bulk, List-Id...
      return LoopPrevention.mayNotify(MimeBridge.toJakarta(mail.getMessage()));
    } catch (IOException | jakarta.mail.MessagingException e) {
      return false; // an unreadable message is never answered
    }
  }
}
