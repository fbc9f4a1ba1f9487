package org.pont.gateway.mailet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Properties;

/**
 * Crosses between James's javax.mail messages and client-lib's jakarta.mail ones through their
 * RFC 5322 bytes: the two APIs share no types. One serialisation, then the parser reads the same
 * buffer (no second copy): the parsers get a {@code SharedByteArrayInputStream}, which both
 * javax and jakarta MimeMessage keep as their content source instead of copying the body into an
 * array of their own (with a plain stream each crossing costs one more full copy of the message).
 */
final class MimeBridge {

  private static final javax.mail.Session JAVAX = javax.mail.Session.getInstance(new Properties());
  private static final jakarta.mail.Session JAKARTA = jakarta.mail.Session.getInstance(new Properties());

  private MimeBridge() {}

  static jakarta.mail.internet.MimeMessage toJakarta(javax.mail.internet.MimeMessage message)
      throws javax.mail.MessagingException, jakarta.mail.MessagingException, IOException {
    Buffer out = new Buffer();
    message.writeTo(out);
    return new jakarta.mail.internet.MimeMessage(JAKARTA, out.asJakartaInput());
  }

  static javax.mail.internet.MimeMessage toJavax(jakarta.mail.internet.MimeMessage message)
      throws javax.mail.MessagingException, jakarta.mail.MessagingException, IOException {
    Buffer out = new Buffer();
    message.writeTo(out);
    return new javax.mail.internet.MimeMessage(JAVAX, out.asJavaxInput());
  }

  /** A byte buffer read back in place. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(16 * 1024);
    }

    UnsyncSharedInput asJakartaInput() {
      return new UnsyncSharedInput(buf, 0, count);
    }

    javax.mail.util.SharedByteArrayInputStream asJavaxInput() {
      return new javax.mail.util.SharedByteArrayInputStream(buf, 0, count);
    }
  }
}
