package org.pont.gateway.mailet;

import java.io.IOException;
import java.util.List;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.pont.gateway.config.GatewaySettings;
import org.pont.mssante.MssanteException;
import org.pont.mssante.MssanteMessageReader;
import org.pont.mssante.ReceivedMessage;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SignatureVerdict;
import org.pont.smime.SmimeException;

/**
 * Inbound: opens S/MIME with the organisation's keys and delivers the opened message with the
 * gateway's verdict as headers. In order: every incoming {@code X-Pont-*} header is dropped (a
 * sender cannot forge a verdict); an encrypted message is decrypted with the domain's encryption
 * key; the signature is checked against the trust anchors (chain, dates, CRL, signer = From);
 * the XDM/CDA documents are read (one patient, INS present). Any failure sends the original,
 * unopened message to the quarantine processor with a reason:
 * {@code UNDECRYPTABLE}, {@code UNSIGNED} (unless the policy
 * delivers unsigned mail), {@code SIGNATURE_<VerdictReason>}, {@code MSSANTE_<Reason>}. Mail encrypted
 * end to end for someone else than this domain's key passes intact, marked {@code X-Pont-Encrypted:
 * end-to-end}: the recipient's software decrypts and verifies it.
 */
public final class OpenSecureMessage extends GenericMailet {

  private final PolicyCrypto crypto;
  private final GatewaySettings.Policy policy;
  private final MssanteMessageReader reader = MssanteMessageReader.withDefaults();

  @Inject
  public OpenSecureMessage(PolicyCrypto crypto, GatewaySettings.Policy policy) {
    this.crypto = crypto;
    this.policy = policy;
  }

  private static final int MAX_NESTED_SIGNATURES = 3;

  @Override
  public void service(Mail mail) throws MessagingException {
    OpenedMessage opened;
    try {
      opened = crypto.messaging().open(MimeBridge.toJakarta(mail.getMessage()));
    } catch (SmimeException e) {
      if (e.reason() == SmimeException.Reason.NOT_FOR_THIS_RECIPIENT) {
        // End-to-end S/MIME (a person's own certificate, ARCHITECTURE decision 3): the gateway cannot
        // and must not open it; it passes intact and the recipient's software decrypts and verifies.
        javax.mail.internet.MimeMessage original = mail.getMessage();
        PontHeaders.strip(original);
        original.setHeader(PontHeaders.ENCRYPTED, "end-to-end");
        original.setHeader(PontHeaders.SIGNATURE, SignatureHeader.endToEnd().value());
        original.saveChanges();
        PolicyMail.set(mail, PolicyMail.VERDICT, "END_TO_END");
        return;
      }
      PolicyMail.refuse(mail, "UNDECRYPTABLE", e.getMessage());
      return;
    } catch (IOException | jakarta.mail.MessagingException e) {
      PolicyMail.refuse(mail, "UNREADABLE", "the message cannot be parsed: " + e.getMessage());
      return;
    }
    SignatureVerdict verdict = opened.signature();
    if (!verdict.isSigned()) {
      if (policy.unsigned() == GatewaySettings.Policy.Unsigned.QUARANTINE) {
        PolicyMail.refuse(mail, "UNSIGNED", "the message carries no S/MIME signature; this operator accepts signed mail only");
        return;
      }
    } else if (!verdict.isValid()) {
      PolicyMail.refuse(mail, "SIGNATURE_" + verdict.reason().name(), verdict.message());
      return;
    }
    // A signed message may carry another signed message (found by the hostile corpus: a tampered
    // signed message signed again was delivered as VALID). The outer signature says nothing about
    // the inner one, so every layer is verified, to a bound, and the innermost verdict is the one shown.
    for (int layer = 0; verdict.isSigned(); layer++) {
      OpenedMessage inner;
      try {
        if (!isSigned(opened.content())) {
          break;
        }
        if (layer == MAX_NESTED_SIGNATURES) {
          PolicyMail.refuse(mail, "SIGNATURE_MALFORMED", "more than " + MAX_NESTED_SIGNATURES + " signatures nested in one another");
          return;
        }
        inner = crypto.messaging().open(opened.content());
      } catch (SmimeException e) {
        PolicyMail.refuse(mail, "SIGNATURE_MALFORMED", "the inner signed message cannot be opened: " + e.getMessage());
        return;
      } catch (jakarta.mail.MessagingException e) {
        PolicyMail.refuse(mail, "UNREADABLE", "the inner signed message cannot be parsed: " + e.getMessage());
        return;
      }
      if (!inner.signature().isValid()) {
        PolicyMail.refuse(mail, "SIGNATURE_" + inner.signature().reason().name(), "inner signature: " + inner.signature().message());
        return;
      }
      opened = new OpenedMessage(opened.wasEncrypted(), inner.signature(), inner.content());
      verdict = inner.signature();
    }
    ReceivedMessage read;
    try {
      read = reader.read(opened.content());
    } catch (MssanteException e) {
      PolicyMail.refuse(mail, "MSSANTE_" + e.reason().name(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      // A parser failing in a way it does not report (a library bug, or ours) must still quarantine
      // with a reason: thrown out of the mailet, the mail would land in James's error repository.
      PolicyMail.refuse(mail, "MSSANTE_MALFORMED_MIME", "the message could not be read (" + e.getClass().getSimpleName() + ")");
      return;
    }
    javax.mail.internet.MimeMessage out;
    try {
      out = MimeBridge.toJavax(opened.content());
    } catch (IOException | jakarta.mail.MessagingException e) {
      throw new MessagingException("cannot carry the opened message back to James: " + e.getMessage(), e);
    }
    PontHeaders.strip(out);
    String verdictValue = (verdict.isSigned()
        ? SignatureHeader.valid(verdict.signerAddress().orElse("?"), verdict.binding())
        : SignatureHeader.notSigned()).value();
    List<String> codes = read.cdaDocuments().stream().map(c -> c.code().code()).distinct().toList();
    out.setHeader(PontHeaders.SIGNATURE, verdictValue);
    out.setHeader(PontHeaders.ENCRYPTED, opened.wasEncrypted() ? "yes" : "no");
    out.setHeader(PontHeaders.PATIENT_INS, read.message().patient().isPresent() ? "present" : "absent");
    if (!codes.isEmpty()) {
      out.setHeader(PontHeaders.DOCUMENT_TYPES, String.join(", ", codes));
    }
    mail.setMessage(out);
    PolicyMail.set(mail, PolicyMail.VERDICT, verdict.isSigned() ? verdict.reason().name() : "NOT_SIGNED");
    PolicyMail.set(mail, PolicyMail.DOCUMENT_TYPES, String.join(",", codes));
  }

  @Override
  public String getMailetInfo() {
    return "Pont: decrypt, verify and read inbound S/MIME, deliver it opened with verdict headers";
  }

  private static boolean isSigned(jakarta.mail.internet.MimeMessage m) throws jakarta.mail.MessagingException {
    if (m.isMimeType("multipart/signed")) {
      return true;
    }
    if (m.isMimeType("application/pkcs7-mime") || m.isMimeType("application/x-pkcs7-mime")) {
      String type = new jakarta.mail.internet.ContentType(m.getContentType()).getParameter("smime-type");
      return type != null && type.equalsIgnoreCase("signed-data");
    }
    return false;
  }
}
