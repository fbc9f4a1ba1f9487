package org.pont.tracking;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a received message may be answered with a notification (MDN or DSN). Never answer a
 * notification with a notification (RFC 3464 §2, RFC 8098 §2.1), an automatic message (RFC 3834
 * {@code Auto-Submitted}), a message with a null return path, or list/bulk mail ({@code Precedence: bulk|junk|list}, or a
 * {@code List-Id}, RFC 3834 §2).
 */
public final class LoopPrevention {
  private LoopPrevention() {}

  /** True only when none of the reasons in {@link #whyNot(MimeMessage)} applies. */
  public static boolean mayNotify(MimeMessage received) {
    return whyNot(received).isEmpty();
  }

  /** The reason not to notify, if there is one; an unreadable message is never answered. */
  public static Optional<String> whyNot(MimeMessage received) {
    try {
      if (NotificationParser.isNotification(received)) {
        return Optional.of("the message is itself a delivery or disposition notification");
      }
      String auto = received.getHeader("Auto-Submitted", null);
      if (auto != null) {
        String keyword = auto.replaceAll("\\(.*?\\)", "").split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!keyword.equals("no")) {
          return Optional.of("the message is automatic (Auto-Submitted: " + auto.strip() + ")");
        }
      }
      String[] returnPaths = received.getHeader("Return-Path");
      if (returnPaths != null) {
        for (String rp : returnPaths) {
          if (rp.replaceAll("\\s", "").equals("<>")) {
            return Optional.of("the message has a null return path (<>)");
          }
        }
      }
      String precedence = received.getHeader("Precedence", null);
      if (precedence != null) {
        String p = precedence.strip().toLowerCase(Locale.ROOT);
        if (p.equals("bulk") || p.equals("junk") || p.equals("list")) {
          return Optional.of("the message is list or bulk mail (Precedence: " + p + ")");
        }
      }
      if (received.getHeader("List-Id", null) != null) {
        return Optional.of("the message comes from a mailing list (List-Id)");
      }
      return Optional.empty();
    } catch (MessagingException | RuntimeException e) {
      return Optional.of("the message headers cannot be read: " + e.getMessage());
    }
  }
}
