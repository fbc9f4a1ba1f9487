package org.pont.smime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.asn1.smime.SMIMEEncryptionKeyPreferenceAttribute;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;
import org.bouncycastle.mail.smime.SMIMEUtil;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs messages as RFC 8551 multipart/signed (detached, SHA-256), with the signing time, the
 * signer's capabilities (AES-256-GCM preferred) and, when known, its encryption-key preference.
 * Thread-safe: holds only immutable state.
 */
public final class SmimeSigner {
  private static final org.bouncycastle.operator.DigestCalculatorProvider DIGESTS = BufferedDigests.preferringJdk();

  private final KeyCredential signer;
  private final Optional<X509Certificate> encryptionCertificate;
  private final Clock clock;

  private SmimeSigner(KeyCredential signer, Optional<X509Certificate> encryptionCertificate, Clock clock) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.encryptionCertificate = encryptionCertificate;
    this.clock = clock;
  }

  /** A signer with the given signature credential. */
  public static SmimeSigner of(KeyCredential signer) {
    return new SmimeSigner(signer, Optional.empty(), Clock.systemUTC());
  }

  /** Also announce which certificate peers should encrypt replies to (RFC 8551 2.5.3). */
  public SmimeSigner withEncryptionCertificate(X509Certificate cert) {
    return new SmimeSigner(signer, Optional.of(cert), clock);
  }

  /** For tests and replays: the clock that dates the signature. */
  public SmimeSigner withClock(Clock c) {
    return new SmimeSigner(signer, encryptionCertificate, c);
  }

  /**
   * Returns a new message whose body is multipart/signed over the original content entity; the
   * envelope headers (From, To, Subject, Message-ID...) are kept. The signature is computed while
   * the result is written, so large bodies stream.
   *
   * @throws SmimeException SIGNER_CERTIFICATE_UNUSABLE if our certificate is expired or lacks the
   *     signature usage; MESSAGE_UNREADABLE if the message cannot be read
   */
  public MimeMessage sign(MimeMessage message) throws SmimeException {
    X509Certificate cert = signer.certificate();
    Date now = Date.from(clock.instant());
    if (now.after(cert.getNotAfter()) || now.before(cert.getNotBefore())) {
      throw new SmimeException(SmimeException.Reason.SIGNER_CERTIFICATE_UNUSABLE,
          "our signing certificate " + Certificates.describe(cert) + " is valid from "
              + Certificates.day(cert.getNotBefore()) + " to " + Certificates.day(cert.getNotAfter())
              + ": renew it before sending");
    }
    if (!Certificates.allowsMailSignature(cert)) {
      throw new SmimeException(SmimeException.Reason.SIGNER_CERTIFICATE_UNUSABLE,
          "certificate " + Certificates.describe(cert)
              + " does not allow mail signature (keyUsage digitalSignature/nonRepudiation, EKU emailProtection): use the signature certificate, not the encryption or TLS one");
    }
    try {
      MimeBodyPart content = MimeSupport.contentEntity(message, true);
      MimeMultipart signed = generator(now).generate(content);
      return MimeSupport.rewrap(message, signed);
    } catch (MessagingException | org.bouncycastle.mail.smime.SMIMEException e) {
      throw new SmimeException(SmimeException.Reason.MESSAGE_UNREADABLE, "cannot sign the message: " + e.getMessage(), e);
    }
  }

  private SMIMESignedGenerator generator(Date now) throws SmimeException {
    try {
      ASN1EncodableVector attributes = new ASN1EncodableVector();
      SMIMECapabilityVector caps = new SMIMECapabilityVector();
      caps.addCapability(CMSAlgorithm.AES256_GCM);
      caps.addCapability(CMSAlgorithm.AES256_CBC);
      caps.addCapability(SMIMECapability.aES128_CBC);
      attributes.add(new SMIMECapabilitiesAttribute(caps));
      if (encryptionCertificate.isPresent()) {
        attributes.add(new SMIMEEncryptionKeyPreferenceAttribute(
            SMIMEUtil.createIssuerAndSerialNumberFor(encryptionCertificate.get())));
      }
      attributes.add(new org.bouncycastle.asn1.cms.Attribute(CMSAttributes.signingTime,
          new org.bouncycastle.asn1.DERSet(new Time(now))));
      String algorithm = "EC".equals(signer.privateKey().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
      SMIMESignedGenerator gen = new SMIMESignedGenerator(SMIMESignedGenerator.RFC5751_MICALGS);
      // What JcaSimpleSignerInfoGeneratorBuilder builds, with digests fed through a buffer (see BufferedDigests).
      gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(DIGESTS)
          .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
          .build(new JcaContentSignerBuilder(algorithm).setProvider(Bc.PROVIDER).build(signer.privateKey()),
              signer.certificate()));
      gen.addCertificates(new JcaCertStore(signer.chainWithoutRoot()));
      return gen;
    } catch (OperatorCreationException | CertificateEncodingException | java.security.cert.CertificateParsingException e) {
      throw new SmimeException(SmimeException.Reason.SIGNER_CERTIFICATE_UNUSABLE,
          "cannot sign with " + Certificates.describe(signer.certificate()) + ": " + e.getMessage(), e);
    }
  }
}
