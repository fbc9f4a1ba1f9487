package org.pont.xdm;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;

/** The bytes of one document read from a package. Immutable; {@link #openStream()} reads them without a copy. */
public final class DocumentContent {
  private final byte[] bytes;
  private final String sha1;

  /** Takes ownership of {@code bytes}: the caller must not change them afterwards. */
  DocumentContent(byte[] bytes, String sha1) {
    this.bytes = bytes;
    this.sha1 = sha1;
  }

  public InputStream openStream() {
    return new ByteArrayInputStream(bytes);
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public long size() {
    return bytes.length;
  }

  /** SHA-1 of the bytes, lower-case hex, as XDS metadata writes it. */
  public String sha1() {
    return sha1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DocumentContent c && Arrays.equals(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "DocumentContent[" + bytes.length + " bytes, sha1 " + sha1 + "]";
  }
}
