package org.pont.tracking;

import static org.assertj.core.api.Assertions.fail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The shared real notifications ({@code mail/direct-*.txt}, from DirectProjectJavaRI/agent @ cb2c3cd
 * and /gateway @ 1296344, {@code src/test/resources/}), found through {@code pont.testdata}.
 */
final class Samples {
  static final Session SESSION = Session.getInstance(new Properties());

  private Samples() {}

  static MimeMessage sample(String name) {
    String dir = System.getProperty("pont.testdata");
    Path file = dir == null ? null : Path.of(dir, "mail", name);
    if (file == null || !Files.isRegularFile(file)) {
      fail("shared test data not found: set -Dpont.testdata to the folder holding mail/ (got " + dir + ")");
    }
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new AssertionError("cannot read shared sample " + name, e);
    }
  }

  static MimeMessage parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  static MimeMessage parse(byte[] bytes) {
    try {
      return new MimeMessage(SESSION, new ByteArrayInputStream(bytes));
    } catch (MessagingException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] bytes(MimeMessage m) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      m.writeTo(out);
      return out.toByteArray();
    } catch (IOException | MessagingException e) {
      throw new AssertionError(e);
    }
  }

  /** Written out and read back, as a receiver would see it. */
  static MimeMessage reread(MimeMessage m) {
    return parse(bytes(m));
  }
}
