package org.pont.transport;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One fetched message on disk: the IMAP body is streamed into a temporary file and parsed from
 * there, so memory stays bounded whatever the message size. Closing deletes the file.
 */
final class SpoolFile implements AutoCloseable {
  private final Path file;
  private SharedFileInputStream in;

  private SpoolFile(Path file) {
    this.file = file;
  }

  static SpoolFile of(jakarta.mail.Message source) throws IOException, MessagingException {
    SpoolFile spool = new SpoolFile(Files.createTempFile("pont-sync-", ".eml"));
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool.file), 64 * 1024)) {
      source.writeTo(out);
    } catch (IOException | MessagingException | RuntimeException e) {
      spool.close();
      throw e;
    }
    return spool;
  }

  long size() throws IOException {
    return Files.size(file);
  }

  /** The message, parsed lazily from the file: parts are read from disk when asked for. */
  MimeMessage parse(Session session) throws IOException, MessagingException {
    in = new SharedFileInputStream(file.toFile(), 64 * 1024);
    return new MimeMessage(session, in);
  }

  /**
   * The message, parsed from the file, which is unlinked now: the open stream keeps it readable
   * until the message is garbage collected (POSIX semantics; elsewhere it is deleted at exit).
   */
  MimeMessage detach(Session session) throws IOException, MessagingException {
    SharedFileInputStream stream = new SharedFileInputStream(file.toFile(), 64 * 1024);
    MimeMessage m = new MimeMessage(session, stream);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      file.toFile().deleteOnExit();
    }
    return m;
  }

  @Override
  public void close() {
    try {
      if (in != null) {
        in.close();
      }
    } catch (IOException e) {
      // nothing left to do with it
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the OS cleans its temporary folder
    }
  }
}
