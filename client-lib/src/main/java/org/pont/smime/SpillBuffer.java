package org.pont.smime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Collects an opened message: in memory while small, in a temporary file once it passes a
 * threshold, so that a 25 MB message is never held whole on the heap. The file is unlinked as
 * soon as the message that reads it is parsed (it lives until that message's stream is closed).
 */
final class SpillBuffer extends OutputStream {
  static final int DEFAULT_THRESHOLD = 4 * 1024 * 1024;

  private final int threshold;
  private ByteArrayOutputStream memory = new ByteArrayOutputStream();
  private Path file;
  private OutputStream fileOut;

  SpillBuffer(int threshold) {
    this.threshold = threshold;
  }

  SpillBuffer() {
    this(DEFAULT_THRESHOLD);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (fileOut == null && memory.size() + len > threshold) {
      file = Files.createTempFile("pont-", ".eml");
      fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
      memory.writeTo(fileOut);
      memory = null;
    }
    if (fileOut != null) {
      fileOut.write(b, off, len);
    } else {
      memory.write(b, off, len);
    }
  }

  @Override
  public void close() throws IOException {
    if (fileOut != null) {
      fileOut.close();
    }
  }

  /** Parses what was written as a message; the buffer must not be written to afterwards. */
  MimeMessage toMessage() throws IOException, MessagingException {
    close();
    if (file == null) {
      return MimeSupport.parse(new SharedByteArrayInputStream(memory.toByteArray()));
    }
    try {
      SharedFileInputStream in = new SharedFileInputStream(file.toFile());
      return MimeSupport.parse(in);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Drops whatever was collected (after a failure). */
  void discard() {
    try {
      close();
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // best effort: a temp file left behind is removed by the OS's tmp cleaning
    }
  }
}
