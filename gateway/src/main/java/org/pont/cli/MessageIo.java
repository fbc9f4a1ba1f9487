package org.pont.cli;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Reading a message from a file or standard input and writing one to a file or standard output. */
final class MessageIo {
  private static final Session SESSION = Session.getInstance(new Properties());

  private MessageIo() {}

  static MimeMessage read(Path file) throws IOException, MessagingException {
    if (file == null || file.toString().equals("-")) {
      // Standard input cannot be re-read: buffer it in a temporary file for large messages.
      Path tmp = Files.createTempFile("pont-in-", ".eml");
      try (InputStream in = System.in) {
        Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      try {
        return new MimeMessage(SESSION, new SharedFileInputStream(tmp.toFile()));
      } finally {
        Files.delete(tmp);
      }
    }
    if (!Files.isReadable(file)) {
      throw new IOException("cannot read " + file);
    }
    return new MimeMessage(SESSION, new SharedFileInputStream(file.toFile()));
  }

  static void write(MimeMessage message, Path file) throws IOException, MessagingException {
    if (file == null || file.toString().equals("-")) {
      message.writeTo(System.out);
      System.out.flush();
      return;
    }
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
      message.writeTo(out);
    }
  }
}
