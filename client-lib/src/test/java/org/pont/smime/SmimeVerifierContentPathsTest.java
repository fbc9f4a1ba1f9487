package org.pont.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.smime.Fixtures.*;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A detached signature is checked first over the signed part's bytes as received, then, when
 * those do not match, over Bouncy Castle's canonical re-serialisation: a message that only the
 * second accepts (stored with bare LF line ends) is still valid, and a change to the content is
 * caught by both, whatever the part holds.
 */
class SmimeVerifierContentPathsTest {
  private static final String TEXT = "Compte rendu de sortie: reeducation du genou, 10 seances.\r\nSuite chez le kinesitherapeute.\r\n";

  private final SmimeVerifier verifier = SmimeVerifier.of(trust(rsa()));
  private final KeyCredential durand = key(rsa().person(DR_DURAND).signature());

  @Test
  void aMultipartWithABinaryAttachmentVerifiesAndWhatIsDeliveredIsWhatWasSigned() throws Exception {
    MimeMessage signed = reparse(SmimeSigner.of(durand).sign(withAttachment()));

    SmimeVerifier.Verified v = verifier.verifyAndUnwrap(signed);

    assertThat(v.verdict().reason()).isEqualTo(VerdictReason.VALID);
    MimeMultipart mp = (MimeMultipart) v.content().getContent();
    assertThat(mp.getCount()).isEqualTo(2);
    assertThat(((MimeBodyPart) mp.getBodyPart(1)).getInputStream().readAllBytes()).isEqualTo(attachment());
  }

  @Test
  void aMessageStoredWithBareLineFeedsIsStillValid() throws Exception {
    String wire = new String(bytes(reparse(SmimeSigner.of(durand).sign(withAttachment()))), StandardCharsets.ISO_8859_1);
    assertThat(wire).contains("\r\n");
    MimeMessage lf = parse(wire.replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1));

    assertThat(verifier.verify(lf).reason()).isEqualTo(VerdictReason.VALID);
  }

  @Test
  void aChangeAnywhereInTheSignedPartIsTamperingOnBothPaths() throws Exception {
    String wire = new String(bytes(reparse(SmimeSigner.of(durand).sign(withAttachment()))), StandardCharsets.ISO_8859_1);
    // In the text, in a part's headers, in the base64 of the attachment; with CRLF and with bare LF.
    for (String[] change : new String[][] {{"genou", "coude"}, {"filename=bilan.bin", "filename=bilan.exe"},
        {"AAECAwQF", "AAECAwQG"}}) {
      assertThat(wire).contains(change[0]);
      String changed = wire.replace(change[0], change[1]);
      assertThat(verifier.verify(parse(changed.getBytes(StandardCharsets.ISO_8859_1))).reason())
          .as(change[0] + " -> " + change[1]).isEqualTo(VerdictReason.CONTENT_TAMPERED);
      assertThat(verifier.verify(parse(changed.replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1))).reason())
          .as(change[0] + " -> " + change[1] + ", bare LF").isEqualTo(VerdictReason.CONTENT_TAMPERED);
    }
  }

  private static byte[] attachment() {
    byte[] b = new byte[3000];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  private static MimeMessage withAttachment() throws Exception {
    MimeMessage m = textMessage(DR_DURAND, DR_MARTIN, TEXT);
    MimeBodyPart text = new MimeBodyPart();
    text.setText(TEXT, "UTF-8");
    MimeBodyPart file = new MimeBodyPart();
    file.setContent(attachment(), "application/octet-stream");
    file.setFileName("bilan.bin");
    file.setHeader("Content-Transfer-Encoding", "base64");
    MimeMultipart mp = new MimeMultipart("mixed", text, file);
    m.setContent(mp);
    m.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return parse(out.toByteArray());
  }
}
