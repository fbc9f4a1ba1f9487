package org.pont.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pont.smime.Fixtures.*;

import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each way a received message can be wrong yields its own reason, never an unhandled exception. */
class SmimeBadInputTest {
  private static final String TEXT = "Merci de prendre en charge Mme X pour reeducation du genou.\r\n";

  private final SmimeVerifier verifier = SmimeVerifier.of(trust(rsa()));

  private static MimeMessage signedByDurand() throws Exception {
    return SmimeSigner.of(key(rsa().person(DR_DURAND).signature())).sign(textMessage(DR_DURAND, DR_MARTIN, TEXT));
  }

  private static String wire(MimeMessage m) throws Exception {
    return new String(bytes(m), StandardCharsets.ISO_8859_1);
  }

  private static MimeMessage fromWire(String s) throws Exception {
    return parse(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The base64 body of the application/pkcs7-signature part. */
  private static final Pattern SIGNATURE_BODY =
      Pattern.compile("(Content-Type: application/pkcs7-signature[^\\r]*\\r\\n(?:[^\\r]+\\r\\n)*\\r\\n)([A-Za-z0-9+/=\\r\\n]+?)(\\r\\n--)");

  @Test
  void aValidSignatureIsTheBaseline() throws Exception {
    assertThat(verifier.verify(reparse(signedByDurand())).reason()).isEqualTo(VerdictReason.VALID);
  }

  @Test
  void aBodyChangedAfterSigningIsTampered() throws Exception {
    String tampered = wire(signedByDurand()).replace("genou", "coude");

    SignatureVerdict v = verifier.verify(fromWire(tampered));

    assertThat(v.reason()).isEqualTo(VerdictReason.CONTENT_TAMPERED);
    assertThat(v.message()).contains("changed after it was signed");
  }

  @Test
  void aSignerWhoIsNotTheSenderIsAMismatch() throws Exception {
    MimeMessage m = SmimeSigner.of(key(rsa().person(DR_MARTIN).signature())).sign(textMessage(DR_DURAND, DR_MARTIN, TEXT));

    SignatureVerdict v = verifier.verify(reparse(m));

    assertThat(v.reason()).isEqualTo(VerdictReason.SIGNER_MISMATCH);
    assertThat(v.message()).contains(DR_DURAND).contains(DR_MARTIN);
  }

  @Test
  void aCertificateFromAnotherRootIsUntrusted() throws Exception {
    MimeMessage m = SmimeSigner.of(key(stranger().person(DR_DURAND).signature())).sign(textMessage(DR_DURAND, DR_MARTIN, TEXT));

    SignatureVerdict v = verifier.verify(reparse(m));

    assertThat(v.reason()).isEqualTo(VerdictReason.UNTRUSTED);
    assertThat(v.message()).contains("does not chain to a trusted authority");
  }

  @Test
  void aCertificateExpiredAtSigningTimeIsExpired() throws Exception {
    KeyCredential expired = key(rsa().expired());
    String from = Certificates.emailAddresses(expired.certificate()).get(0);
    MimeMessage m = RawSmime.sign(textMessage(from, DR_MARTIN, TEXT), expired, Instant.now(), true);

    SignatureVerdict v = verifier.verify(reparse(m));

    assertThat(v.reason()).isEqualTo(VerdictReason.EXPIRED);
    assertThat(v.message()).contains("expired on");
  }

  @Test
  void aRevokedCertificateIsRevoked() throws Exception {
    KeyCredential revoked = key(rsa().revoked());
    String from = Certificates.emailAddresses(revoked.certificate()).get(0);
    MimeMessage m = SmimeSigner.of(revoked).sign(textMessage(from, DR_MARTIN, TEXT));

    SignatureVerdict v = verifier.verify(reparse(m));

    assertThat(v.reason()).isEqualTo(VerdictReason.REVOKED);
    assertThat(v.message()).contains("was revoked on");
  }

  @Test
  void withoutACrlRevocationIsUnknownUnderTheDefaultPolicy() throws Exception {
    SmimeVerifier noCrls = SmimeVerifier.of(TrustAnchors.of(rsa().trustAnchors(), rsa().intermediates(), List.of()));

    SignatureVerdict v = noCrls.verify(reparse(signedByDurand()));

    assertThat(v.reason()).isEqualTo(VerdictReason.REVOCATION_UNKNOWN);
    assertThat(noCrls.withRevocationPolicy(RevocationPolicy.CHECK_IF_AVAILABLE).verify(reparse(signedByDurand())).reason())
        .isEqualTo(VerdictReason.VALID);
  }

  @Test
  void anEncryptionCertificateUsedToSignHasTheWrongKeyUsage() throws Exception {
    MimeMessage m = RawSmime.sign(textMessage(DR_DURAND, DR_MARTIN, TEXT), key(rsa().person(DR_DURAND).encryption()), Instant.now(), true);

    SignatureVerdict v = verifier.verify(reparse(m));

    assertThat(v.reason()).isEqualTo(VerdictReason.WRONG_KEY_USAGE);
  }

  @Test
  void aSignatureMadeWithAnotherKeyIsInvalid() throws Exception {
    // Durand's certificate, Martin's private key: what a forger without Durand's key can do.
    KeyCredential forged = KeyCredential.of(rsa().person(DR_MARTIN).signature().privateKey(),
        rsa().person(DR_DURAND).signature().certificate(), rsa().person(DR_DURAND).signature().chain());
    MimeMessage m = RawSmime.sign(textMessage(DR_DURAND, DR_MARTIN, TEXT), forged, Instant.now(), true);

    assertThat(verifier.verify(reparse(m)).reason()).isEqualTo(VerdictReason.SIGNATURE_INVALID);
  }

  @Test
  void aSignatureWithoutTheSignersCertificateCannotBeChecked() throws Exception {
    MimeMessage m = RawSmime.sign(textMessage(DR_DURAND, DR_MARTIN, TEXT), key(rsa().person(DR_DURAND).signature()), Instant.now(), false);

    assertThat(verifier.verify(reparse(m)).reason()).isEqualTo(VerdictReason.SIGNER_CERTIFICATE_MISSING);
  }

  @Test
  void aSigningTimeInTheFutureIsNotYetValid() throws Exception {
    MimeMessage m = RawSmime.sign(textMessage(DR_DURAND, DR_MARTIN, TEXT), key(rsa().person(DR_DURAND).signature()),
        Instant.now().plus(2, ChronoUnit.DAYS), true);

    assertThat(verifier.verify(reparse(m)).reason()).isEqualTo(VerdictReason.NOT_YET_VALID);
  }

  @Test
  void aTruncatedSignatureIsMalformed() throws Exception {
    Matcher sig = SIGNATURE_BODY.matcher(wire(signedByDurand()));
    assertThat(sig.find()).isTrue();
    String body = sig.group(2);
    String truncated = sig.replaceFirst(Matcher.quoteReplacement(sig.group(1) + body.substring(0, body.length() / 2) + sig.group(3)));

    SignatureVerdict v = verifier.verify(fromWire(truncated));

    assertThat(v.reason()).isEqualTo(VerdictReason.MALFORMED);
  }

  @Test
  void brokenBase64InTheSignatureIsMalformed() throws Exception {
    Matcher sig = SIGNATURE_BODY.matcher(wire(signedByDurand()));
    assertThat(sig.find()).isTrue();
    String broken = sig.replaceFirst(Matcher.quoteReplacement(sig.group(1) + "@@@@not-base64@@@@\r\n" + sig.group(3)));

    assertThat(verifier.verify(fromWire(broken)).reason()).isEqualTo(VerdictReason.MALFORMED);
  }

  @Test
  void aPlainMessageIsNotSignedAndNotEncrypted() throws Exception {
    MimeMessage plain = reparse(textMessage(DR_DURAND, DR_MARTIN, TEXT));

    assertThat(verifier.verify(plain).reason()).isEqualTo(VerdictReason.NOT_SIGNED);
    assertThatThrownBy(() -> SmimeDecryptor.of(key(rsa().person(DR_MARTIN).encryption())).decrypt(plain))
        .isInstanceOfSatisfying(SmimeException.class, e -> assertThat(e.reason()).isEqualTo(SmimeException.Reason.NOT_ENCRYPTED));
  }

  @Test
  void aMessageEncryptedForSomeoneElseIsNotForUs() throws Exception {
    MimeMessage enc = reparse(SmimeEncryptor.withDefaults()
        .encrypt(textMessage(DR_DURAND, NURSE, TEXT), List.of(rsa().person(NURSE).encryption().certificate())));

    assertThatThrownBy(() -> SmimeDecryptor.of(key(rsa().person(DR_MARTIN).encryption())).decrypt(enc))
        .isInstanceOfSatisfying(SmimeException.class, e -> {
          assertThat(e.reason()).isEqualTo(SmimeException.Reason.NOT_FOR_THIS_RECIPIENT);
          assertThat(e.getMessage()).contains("1 recipient");
        });
  }

  @Test
  void alteredCiphertextFailsTheGcmIntegrityCheck() throws Exception {
    MimeMessage enc = reparse(SmimeEncryptor.withDefaults()
        .encrypt(textMessage(DR_DURAND, DR_MARTIN, TEXT), List.of(rsa().person(DR_MARTIN).encryption().certificate())));
    byte[] der;
    try (var in = enc.getInputStream()) {
      der = in.readAllBytes();
    }
    der[der.length - 40] ^= 0x01; // inside the encrypted content, before the tag
    MimeMessage altered = new MimeMessage(session());
    MimeSupport.copyEnvelopeHeaders(enc, altered);
    altered.setContent(der, enc.getContentType());
    altered.setHeader("Content-Transfer-Encoding", "base64");
    altered.saveChanges();
    altered.setHeader("Content-Type", enc.getContentType());

    assertThatThrownBy(() -> SmimeDecryptor.of(key(rsa().person(DR_MARTIN).encryption())).decrypt(reparse(altered)))
        .isInstanceOfSatisfying(SmimeException.class, e -> assertThat(e.reason()).isEqualTo(SmimeException.Reason.DECRYPTION_FAILED));
  }

  @Test
  void aTruncatedEnvelopeIsMalformed() throws Exception {
    String w = wire(reparse(SmimeEncryptor.withDefaults()
        .encrypt(textMessage(DR_DURAND, DR_MARTIN, TEXT), List.of(rsa().person(DR_MARTIN).encryption().certificate()))));
    String cut = w.substring(0, w.indexOf("\r\n\r\n") + 4) + w.substring(w.indexOf("\r\n\r\n") + 4, w.indexOf("\r\n\r\n") + 120);

    assertThatThrownBy(() -> SmimeDecryptor.of(key(rsa().person(DR_MARTIN).encryption())).decrypt(fromWire(cut)))
        .isInstanceOfSatisfying(SmimeException.class, e -> assertThat(e.reason()).isEqualTo(SmimeException.Reason.MALFORMED));
  }

  @Test
  void encryptingForAnExpiredCertificateIsRefusedBeforeSending() throws Exception {
    assertThatThrownBy(() -> SmimeEncryptor.withDefaults().encrypt(textMessage(DR_DURAND, DR_MARTIN, TEXT), List.of(rsa().expired().certificate())))
        .isInstanceOfSatisfying(SmimeException.class, e -> {
          assertThat(e.reason()).isEqualTo(SmimeException.Reason.RECIPIENT_CERTIFICATE_EXPIRED);
          assertThat(e.getMessage()).contains("expired on");
        });
  }

  @Test
  void encryptingForASignatureCertificateIsRefused() throws Exception {
    assertThatThrownBy(() -> SmimeEncryptor.withDefaults()
            .encrypt(textMessage(DR_DURAND, DR_MARTIN, TEXT), List.of(rsa().person(DR_MARTIN).signature().certificate())))
        .isInstanceOfSatisfying(SmimeException.class,
            e -> assertThat(e.reason()).isEqualTo(SmimeException.Reason.RECIPIENT_CERTIFICATE_WRONG_USAGE));
  }

  @Test
  void signingWithAnExpiredCertificateIsRefused() throws Exception {
    assertThatThrownBy(() -> SmimeSigner.of(key(rsa().expired())).sign(textMessage(DR_DURAND, DR_MARTIN, TEXT)))
        .isInstanceOfSatisfying(SmimeException.class,
            e -> assertThat(e.reason()).isEqualTo(SmimeException.Reason.SIGNER_CERTIFICATE_UNUSABLE));
  }
}
