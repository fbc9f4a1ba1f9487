package org.pont.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
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
import org.openjdk.jmh.infra.Blackhole;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.xdm.Code;
import org.pont.xdm.DocumentEntry;
import org.pont.xdm.DocumentSource;
import org.pont.xdm.PatientId;
import org.pont.xdm.SubmissionSet;
import org.pont.xdm.XdmLimits;
import org.pont.xdm.XdmPackage;
import org.pont.xdm.XdmReader;
import org.pont.xdm.XdmWriter;

/**
 * XDM pack and read of one CDA-sized XML document (a level-1 CDA's base64 body: what a 25 MB
 * scanned report becomes) against the baseline of the same run: {@code java.util.zip} writing and
 * reading the same bytes with no metadata, hashing or limits. Heap cost: run with {@code -prof gc}
 * and read {@code gc.alloc.rate.norm} (bytes allocated per operation).
 *
 * <p>Run: {@code ./pont bench XdmBenchmark -prof gc} (figures in docs/PERFORMANCE.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class XdmBenchmark {
  private static final String DOC = "IHE_XDM/SUBSET01/DOC0001.XML";

  @Param({"10240", "1048576", "26214400"})
  public int size;

  private byte[] document;
  private SubmissionSet submissionSet;
  private DocumentEntry entry;
  private byte[] pontZip;
  private byte[] rawZip;
  private XdmReader reader;
  private XdmLimits limits;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    document = cdaLike(size);
    PatientId patient = PatientId.ofIns(Ins.of("279035121518989", InsKind.INS_NIR_TEST));
    Code code = Code.of("x", "1.2.3");
    submissionSet = SubmissionSet.builder().sourceId("1.2.250.1.999.1").submissionTime(Instant.now()).patientId(patient).build();
    entry = DocumentEntry.builder().mimeType("text/xml").patientId(patient)
        .classCode(Code.of("11", "1.2.250.1.213.1.1.4.1")).typeCode(Code.of("34112-3", DocumentType.LOINC))
        .formatCode(code).confidentialityCode(code).creationTime(Instant.now())
        .healthcareFacilityTypeCode(code).practiceSettingCode(code).languageCode("fr-FR").build();
    // Limits sized for the largest document of the run; the defaults (25 MB a document) would refuse the 25 MiB + XML one.
    limits = XdmLimits.DEFAULTS.withMaxEntryBytes(64L << 20).withMaxTotalBytes(128L << 20);
    reader = XdmReader.withLimits(limits);
    pontZip = pontPack(new ByteArrayOutputStream(size + 4096)).toByteArray();
    rawZip = rawPack(new ByteArrayOutputStream(size + 4096)).toByteArray();
  }

  /** XML whose body is base64, as a level-1 CDA wrapping a PDF of size*3/4 bytes. */
  private static byte[] cdaLike(int size) {
    byte[] pdf = new byte[Math.max(1, size * 3 / 4 - 300)];
    new Random(7).nextBytes(pdf);
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ClinicalDocument xmlns=\"urn:hl7-org:v3\"><component><nonXMLBody>"
        + "<text mediaType=\"application/pdf\" representation=\"B64\">" + Base64.getMimeEncoder().encodeToString(pdf)
        + "</text></nonXMLBody></component></ClinicalDocument>";
    return xml.getBytes(StandardCharsets.UTF_8);
  }

  private <T extends OutputStream> T pontPack(T out) throws Exception {
    XdmWriter.of(submissionSet).limits(limits).add(entry, DocumentSource.of(document)).writeTo(out);
    return out;
  }

  private <T extends OutputStream> T rawPack(T out) throws IOException {
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry(DOC));
      z.write(document);
      z.closeEntry();
    }
    return out;
  }

  @Benchmark
  public long packPont() throws Exception {
    return pontPack(new CountingStream()).count;
  }

  @Benchmark
  public long packRawZip() throws IOException {
    return rawPack(new CountingStream()).count;
  }

  @Benchmark
  public void readPont(Blackhole bh) throws Exception {
    XdmPackage p = reader.read(new ByteArrayInputStream(pontZip));
    bh.consume(p.content(p.entries().get(0)).size());
  }

  @Benchmark
  public long readRawZip() throws IOException {
    long n = 0;
    byte[] buf = new byte[8192];
    try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(rawZip))) {
      while (z.getNextEntry() != null) {
        // The baseline keeps the bytes too, as Pont's reader hands them to the caller.
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        for (int r; (r = z.read(buf)) > 0; ) {
          kept.write(buf, 0, r);
        }
        n += kept.size();
      }
    }
    return n;
  }

  /** Counts what is written and keeps nothing: the zip's size without holding it. */
  static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
