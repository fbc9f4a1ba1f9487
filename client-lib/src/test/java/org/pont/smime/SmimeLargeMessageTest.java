package org.pont.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.smime.Fixtures.*;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedFileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 25 MB message (the MSSanté patient-messaging limit) goes through sign, encrypt, decrypt, verify from files. */
class SmimeLargeMessageTest {
  private static final int SIZE = 25 * 1024 * 1024;

  @Test
  void aTwentyFiveMegabyteMessageRoundTripsThroughFiles(@TempDir Path dir) throws Exception {
    MimeMessage original = withAttachment(DR_DURAND, DR_MARTIN, SIZE);
    byte[] expected = digest(((MimeMultipart) original.getContent()).getBodyPart(1).getInputStream());
    SecureMessaging sender = SecureMessaging.builder().signingKey(key(rsa().person(DR_DURAND).signature()))
        .trust(trust(rsa())).build();
    SecureMessaging receiver = SecureMessaging.builder().decryptionKey(key(rsa().person(DR_MARTIN).encryption()))
        .trust(trust(rsa())).build();

    Path wire = dir.resolve("wire.eml");
    try (OutputStream out = Files.newOutputStream(wire)) {
      sender.signAndEncrypt(original, List.of(rsa().person(DR_MARTIN).encryption().certificate())).writeTo(out);
    }
    assertThat(Files.size(wire)).isGreaterThan(SIZE);

    MimeMessage received = new MimeMessage(session(), new SharedFileInputStream(wire.toFile()));
    OpenedMessage opened = receiver.open(received);

    assertThat(opened.signature().reason()).isEqualTo(VerdictReason.VALID);
    MimeMultipart mp = (MimeMultipart) opened.content().getContent();
    assertThat(digest(mp.getBodyPart(1).getInputStream())).isEqualTo(expected);
  }

  private static byte[] digest(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (in) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }
}
