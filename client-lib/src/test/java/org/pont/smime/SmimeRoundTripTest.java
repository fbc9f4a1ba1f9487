package org.pont.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.smime.Fixtures.*;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pont.certs.TestPki;

class SmimeRoundTripTest {
  private static final String TEXT = "Patient sorti le 21/11. Rééducation : 3 séances par semaine.\r\n";

  private SecureMessaging party(TestPki pki, String address) {
    return SecureMessaging.builder()
        .signingKey(key(pki.person(address).signature()))
        .decryptionKey(key(pki.person(address).encryption()))
        .trust(trust(pki))
        .build();
  }

  @Test
  void aSignedMessageVerifiesAndNamesItsSigner() throws Exception {
    MimeMessage signed = party(rsa(), DR_DURAND).sign(textMessage(DR_DURAND, DR_MARTIN, TEXT));

    assertThat(signed.getContentType()).startsWith("multipart/signed").contains("sha-256").contains("application/pkcs7-signature");
    OpenedMessage opened = party(rsa(), DR_MARTIN).open(reparse(signed));

    assertThat(opened.wasEncrypted()).isFalse();
    assertThat(opened.signature().reason()).isEqualTo(VerdictReason.VALID);
    assertThat(opened.signature().signerAddress()).contains(DR_DURAND);
    assertThat(opened.signature().binding()).isEqualTo(SignerBinding.ADDRESS);
    assertThat(opened.signature().signingTime()).isPresent();
    assertThat((String) opened.content().getContent()).isEqualTo(TEXT);
  }

  @Test
  void aMessageBuiltInMemoryKeepsItsCharsetWhenSignedBeforeSaveChanges() throws Exception {
    MimeMessage fresh = new MimeMessage(session());
    fresh.setFrom(new jakarta.mail.internet.InternetAddress(DR_DURAND));
    fresh.setRecipients(MimeMessage.RecipientType.TO, DR_MARTIN);
    fresh.setText(TEXT, "UTF-8"); // no saveChanges(): the Content-Type header is not written yet

    MimeMessage signed = party(rsa(), DR_DURAND).sign(fresh);
    OpenedMessage opened = party(rsa(), DR_MARTIN).open(reparse(signed));

    assertThat(opened.signature().reason()).isEqualTo(VerdictReason.VALID);
    assertThat(opened.content().getContentType()).containsIgnoringCase("charset=UTF-8");
    assertThat((String) opened.content().getContent()).isEqualTo(TEXT);
  }

  @Test
  void anOrganisationSignatureIsBoundToTheSendersDomain() throws Exception {
    SecureMessaging gateway = SecureMessaging.builder()
        .signingKey(key(rsa().organisation(HOSPITAL).signature())).trust(trust(rsa())).build();
    MimeMessage signed = gateway.sign(textMessage(DR_DURAND, DR_MARTIN, TEXT));

    SignatureVerdict verdict = party(rsa(), DR_MARTIN).open(reparse(signed)).signature();

    assertThat(verdict.reason()).isEqualTo(VerdictReason.VALID);
    assertThat(verdict.binding()).isEqualTo(SignerBinding.DOMAIN);
  }

  @Test
  void signingKeepsTheEnvelopeHeadersAndTheMessageId() throws Exception {
    MimeMessage original = textMessage(DR_DURAND, DR_MARTIN, TEXT);
    MimeMessage out = party(rsa(), DR_DURAND).signAndEncrypt(original, List.of(rsa().person(DR_MARTIN).encryption().certificate()));
    MimeMessage received = reparse(out);

    assertThat(received.getMessageID()).isEqualTo(original.getMessageID());
    assertThat(received.getSubject()).isEqualTo("Sortie d'hospitalisation");
    assertThat(received.getFrom()[0].toString()).isEqualTo(DR_DURAND);
  }

  @ParameterizedTest
  @EnumSource(ContentCipher.class)
  void encryptedMessagesDecryptWithEveryCipherAndKeyTransport(ContentCipher cipher) throws Exception {
    for (KeyTransport transport : KeyTransport.values()) {
      MimeMessage enc = SmimeEncryptor.of(new EncryptionOptions(cipher, transport))
          .encrypt(textMessage(DR_DURAND, DR_MARTIN, TEXT), List.of(rsa().person(DR_MARTIN).encryption().certificate()));
      MimeMessage received = reparse(enc);

      assertThat(received.getContentType()).startsWith("application/pkcs7-mime")
          .contains(cipher == ContentCipher.AES_256_GCM ? "authEnveloped-data" : "enveloped-data");
      MimeMessage plain = SmimeDecryptor.of(key(rsa().person(DR_MARTIN).encryption())).decrypt(received);
      assertThat((String) plain.getContent()).as(cipher + "/" + transport).isEqualTo(TEXT);
      assertThat(plain.getSubject()).isEqualTo("Sortie d'hospitalisation");
    }
  }

  @Test
  void oneEnvelopeServesSeveralRecipientsAndTheSender() throws Exception {
    MimeMessage enc = reparse(party(rsa(), DR_DURAND).signAndEncrypt(textMessage(DR_DURAND, DR_MARTIN, TEXT),
        List.of(rsa().person(DR_MARTIN).encryption().certificate(), rsa().person(NURSE).encryption().certificate())));

    for (String reader : List.of(DR_MARTIN, NURSE, DR_DURAND)) {
      OpenedMessage opened = party(rsa(), reader).open(enc);
      assertThat(opened.wasEncrypted()).as(reader).isTrue();
      assertThat(opened.signature().isValid()).as(reader).isTrue();
      assertThat((String) opened.content().getContent()).as(reader).isEqualTo(TEXT);
    }
  }

  @Test
  void ellipticCurveKeysSignAndEncryptToo() throws Exception {
    MimeMessage enc = reparse(party(ec(), DR_DURAND).signAndEncrypt(textMessage(DR_DURAND, DR_MARTIN, TEXT),
        List.of(ec().person(DR_MARTIN).encryption().certificate())));

    OpenedMessage opened = party(ec(), DR_MARTIN).open(enc);

    assertThat(opened.signature().reason()).isEqualTo(VerdictReason.VALID);
    assertThat((String) opened.content().getContent()).isEqualTo(TEXT);
  }

  @Test
  void attachmentsSurviveSignAndEncryptByteForByte() throws Exception {
    MimeMessage original = withAttachment(DR_DURAND, DR_MARTIN, 200_000);
    byte[] pdf = ((MimeMultipart) original.getContent()).getBodyPart(1).getInputStream().readAllBytes();
    MimeMessage enc = reparse(party(rsa(), DR_DURAND).signAndEncrypt(original, List.of(rsa().person(DR_MARTIN).encryption().certificate())));

    OpenedMessage opened = party(rsa(), DR_MARTIN).open(enc);

    assertThat(opened.signature().isValid()).isTrue();
    MimeMultipart mp = (MimeMultipart) opened.content().getContent();
    try (InputStream in = mp.getBodyPart(1).getInputStream()) {
      assertThat(in.readAllBytes()).isEqualTo(pdf);
    }
  }

  @Test
  void eightBitTextIsMadeSevenBitSafeBeforeSigning() throws Exception {
    MimeMessage original = textMessage(DR_DURAND, DR_MARTIN, TEXT);
    original.setHeader("Content-Transfer-Encoding", "8bit");
    original.saveChanges();
    original.setHeader("Content-Transfer-Encoding", "8bit");

    MimeMessage signed = reparse(party(rsa(), DR_DURAND).sign(original));
    String wire = new String(bytes(signed), java.nio.charset.StandardCharsets.ISO_8859_1);

    assertThat(wire.chars().allMatch(c -> c < 128)).as("only 7-bit bytes on the wire").isTrue();
    assertThat(party(rsa(), DR_MARTIN).open(signed).signature().isValid()).isTrue();
  }
}
