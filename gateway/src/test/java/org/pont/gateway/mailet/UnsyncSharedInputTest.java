package org.pont.gateway.mailet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class UnsyncSharedInputTest {

  private static final byte[] MESSAGE = ("From: a@x.test\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
      + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\npreamble\r\n--b\r\nContent-Type: text/plain\r\n\r\none\r\n"
      + "--b\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--b--\r\nepilogue\r\n").getBytes(StandardCharsets.US_ASCII);

  @Test
  void readsLikeTheSynchronizedStreamItReplaces() throws Exception {
    byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
    UnsyncSharedInput in = new UnsyncSharedInput(data, 2, 6); // "234567"
    assertThat(in.read()).isEqualTo('2');
    byte[] b = new byte[10];
    assertThat(in.read(b, 1, 3)).isEqualTo(3);
    assertThat(new String(b, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("345");
    assertThat(in.getPosition()).isEqualTo(4);
    assertThat(in.read(b, 0, 10)).isEqualTo(2);
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read(b, 0, 1)).isEqualTo(-1);
    InputStream sub = in.newStream(1, 4);
    assertThat(sub).isInstanceOf(UnsyncSharedInput.class);
    assertThat(sub.readAllBytes()).isEqualTo("345".getBytes(StandardCharsets.US_ASCII));
    assertThat(in.newStream(3, -1).readAllBytes()).isEqualTo("567".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aMessageParsedFromItKeepsItsBytesAndItsPartsReadThroughIt() throws Exception {
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new UnsyncSharedInput(MESSAGE, 0, MESSAGE.length));
    MimeMultipart mp = (MimeMultipart) m.getContent();
    assertThat(mp.getCount()).isEqualTo(2);
    assertThat(((MimeBodyPart) mp.getBodyPart(1)).getRawInputStream()).isInstanceOf(UnsyncSharedInput.class);
    assertThat(mp.getBodyPart(1).getContent()).isEqualTo("two");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    assertThat(out.toByteArray()).isEqualTo(MESSAGE);
  }
}
