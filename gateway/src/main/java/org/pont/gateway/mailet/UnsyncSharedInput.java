package org.pont.gateway.mailet;

import java.io.InputStream;
import java.util.Objects;

/**
 * A jakarta.mail shared input stream over a byte array whose reads take no lock. The parts of a
 * message parsed from it read through streams from {@link #newStream}, of this same class, each
 * used by one thread (the mailet processing the mail). Why: Bouncy Castle's S/MIME verifier reads a
 * signed multipart's raw content one byte per {@code read()} call to find its end, and
 * {@code ByteArrayInputStream.read()} is synchronized: one lock per byte of a megabyte message.
 */
final class UnsyncSharedInput extends jakarta.mail.util.SharedByteArrayInputStream {

  UnsyncSharedInput(byte[] buf, int offset, int length) {
    super(buf, offset, length);
  }

  @Override
  public int read() {
    return pos < count ? (buf[pos++] & 0xff) : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (pos >= count) {
      return -1;
    }
    int n = Math.min(len, count - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public InputStream newStream(long from, long to) {
    if (from < 0) {
      throw new IllegalArgumentException("start < 0");
    }
    long end = to == -1 ? count - start : to;
    return new UnsyncSharedInput(buf, start + (int) from, (int) (end - from));
  }
}
