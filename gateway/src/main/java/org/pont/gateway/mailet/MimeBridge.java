package org.pont.gateway.mailet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Properties;

/**
 * Crosses between James's javax.mail messages and client-lib's jakarta.mail ones through their
 * RFC 5322 bytes: the two APIs share no types. One serialisation, then the parser reads the same
 * buffer (no second copy).
 */
final class MimeBridge {

  private static final javax.mail.Session JAVAX = javax.mail.Session.getInstance(new Properties());
  private static final jakarta.mail.Session JAKARTA = jakarta.mail.Session.getInstance(new Properties());

  private MimeBridge() {}

  static jakarta.mail.internet.MimeMessage toJakarta(javax.mail.internet.MimeMessage message)
      throws javax.mail.MessagingException, jakarta.mail.MessagingException, IOException {
    Buffer out = new Buffer();
    message.writeTo(out);
    return new jakarta.mail.internet.MimeMessage(JAKARTA, out.asInput());
  }

  static javax.mail.internet.MimeMessage toJavax(jakarta.mail.internet.MimeMessage message)
      throws javax.mail.MessagingException, jakarta.mail.MessagingException, IOException {
    Buffer out = new Buffer();
    message.writeTo(out);
    return new javax.mail.internet.MimeMessage(JAVAX, out.asInput());
  }

  /** A byte buffer read back in place. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(16 * 1024);
    }

    ByteArrayInputStream asInput() {
      return new ByteArrayInputStream(buf, 0, count);
    }
  }
}
