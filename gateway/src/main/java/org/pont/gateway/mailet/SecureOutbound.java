package org.pont.gateway.mailet;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.inject.Inject;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.Domain;
import org.apache.mailet.Mail;
import org.apache.james.core.MailAddress;
import org.apache.mailet.base.GenericMailet;
import org.pont.gateway.config.GatewaySettings;
import org.pont.smime.SmimeException;

/**
 * Outbound (authenticated submission and mail the server itself sends): makes the gateway the
 * organisation's security agent. Mail the user already protected with S/MIME passes unchanged.
 * Otherwise the From address must be in a local domain ({@code SENDER_NOT_LOCAL}); the message is
 * signed with the organisation's signature key (SHA-256) and encrypted for the remote recipients'
 * certificates (plus the organisation's own, so local recipients and the sent copy can be opened).
 * When a remote recipient's certificate is unknown the policy decides: refuse the whole message
 * ({@code ENCRYPTION_REQUIRED}, the default) or send it signed only. Notifications (null sender or
 * {@code multipart/report}) are signed and never refused for want of a certificate.
 */
public final class SecureOutbound extends GenericMailet {

  private final PolicyCrypto crypto;
  private final RecipientCertificates certificates;
  private final GatewaySettings.Policy policy;

  @Inject
  public SecureOutbound(PolicyCrypto crypto, RecipientCertificates certificates, GatewaySettings.Policy policy) {
    this.crypto = crypto;
    this.certificates = certificates;
    this.policy = policy;
  }

  @Override
  public void service(Mail mail) throws MessagingException {
    MimeMessage message = mail.getMessage();
    if (isSmime(message)) {
      PolicyMail.set(mail, PolicyMail.VERDICT, "end-to-end");
      return;
    }
    boolean notification = !mail.hasSender() || message.isMimeType("multipart/report");
    String fromDomain = fromDomain(message);
    if (fromDomain == null || !getMailetContext().isLocalServer(Domain.of(fromDomain))) {
      PolicyMail.refuse(mail, "SENDER_NOT_LOCAL",
          "the From address is not in a domain of this operator, so it cannot sign for it");
      return;
    }
    List<X509Certificate> certs = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (MailAddress r : mail.getRecipients()) {
      if (getMailetContext().isLocalServer(r.getDomain())) {
        continue;
      }
      List<X509Certificate> found = certificates.find(r.asString());
      if (found.isEmpty()) {
        missing.add(r.asString());
      } else {
        certs.addAll(found);
      }
    }
    if (!missing.isEmpty()) {
      if (!notification && policy.unencryptable() == GatewaySettings.Policy.Unencryptable.REFUSE) {
        PolicyMail.refuse(mail, "ENCRYPTION_REQUIRED",
            "no encryption certificate is known for " + String.join(", ", missing) + "; this operator sends encrypted mail only");
        return;
      }
      certs.clear(); // a recipient without a certificate could not read it: sign only, for everyone
    }
    // Kept for the audit trail: once encrypted, the codes are out of sight.
    PolicyMail.set(mail, PolicyMail.DOCUMENT_TYPES, String.join(",", PolicyMail.declaredTypes(message)));
    jakarta.mail.internet.MimeMessage secured;
    try {
      jakarta.mail.internet.MimeMessage in = MimeBridge.toJakarta(message);
      secured = certs.isEmpty() ? crypto.messaging().sign(in) : crypto.messaging().signAndEncrypt(in, certs);
      MimeMessage out = MimeBridge.toJavax(secured);
      PontHeaders.strip(out);
      out.setHeader(PontHeaders.OUTBOUND, certs.isEmpty() ? "signed" : "signed+encrypted");
      mail.setMessage(out);
    } catch (SmimeException e) {
      PolicyMail.refuse(mail, "SMIME_" + e.reason().name(), e.getMessage());
      return;
    } catch (IOException | jakarta.mail.MessagingException e) {
      PolicyMail.refuse(mail, "UNREADABLE", "the message cannot be parsed: " + e.getMessage());
      return;
    }
    PolicyMail.set(mail, PolicyMail.VERDICT, certs.isEmpty() ? "signed" : "signed+encrypted");
  }

  /** Signed or enveloped S/MIME, as client-lib's end-to-end mode sends it. */
  static boolean isSmime(MimeMessage message) throws MessagingException {
    return message.isMimeType("multipart/signed")
        || message.isMimeType("application/pkcs7-mime")
        || message.isMimeType("application/x-pkcs7-mime");
  }

  private static String fromDomain(MimeMessage message) throws MessagingException {
    Address[] from = message.getFrom();
    if (from == null || from.length != 1 || !(from[0] instanceof InternetAddress ia) || ia.getAddress() == null) {
      return null;
    }
    String a = ia.getAddress();
    int at = a.lastIndexOf('@');
    return at < 0 ? null : a.substring(at + 1).toLowerCase(Locale.ROOT);
  }

  @Override
  public String getMailetInfo() {
    return "Pont: sign and encrypt outbound mail as the organisation";
  }
}
