package org.pont.smime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.Provider;
import java.security.Security;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Digest calculators whose input stream is buffered. Bouncy Castle's S/MIME signer writes the
 * content to be signed through its CRLF canonicaliser, which passes on one byte per call; without a
 * buffer each byte became a {@code MessageDigest.update(byte)} through several layers of delegation
 * (a visible share of the gateway's CPU for a 1 MB message). The digest is the same: the buffer is
 * flushed before it is read.
 */
final class BufferedDigests implements DigestCalculatorProvider {

  private static final int BUFFER = 16 * 1024;

  private final DigestCalculatorProvider inner;

  BufferedDigests(DigestCalculatorProvider inner) {
    this.inner = inner;
  }

  /**
   * The digests Pont signs and verifies with: the JDK's own provider first, Bouncy Castle for any
   * algorithm the JDK lacks, buffered. The JDK's SHA-256 uses the CPU's SHA instructions where
   * there are some: 1.7 GB/s against Bouncy Castle's 270 MB/s on the test box, and digesting is
   * most of what signing or verifying a megabyte-sized message costs. Same digests either way.
   */
  static DigestCalculatorProvider preferringJdk() {
    DigestCalculatorProvider bc;
    try {
      bc = new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("Bouncy Castle offers no digest calculators", e);
    }
    Provider sun = Security.getProvider("SUN");
    if (sun == null) {
      return new BufferedDigests(bc);
    }
    DigestCalculatorProvider jdk;
    try {
      jdk = new JcaDigestCalculatorProviderBuilder().setProvider(sun).build();
    } catch (OperatorCreationException e) {
      return new BufferedDigests(bc);
    }
    return new BufferedDigests(algorithm -> {
      try {
        return jdk.get(algorithm);
      } catch (OperatorCreationException e) {
        return bc.get(algorithm); // e.g. an algorithm only Bouncy Castle knows
      }
    });
  }

  @Override
  public DigestCalculator get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
    DigestCalculator calculator = inner.get(algorithm);
    return new DigestCalculator() {
      private Buffer out;

      @Override
      public AlgorithmIdentifier getAlgorithmIdentifier() {
        return calculator.getAlgorithmIdentifier();
      }

      @Override
      public OutputStream getOutputStream() {
        if (out == null) {
          out = new Buffer(calculator.getOutputStream());
        }
        return out;
      }

      @Override
      public byte[] getDigest() {
        if (out != null) {
          try {
            out.flush();
          } catch (IOException e) {
            // The stream ends in an in-memory digest, which does not fail; say so if it ever does.
            throw new UncheckedIOException("the digest stream failed", e);
          }
        }
        return calculator.getDigest();
      }
    };
  }

  /**
   * A plain buffer in front of the digest stream. Not java.io.BufferedOutputStream: since JDK 21
   * its write(int) takes a lock and checks whether to grow its array on every byte, and that was the
   * top frame of the gateway's profile when tried. Used by one thread (the one writing the content).
   */
  private static final class Buffer extends OutputStream {
    private final OutputStream digest;
    private final byte[] buf = new byte[BUFFER];
    private int count;

    Buffer(OutputStream digest) {
      this.digest = digest;
    }

    @Override
    public void write(int b) throws IOException {
      if (count == buf.length) {
        flush();
      }
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (len >= buf.length - count) {
        flush();
        digest.write(b, off, len);
      } else {
        System.arraycopy(b, off, buf, count, len);
        count += len;
      }
    }

    @Override
    public void flush() throws IOException {
      if (count > 0) {
        digest.write(buf, 0, count);
        count = 0;
      }
    }
  }
}
