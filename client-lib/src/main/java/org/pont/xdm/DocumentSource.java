package org.pont.xdm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where {@link XdmWriter} reads a document from. It is streamed into the zip, so a 25 MB PDF on
 * disk is never held in memory. {@link #open()} may be called more than once (a stored entry needs
 * a CRC pass before the copy) and must give the same bytes each time.
 */
@FunctionalInterface
public interface DocumentSource {

  InputStream open() throws IOException;

  /** Bytes already in memory (not copied: do not change them while writing). */
  static DocumentSource of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return () -> new ByteArrayInputStream(bytes);
  }

  static DocumentSource of(Path file) {
    Objects.requireNonNull(file, "file");
    return () -> Files.newInputStream(file);
  }
}
