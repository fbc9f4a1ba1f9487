package org.pont.gateway.mailet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.inject.Inject;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Inbound: refuses mail whose sender domain is outside the trust space. Both the envelope sender's
 * domain and the From header's domain must be trusted (a null sender, a bounce, is judged on its
 * From alone); a message naming no sender domain at all is refused. Refused mail goes to the
 * quarantine processor with reason {@code UNTRUSTED_DOMAIN}.
 */
public final class CheckTrustedDomain extends GenericMailet {

  public static final String REASON = "UNTRUSTED_DOMAIN";

  private final TrustedDomains trusted;

  @Inject
  public CheckTrustedDomain(TrustedDomains trusted) {
    this.trusted = trusted;
  }

  @Override
  public void service(Mail mail) throws MessagingException {
    List<String> domains = new ArrayList<>();
    mail.getMaybeSender().asOptional().ifPresent(s -> domains.add(s.getDomain().asString()));
    domains.addAll(fromDomains(mail));
    if (domains.isEmpty()) {
      PolicyMail.refuse(mail, REASON, "the message names no sender domain");
      return;
    }
    for (String d : domains) {
      if (!trusted.isTrusted(d)) {
        PolicyMail.refuse(mail, REASON, "the sender domain " + d + " is not in the trust space (whitelist)");
        return;
      }
    }
  }

  private static List<String> fromDomains(Mail mail) {
    List<String> out = new ArrayList<>();
    try {
      Address[] from = mail.getMessage().getFrom();
      if (from != null) {
        for (Address a : from) {
          if (a instanceof InternetAddress ia && ia.getAddress() != null && ia.getAddress().contains("@")) {
            out.add(ia.getAddress().substring(ia.getAddress().lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (MessagingException e) {
      out.add("(unreadable From header)");
    }
    return out;
  }

  @Override
  public String getMailetInfo() {
    return "Pont: refuse mail from domains outside the trust space";
  }
}
