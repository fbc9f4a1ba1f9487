package org.pont.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecodedContentTest {

  private static final Session SESSION = Session.getInstance(new Properties());

  @Test
  void aBase64PartDecodesToWhatJakartaMailDecodes() throws Exception {
    byte[] zip = new byte[200_001];
    new Random(3).nextBytes(zip);
    MimeBodyPart part = reparsed(zip, "application/zip");
    assertThat(part.getEncoding()).isEqualTo("base64");

    assertThat(readAll(DecodedContent.of(part))).isEqualTo(zip).isEqualTo(readAll(part.getInputStream()));
  }

  @Test
  void aWholeMessageInBase64IsDecodedToo() throws Exception {
    byte[] body = "Bonjour\r\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
    String raw = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding:  Base64 \r\n\r\n"
        + java.util.Base64.getMimeEncoder().encodeToString(body) + "\r\n";
    MimeMessage m = new MimeMessage(SESSION, new SharedByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));

    assertThat(readAll(DecodedContent.of(m))).isEqualTo(body);
  }

  @Test
  void otherEncodingsAreLeftToJakartaMail() throws Exception {
    MimeBodyPart part = new MimeBodyPart();
    part.setText("é à ç", "UTF-8");
    part.setHeader("Content-Transfer-Encoding", "quoted-printable");
    MimeBodyPart reparsed = new MimeBodyPart(new SharedByteArrayInputStream(bytes(part)));

    assertThat(new String(readAll(DecodedContent.of(reparsed)), StandardCharsets.UTF_8)).isEqualTo("é à ç");
  }

  @Test
  void aTruncatedBase64BodyIsAnIoErrorNotSilentlyShortBytes() throws Exception {
    MimeBodyPart part = base64Part("application/zip", "UEsDBBQAAAAI\r\nA\r\n");

    assertThatThrownBy(() -> readAll(DecodedContent.of(part))).isInstanceOf(IOException.class).hasMessageContaining("base64");
  }

  @Test
  void aBodyCutShortInsideAGroupIsRefusedThoughTheJdkWouldAcceptIt() throws Exception {
    // "UEsD" + "BB": the JDK alone decodes the 2-character tail as one more byte.
    MimeBodyPart part = base64Part("application/zip", "UEsD\r\nBB\r\n");

    assertThatThrownBy(() -> readAll(DecodedContent.of(part))).isInstanceOf(IOException.class).hasMessageContaining("truncated");
  }

  @Test
  void dataAfterThePaddingIsRefused() throws Exception {
    MimeBodyPart part = base64Part("application/zip", "UEs=\r\nUEsD\r\n");

    assertThatThrownBy(() -> readAll(DecodedContent.of(part))).isInstanceOf(IOException.class).hasMessageContaining("padding");
  }

  @Test
  void aBodyLongerThanOneBlockIsDecodedAcrossBlockEdgesWithAnyLineLength() throws Exception {
    byte[] data = new byte[300_001];
    new Random(5).nextBytes(data);
    // 61-character lines: the 4-character groups straddle lines and the reader's 64 KB blocks.
    String b64 = java.util.Base64.getEncoder().encodeToString(data).replaceAll("(.{61})", "$1\r\n");
    MimeBodyPart part = base64Part("application/pdf", b64 + "\r\n");

    assertThat(readAll(DecodedContent.of(part))).isEqualTo(data);
  }

  /** A part as parsed from the wire: {@code type}, base64, with {@code body} as its raw content. */
  private static MimeBodyPart base64Part(String type, String body) throws Exception {
    String raw = "Content-Type: " + type + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body;
    return new MimeBodyPart(new SharedByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
  }

  private static MimeBodyPart reparsed(byte[] content, String type) throws Exception {
    MimeBodyPart part = new MimeBodyPart();
    part.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(content, type)));
    part.setFileName("IHE_XDM.ZIP");
    part.setHeader("Content-Transfer-Encoding", "base64");
    return new MimeBodyPart(new SharedByteArrayInputStream(bytes(part)));
  }

  private static byte[] bytes(MimeBodyPart part) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    part.writeTo(out);
    return out.toByteArray();
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }
}
