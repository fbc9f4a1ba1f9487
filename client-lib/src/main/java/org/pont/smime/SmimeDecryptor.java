package org.pont.smime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;

/**
 * Opens S/MIME envelopes (EnvelopedData and AuthEnvelopedData) with our decryption keys. The
 * result is the original message again: the envelope's headers (From, To, Subject, Message-ID...)
 * around the decrypted content entity, which may itself be signed.
 */
public final class SmimeDecryptor {
  private final List<KeyCredential> keys;

  private SmimeDecryptor(List<KeyCredential> keys) {
    this.keys = List.copyOf(keys);
    if (this.keys.isEmpty()) {
      throw new IllegalArgumentException("a decryptor needs at least one key");
    }
  }

  /** A decryptor that tries each of our encryption credentials (e.g. current and previous). */
  public static SmimeDecryptor of(List<KeyCredential> keys) {
    return new SmimeDecryptor(keys);
  }

  public static SmimeDecryptor of(KeyCredential key) {
    return new SmimeDecryptor(List.of(key));
  }

  /** True when the message's body is an S/MIME envelope (enveloped-data or authEnveloped-data). */
  public static boolean isEncrypted(MimeMessage message) throws MessagingException {
    String type = MimeSupport.baseType(message);
    if (!type.equals("application/pkcs7-mime") && !type.equals("application/x-pkcs7-mime")) {
      return false;
    }
    String smimeType = smimeType(message);
    return smimeType == null || smimeType.equals("enveloped-data") || smimeType.equals("authenveloped-data");
  }

  /**
   * Decrypts the message.
   *
   * @throws SmimeException NOT_ENCRYPTED (not an envelope), NOT_FOR_THIS_RECIPIENT (none of our
   *     keys), MALFORMED (broken CMS or base64), DECRYPTION_FAILED (altered ciphertext or tag)
   */
  public MimeMessage decrypt(MimeMessage message) throws SmimeException {
    try {
      if (!isEncrypted(message)) {
        throw new SmimeException(SmimeException.Reason.NOT_ENCRYPTED,
            "the message is not S/MIME encrypted (Content-Type " + MimeSupport.baseType(message) + ")");
      }
    } catch (MessagingException e) {
      throw new SmimeException(SmimeException.Reason.MALFORMED, "unreadable Content-Type: " + e.getMessage(), e);
    }
    ASN1ObjectIdentifier contentType = contentType(message);
    boolean authenticated = CMSObjectIdentifiers.authEnvelopedData.equals(contentType);
    if (!authenticated && !CMSObjectIdentifiers.envelopedData.equals(contentType)) {
      throw new SmimeException(SmimeException.Reason.NOT_ENCRYPTED,
          "the S/MIME body holds CMS " + contentType + ", not enveloped or authEnveloped data");
    }
    SpillBuffer out = new SpillBuffer();
    try (InputStream in = message.getInputStream()) {
      RecipientInformationStore recipients = authenticated
          ? new CMSAuthEnvelopedDataParser(in).getRecipientInfos()
          : new CMSEnvelopedDataParser(in).getRecipientInfos();
      for (KeyCredential key : keys) {
        RecipientInformation info = recipients.get(recipientId(key.certificate()));
        if (info != null) {
          writeEnvelopeHeaders(message, out);
          CMSTypedStream content = info.getContentStream(recipient(key, authenticated));
          try (InputStream plain = content.getContentStream()) {
            // For GCM the tag is checked when the stream ends: nothing is parsed before that.
            plain.transferTo(out);
          }
          return out.toMessage();
        }
      }
      out.discard();
      throw new SmimeException(SmimeException.Reason.NOT_FOR_THIS_RECIPIENT,
          "the message was encrypted for " + recipients.size() + " recipient(s), none of them "
              + describeKeys() + ": it is not addressed to us, or we lack the current key");
    } catch (CMSException e) {
      out.discard();
      if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("mac")) {
        throw decryptionFailed(e);
      }
      throw new SmimeException(SmimeException.Reason.DECRYPTION_FAILED,
          "cannot decrypt the content key or content: " + e.getMessage(), e);
    } catch (IOException e) {
      out.discard();
      if (e.getClass().getName().contains("InvalidCipherText") || (e.getCause() != null
          && e.getCause().getClass().getName().contains("InvalidCipherText"))) {
        throw decryptionFailed(e);
      }
      throw new SmimeException(SmimeException.Reason.MALFORMED,
          "the encrypted body is truncated or not valid CMS: " + e.getMessage(), e);
    } catch (MessagingException | RuntimeException e) {
      out.discard();
      throw new SmimeException(SmimeException.Reason.MALFORMED, "cannot read the encrypted body: " + e.getMessage(), e);
    }
  }

  private static SmimeException decryptionFailed(Exception e) {
    return new SmimeException(SmimeException.Reason.DECRYPTION_FAILED,
        "the encrypted content failed its integrity check: it was altered in transit", e);
  }

  private String describeKeys() {
    StringBuilder sb = new StringBuilder("matches our key");
    sb.append(keys.size() == 1 ? " " : "s ");
    for (int i = 0; i < keys.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(Certificates.describe(keys.get(i).certificate()));
    }
    return sb.toString();
  }

  private static ASN1ObjectIdentifier contentType(MimeMessage message) throws SmimeException {
    try (InputStream in = message.getInputStream()) {
      Object first = new ASN1StreamParser(in).readObject();
      if (!(first instanceof ASN1SequenceParser seq)) {
        throw new SmimeException(SmimeException.Reason.MALFORMED, "the S/MIME body is not a CMS ContentInfo");
      }
      return new ContentInfoParser(seq).getContentType();
    } catch (IOException | MessagingException | RuntimeException e) {
      throw new SmimeException(SmimeException.Reason.MALFORMED,
          "the S/MIME body is not valid CMS (bad base64 or truncated): " + e.getMessage(), e);
    }
  }

  private static RecipientId recipientId(X509Certificate cert) {
    return "EC".equals(cert.getPublicKey().getAlgorithm())
        ? new JceKeyAgreeRecipientId(cert) : new JceKeyTransRecipientId(cert);
  }

  private static Recipient recipient(KeyCredential key, boolean authenticated) {
    boolean ec = "EC".equals(key.privateKey().getAlgorithm());
    if (ec) {
      return authenticated
          ? new JceKeyAgreeAuthEnvelopedRecipient(key.privateKey()).setProvider(Bc.PROVIDER)
          : new JceKeyAgreeEnvelopedRecipient(key.privateKey()).setProvider(Bc.PROVIDER);
    }
    return authenticated
        ? new JceKeyTransAuthEnvelopedRecipient(key.privateKey()).setProvider(Bc.PROVIDER)
        : new JceKeyTransEnvelopedRecipient(key.privateKey()).setProvider(Bc.PROVIDER);
  }

  /** Writes the envelope's own headers (not its Content-* ones) ahead of the decrypted entity. */
  static void writeEnvelopeHeaders(MimeMessage message, OutputStream out) throws MessagingException, IOException {
    for (Enumeration<String> lines = message.getAllHeaderLines(); lines.hasMoreElements(); ) {
      String line = lines.nextElement();
      int colon = line.indexOf(':');
      if (colon > 0 && MimeSupport.isContentHeader(line.substring(0, colon).strip())) {
        continue;
      }
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.write('\r');
      out.write('\n');
    }
  }

  static String smimeType(MimeMessage message) throws MessagingException {
    String ct = message.getContentType();
    try {
      String v = new jakarta.mail.internet.ContentType(ct).getParameter("smime-type");
      return v == null ? null : v.toLowerCase(Locale.ROOT);
    } catch (jakarta.mail.internet.ParseException e) {
      return null;
    }
  }
}
