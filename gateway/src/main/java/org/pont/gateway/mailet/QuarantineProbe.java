package org.pont.gateway.mailet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.utils.GuiceProbe;
import org.apache.mailet.Mail;
import org.apache.james.core.MailAddress;

/** Reads the quarantine repository of a running James (tests, and later the REST API). */
public final class QuarantineProbe implements GuiceProbe {

  /** Where refused mail is kept (mailetcontainer.xml's pont-quarantine processor). */
  public static final String URL = "file://var/mail/quarantine/";

  /** One quarantined message as seen from outside: no content. */
  public record Entry(String key, String sender, List<String> recipients, String reason, String reasonHeader,
      String messageId) {}

  private final MailRepositoryStore store;

  @Inject
  QuarantineProbe(MailRepositoryStore store) {
    this.store = store;
  }

  public List<Entry> list() throws Exception {
    MailRepository repo = store.select(MailRepositoryUrl.from(URL));
    List<Entry> out = new ArrayList<>();
    for (Iterator<MailKey> it = repo.list(); it.hasNext(); ) {
      MailKey key = it.next();
      Mail mail;
      try {
        mail = repo.retrieve(key);
      } catch (MessagingException e) {
        // James's file repository locks a key while the quarantine mailet stores it: the entry is
        // half written, it will be listed by the next call.
        if (String.valueOf(e.getMessage()).contains("lock")) {
          continue;
        }
        throw e;
      }
      if (mail == null) {
        continue;
      }
      out.add(new Entry(key.asString(), mail.getMaybeSender().asString("<>"),
          mail.getRecipients().stream().map(MailAddress::asString).toList(),
          PolicyMail.string(mail, PolicyMail.REASON).orElse(""),
          header(mail, PontHeaders.QUARANTINE_REASON), header(mail, "Message-ID")));
    }
    return out;
  }

  private static String header(Mail mail, String name) throws MessagingException {
    String v = mail.getMessage().getHeader(name, ",");
    return v == null ? "" : v;
  }
}
