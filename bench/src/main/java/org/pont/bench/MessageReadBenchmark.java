package org.pont.bench;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pont.mssante.MssanteMessageReader;

/**
 * Reading a received MSSanté message (what the gateway's inbound policy and a client's sync do
 * once S/MIME is open): the message the gateway builds for a PDF of {@code size} bytes (body, the
 * PDF attached, the XDM zip holding the level-1 CDA) read by {@code MssanteMessageReader} (XDM
 * within limits, metadata, CDA header and body, one patient), against the baseline of the same
 * run: Jakarta Mail parsing the same bytes, every leaf part decoded and the zip's entries inflated,
 * with no XML read and no checks.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar MessageReadBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MessageReadBenchmark {

  @Param({"10240", "1048576"})
  public int size;

  private final Session session = Session.getInstance(new Properties());
  private final MssanteMessageReader reader = MssanteMessageReader.withDefaults();
  private byte[] message;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    message = SampleMessages.mssanteMessage(SampleMessages.pdf(size, new SplittableRandom(size)), "secretariat@hopital.test",
        "kine@cabinet.test", "279035121518989", session);
  }

  @Benchmark
  public Object readPont() throws Exception {
    return reader.read(new MimeMessage(session, new SharedByteArrayInputStream(message)));
  }

  @Benchmark
  public long readRaw() throws Exception {
    return decodeAll(new MimeMessage(session, new SharedByteArrayInputStream(message)));
  }

  private static long decodeAll(Part part) throws Exception {
    if (part.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) part.getContent();
      long n = 0;
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart child = mp.getBodyPart(i);
        n += decodeAll(child);
      }
      return n;
    }
    try (InputStream in = part.getInputStream()) {
      if (part.getFileName() != null && part.getFileName().toUpperCase(java.util.Locale.ROOT).endsWith(".ZIP")) {
        return unzip(in);
      }
      return in.readAllBytes().length;
    }
  }

  private static long unzip(InputStream in) throws IOException {
    long n = 0;
    try (ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        n += z.readAllBytes().length;
      }
    }
    return n;
  }
}
