package org.pont.smime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.mail.smime.SMIMEAuthEnvelopedGenerator;
import org.bouncycastle.mail.smime.SMIMEEnvelopedGenerator;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

/**
 * Encrypts a message for one or more recipients in a single envelope (RFC 8551
 * application/pkcs7-mime). RSA recipients get the content key by OAEP or PKCS#1 v1.5 key
 * transport, EC recipients by ephemeral-static ECDH. Each recipient certificate is checked first
 * (validity, key usage) so that a message never leaves unreadable for one of them.
 */
public final class SmimeEncryptor {
  private final EncryptionOptions options;
  private final Clock clock;

  private SmimeEncryptor(EncryptionOptions options, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static SmimeEncryptor of(EncryptionOptions options) {
    return new SmimeEncryptor(options, Clock.systemUTC());
  }

  public static SmimeEncryptor withDefaults() {
    return of(EncryptionOptions.DEFAULT);
  }

  public SmimeEncryptor withClock(Clock c) {
    return new SmimeEncryptor(options, c);
  }

  /**
   * Returns a new message whose body is the original content entity encrypted for every
   * recipient certificate; envelope headers are kept. Encryption runs while the result is
   * written, so large bodies stream.
   *
   * @throws SmimeException NO_RECIPIENTS, RECIPIENT_CERTIFICATE_EXPIRED,
   *     RECIPIENT_CERTIFICATE_WRONG_USAGE, RECIPIENT_KEY_UNSUPPORTED, MESSAGE_UNREADABLE
   */
  public MimeMessage encrypt(MimeMessage message, List<X509Certificate> recipients) throws SmimeException {
    if (recipients.isEmpty()) {
      throw new SmimeException(SmimeException.Reason.NO_RECIPIENTS, "no recipient certificate to encrypt for");
    }
    Date now = Date.from(clock.instant());
    SMIMEEnvelopedGenerator gen = options.cipher() == ContentCipher.AES_256_GCM
        ? new SMIMEAuthEnvelopedGenerator() : new SMIMEEnvelopedGenerator();
    for (X509Certificate cert : recipients) {
      check(cert, now);
      gen.addRecipientInfoGenerator(recipientInfo(cert));
    }
    try {
      OutputEncryptor encryptor = new JceCMSContentEncryptorBuilder(
              options.cipher() == ContentCipher.AES_256_GCM ? CMSAlgorithm.AES256_GCM : CMSAlgorithm.AES256_CBC)
          .setProvider(Bc.PROVIDER)
          .build();
      MimeBodyPart envelope = gen.generate(MimeSupport.contentEntity(message, false), encryptor);
      return MimeSupport.rewrap(message, envelope);
    } catch (CMSException e) {
      throw new SmimeException(SmimeException.Reason.RECIPIENT_KEY_UNSUPPORTED, "cannot set up encryption: " + e.getMessage(), e);
    } catch (MessagingException | org.bouncycastle.mail.smime.SMIMEException e) {
      throw new SmimeException(SmimeException.Reason.MESSAGE_UNREADABLE, "cannot encrypt the message: " + e.getMessage(), e);
    }
  }

  private static void check(X509Certificate cert, Date now) throws SmimeException {
    String who = String.join(", ", Certificates.emailAddresses(cert).isEmpty()
        ? Certificates.dnsNames(cert) : Certificates.emailAddresses(cert));
    if (now.after(cert.getNotAfter())) {
      throw new SmimeException(SmimeException.Reason.RECIPIENT_CERTIFICATE_EXPIRED,
          "recipient certificate for " + who + " " + Certificates.describe(cert) + " expired on "
              + Certificates.day(cert.getNotAfter()) + ": ask for the current one (directory lookup)");
    }
    if (now.before(cert.getNotBefore())) {
      throw new SmimeException(SmimeException.Reason.RECIPIENT_CERTIFICATE_EXPIRED,
          "recipient certificate for " + who + " " + Certificates.describe(cert) + " is not valid before "
              + Certificates.day(cert.getNotBefore()));
    }
    if (!Certificates.allowsMailEncryption(cert)) {
      throw new SmimeException(SmimeException.Reason.RECIPIENT_CERTIFICATE_WRONG_USAGE,
          "recipient certificate for " + who + " " + Certificates.describe(cert)
              + " does not allow encryption (keyEncipherment/keyAgreement, EKU emailProtection): use their encryption certificate");
    }
  }

  private RecipientInfoGenerator recipientInfo(X509Certificate cert) throws SmimeException {
    try {
      String alg = cert.getPublicKey().getAlgorithm();
      if ("RSA".equals(alg)) {
        if (options.keyTransport() == KeyTransport.RSA_OAEP) {
          OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
          return new JceKeyTransRecipientInfoGenerator(cert,
                  new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, oaep))
              .setProvider(Bc.PROVIDER);
        }
        return new JceKeyTransRecipientInfoGenerator(cert).setProvider(Bc.PROVIDER);
      }
      if ("EC".equals(alg)) {
        // Ephemeral-static ECDH (RFC 5753): a fresh key pair on the recipient's curve for each message.
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
        kpg.initialize(((ECPublicKey) cert.getPublicKey()).getParams());
        KeyPair ephemeral = kpg.generateKeyPair();
        return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
            .setProvider(Bc.PROVIDER)
            .addRecipient(cert);
      }
      throw new SmimeException(SmimeException.Reason.RECIPIENT_KEY_UNSUPPORTED,
          "recipient certificate " + Certificates.describe(cert) + " has a " + alg + " key: only RSA and EC keys can receive encrypted mail");
    } catch (GeneralSecurityException e) {
      throw new SmimeException(SmimeException.Reason.RECIPIENT_KEY_UNSUPPORTED,
          "cannot use recipient certificate " + Certificates.describe(cert) + ": " + e.getMessage(), e);
    }
  }
}
