package org.pont.xdm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pont.xdm.XdmException.Reason;

/** Every hostile or broken package is refused with its own reason and a message naming the problem. */
class XdmHostileInputTest {
  private static final String DOC1 = "IHE_XDM/SUBSET01/DOC0001.XML";

  @TempDir Path dir;

  private XdmException refusal(byte[] zip) throws Exception {
    return refusal(zip, XdmLimits.DEFAULTS);
  }

  private XdmException refusal(byte[] zip, XdmLimits limits) throws Exception {
    Path file = Fixtures.write(dir, zip);
    XdmException e = catchThrowableOfType(XdmException.class, () -> XdmReader.withLimits(limits).read(file));
    assertThat(e).as("refusal").isNotNull();
    return e;
  }

  /** A valid package with its entries changed by {@code change}. */
  private static byte[] tampered(java.util.function.Consumer<Map<String, byte[]>> change) throws Exception {
    Map<String, byte[]> entries = Fixtures.unzip(Fixtures.validPackage());
    change.accept(entries);
    return Fixtures.zip(entries);
  }

  @Test
  void theValidPackageUsedBelowIsAccepted() throws Exception {
    assertThat(XdmReader.withDefaults().read(Fixtures.write(dir, Fixtures.validPackage())).entries()).hasSize(2);
  }

  @Test
  void aFileThatIsNotAZipIsRefused() throws Exception {
    XdmException e = refusal("Bonjour, voici le compte rendu.".getBytes(StandardCharsets.UTF_8));

    assertThat(e.reason()).isEqualTo(Reason.NOT_A_ZIP);
  }

  @Test
  void anEmptyFileIsRefusedAsNotAZip() throws Exception {
    assertThat(refusal(new byte[0]).reason()).isEqualTo(Reason.NOT_A_ZIP);
  }

  @Test
  void aTruncatedZipIsRefusedAsCorrupt() throws Exception {
    byte[] zip = Fixtures.validPackage();

    XdmException e = refusal(Arrays.copyOf(zip, zip.length * 2 / 3));

    assertThat(e.reason()).isEqualTo(Reason.CORRUPT_ZIP);
    assertThat(e.getMessage()).contains("truncated");
  }

  @Test
  void aZipCutJustBeforeItsCentralDirectoryIsRefusedAsCorrupt() throws Exception {
    byte[] zip = Fixtures.validPackage();
    int cen = lastIndexOf(zip, new byte[] {'P', 'K', 1, 2}, zip.length);
    while (lastIndexOf(zip, new byte[] {'P', 'K', 1, 2}, cen - 1) >= 0) {
      cen = lastIndexOf(zip, new byte[] {'P', 'K', 1, 2}, cen - 1);
    }

    // Every local entry is complete: a streaming reader would accept this.
    assertThat(refusal(Arrays.copyOf(zip, cen)).reason()).isEqualTo(Reason.CORRUPT_ZIP);
  }

  @Test
  void aDocumentWhoseCompressedBytesWereDamagedIsRefusedAsCorrupt() throws Exception {
    Map<String, byte[]> entries = Fixtures.unzip(Fixtures.validPackage());
    byte[] zip = Fixtures.zip(entries);
    int at = indexOf(zip, DOC1.getBytes(StandardCharsets.US_ASCII)) + DOC1.length() + 200;
    for (int i = 0; i < 64; i++) {
      zip[at + i] ^= 0x5a;
    }

    assertThat(refusal(zip).reason()).isEqualTo(Reason.CORRUPT_ZIP);
  }

  @Test
  void aZipWithPasswordEncryptedEntriesIsRefusedWithAnExplanation() throws Exception {
    byte[] zip = Fixtures.validPackage();
    for (int i = 0; i + 4 < zip.length; i++) { // set the "encrypted" flag in every local and central header
      if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4) {
        zip[i + 6] |= 1;
      } else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
        zip[i + 8] |= 1;
      }
    }

    XdmException e = refusal(zip);

    assertThat(e.reason()).isEqualTo(Reason.CORRUPT_ZIP);
    assertThat(e.getMessage()).contains("password-encrypted");
  }

  @Test
  void aZipWithoutMetadataIsRefused() throws Exception {
    XdmException e = refusal(tampered(m -> m.remove("IHE_XDM/SUBSET01/METADATA.XML")));

    assertThat(e.reason()).isEqualTo(Reason.NO_METADATA);
  }

  @Test
  void aZipWithTwoSubmissionSetsIsRefused() throws Exception {
    XdmException e = refusal(tampered(m -> m.put("IHE_XDM/SUBSET02/METADATA.XML", m.get("IHE_XDM/SUBSET01/METADATA.XML"))));

    assertThat(e.reason()).isEqualTo(Reason.MULTIPLE_SUBMISSION_SETS);
  }

  @Test
  void metadataThatIsNotXmlIsRefusedAsMalformed() throws Exception {
    XdmException e = refusal(tampered(m -> Fixtures.replaceMetadata(m, "<SubmitObjectsRequest><oops></SubmitObjectsRequest>")));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_METADATA);
    assertThat(e.getMessage()).contains("not well-formed").contains("line 1");
  }

  @Test
  void metadataWithoutADocumentUniqueIdIsRefusedAsMalformed() throws Exception {
    XdmException e = refusal(tampered(m -> Fixtures.replaceMetadata(m,
        Fixtures.metadataOf(m).replace("urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab", "urn:uuid:00000000-0000-0000-0000-000000000000"))));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_METADATA);
    assertThat(e.getMessage()).contains("no uniqueId");
  }

  @Test
  void billionLaughsInMetadataIsRefusedBeforeAnyExpansion() throws Exception {
    String laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        + " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        + " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        + " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n]>\n"
        + "<SubmitObjectsRequest>&lol4;</SubmitObjectsRequest>";

    XdmException e = refusal(tampered(m -> Fixtures.replaceMetadata(m, laughs)));

    assertThat(e.reason()).isEqualTo(Reason.XML_DTD_REFUSED);
  }

  @Test
  void anExternalEntityInMetadataIsRefused() throws Exception {
    String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        + "<SubmitObjectsRequest xmlns=\"urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0\">&x;</SubmitObjectsRequest>";

    XdmException e = refusal(tampered(m -> Fixtures.replaceMetadata(m, xxe)));

    assertThat(e.reason()).isEqualTo(Reason.XML_DTD_REFUSED);
    assertThat(e.getMessage()).doesNotContain("root:");
  }

  @Test
  void metadataDescribingADocumentThatIsNotInTheZipIsRefused() throws Exception {
    XdmException e = refusal(tampered(m -> m.remove(DOC1)));

    assertThat(e.reason()).isEqualTo(Reason.MISSING_DOCUMENT);
    assertThat(e.getMessage()).contains("IHE_XDM/SUBSET01/DOC0001.XML");
  }

  @Test
  void aDocumentChangedAfterPackingIsRefusedByItsHash() throws Exception {
    XdmException e = refusal(tampered(m -> {
      byte[] doc = m.get(DOC1);
      doc[doc.length / 2] ^= 1; // same size, different bytes
    }));

    assertThat(e.reason()).isEqualTo(Reason.HASH_MISMATCH);
    assertThat(e.getMessage()).contains("DOC0001.XML");
  }

  @Test
  void aSizeInMetadataThatDiffersFromTheDocumentIsRefused() throws Exception {
    int size = Fixtures.cda().length;

    XdmException e = refusal(tampered(m -> Fixtures.replaceMetadata(m,
        Fixtures.metadataOf(m).replace(">" + size + "<", ">" + (size + 1) + "<"))));

    assertThat(e.reason()).isEqualTo(Reason.SIZE_MISMATCH);
  }

  @Test
  void documentsAboutAnotherPatientThanTheSubmissionSetAreRefused() throws Exception {
    String other = PatientId.ofIns(Fixtures.ins("1691299123456")).cx();

    XdmException e = refusal(tampered(m -> {
      String xml = Fixtures.metadataOf(m);
      String value = "value=\"" + Fixtures.PATIENT.cx().replace("&", "&amp;") + "\"";
      int last = xml.lastIndexOf(value);
      Fixtures.replaceMetadata(m, xml.substring(0, last) + "value=\"" + other.replace("&", "&amp;") + "\"" + xml.substring(last + value.length()));
    }));

    assertThat(e.reason()).isEqualTo(Reason.PATIENT_MISMATCH);
    assertThat(e.getMessage()).doesNotContain(Fixtures.PATIENT.id()).doesNotContain("1691299123456");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil.xml", "IHE_XDM/SUBSET01/../../../evil.xml", "/etc/cron.d/evil", "IHE_XDM\\SUBSET01\\METADATA.XML",
      "C:/Windows/evil.dll", "c:evil.dll", "IHE_XDM//SUBSET01/x.xml"})
  void anEntryNameThatCouldEscapeTheExtractionFolderIsRefused(String name) throws Exception {
    XdmException e = refusal(tampered(m -> m.put(name, new byte[] {1})));

    assertThat(e.reason()).isEqualTo(Reason.PATH_TRAVERSAL);
    assertThat(e.getMessage()).contains("zip entry");
  }

  @Test
  void aDocumentUriThatClimbsOutOfTheSubsetFolderIsRefused() throws Exception {
    XdmException e = refusal(tampered(m -> {
      m.put("evil.xml", m.remove(DOC1));
      Fixtures.replaceMetadata(m, Fixtures.metadataOf(m).replace(">DOC0001.XML<", ">../../evil.xml<"));
    }));

    assertThat(e.reason()).isEqualTo(Reason.PATH_TRAVERSAL);
    assertThat(e.getMessage()).contains("document URI");
  }

  @Test
  void aLocalHeaderNameThatDiffersFromTheCentralDirectoryIsRefused() throws Exception {
    byte[] zip = Fixtures.validPackage();
    byte[] name = "IHE_XDM/SUBSET01/DOC0002.PDF".getBytes(StandardCharsets.US_ASCII);
    int local = indexOf(zip, name); // the local header comes first; the central directory keeps the honest name
    System.arraycopy("IHE_XDM/SUBSET01/../EVIL.PDF".getBytes(StandardCharsets.US_ASCII), 0, zip, local, name.length);

    XdmException e = refusal(zip);

    assertThat(e.reason()).isEqualTo(Reason.CORRUPT_ZIP);
    assertThat(e.getMessage()).contains("local headers").contains("EVIL.PDF");
  }

  @Test
  void twoEntriesWithTheSameNameAreRefused() throws Exception {
    byte[] zip = tampered(m -> m.put("IHE_XDM/SUBSET01/DOC0009.XML", "<x/>".getBytes(StandardCharsets.UTF_8)));
    replaceAll(zip, "IHE_XDM/SUBSET01/DOC0009.XML", DOC1); // the zip format allows it; ZipOutputStream does not

    XdmException e = refusal(zip);

    assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_ENTRY);
  }

  @Test
  void twoEntriesWhoseNamesDifferOnlyByCaseAreRefused() throws Exception {
    XdmException e = refusal(tampered(m -> m.put(DOC1.toLowerCase(), "<x/>".getBytes(StandardCharsets.UTF_8))));

    assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_ENTRY);
    assertThat(e.getMessage()).contains("ihe_xdm/subset01/doc0001.xml").contains(DOC1);
  }

  @Test
  void aZipWithTooManyEntriesIsRefused() throws Exception {
    XdmException e = refusal(tampered(m -> {
      for (int i = 0; i < 1000; i++) {
        m.put("IHE_XDM/SUBSET01/F" + i + ".TXT", new byte[0]);
      }
    }));

    assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_ENTRIES);
  }

  @Test
  void anEntryThatInflatesFarBeyondItsCompressedSizeIsRefusedAsAZipBomb() throws Exception {
    // 200 MiB of zeros deflate to about 200 KB; refused after ~2 MiB have been inflated.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry(DOC1));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }

    XdmException e = refusal(out.toByteArray());

    assertThat(e.reason()).isEqualTo(Reason.ZIP_BOMB);
    assertThat(e.getMessage()).contains(DOC1);
  }

  @Test
  void aSmallFileThatCompressesVeryWellIsNotMistakenForABomb() throws Exception {
    // 900 KB of blanks deflate about 1000 times: below the 1 MiB floor the ratio is not judged.
    byte[] zip = tampered(m -> m.put("IHE_XDM/SUBSET01/NOTES.TXT", " ".repeat(900_000).getBytes(StandardCharsets.US_ASCII)));

    XdmPackage p = XdmReader.withDefaults().read(Fixtures.write(dir, zip));

    assertThat(p.warnings()).singleElement().asString().contains("NOTES.TXT is not described");
  }

  @Test
  void metadataLargerThanItsLimitIsRefusedBeforeParsing() throws Exception {
    XdmLimits limits = XdmLimits.DEFAULTS.withMaxMetadataBytes(10_000);

    XdmException e = refusal(Fixtures.validPackage(), limits);

    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains("METADATA.XML");
  }

  @Test
  void anEntryLargerThanThePerEntryLimitIsRefused() throws Exception {
    XdmLimits limits = XdmLimits.DEFAULTS.withMaxEntryBytes(1 << 20);

    XdmException e = refusal(tampered(m -> m.put(DOC1, random(2 << 20))), limits);

    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains(DOC1);
  }

  @Test
  void theSizeLimitCountsInflatedBytesEvenWhenTheZipHeaderUnderstatesThem() throws Exception {
    XdmLimits limits = XdmLimits.DEFAULTS.withMaxEntryBytes(1 << 20);
    byte[] zip = tampered(m -> m.put(DOC1, random(3 << 20)));
    setCentralDirectorySize(zip, DOC1, 100); // the header now claims 100 bytes

    XdmException e = refusal(zip, limits);

    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void entriesTogetherLargerThanTheTotalLimitAreRefused() throws Exception {
    XdmLimits limits = XdmLimits.DEFAULTS.withMaxEntryBytes(2 << 20).withMaxTotalBytes(3 << 20);

    XdmException e = refusal(tampered(m -> {
      m.put("IHE_XDM/SUBSET01/A.BIN", random(3 << 19));
      m.put("IHE_XDM/SUBSET01/B.BIN", random(3 << 19));
    }), limits);

    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains("in total");
  }

  @Test
  void aStreamLargerThanTheTotalLimitIsRefusedWhileCopying() {
    XdmLimits limits = XdmLimits.DEFAULTS.withMaxTotalBytes(1000);

    XdmException e = catchThrowableOfType(XdmException.class,
        () -> XdmReader.withLimits(limits).read(new ByteArrayInputStream(new byte[5000])));

    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void missingReadmeAndIndexAreToleratedWithWarnings() throws Exception {
    byte[] zip = tampered(m -> {
      m.remove("README.TXT");
      m.remove("INDEX.HTM");
    });

    XdmPackage p = XdmReader.withDefaults().read(Fixtures.write(dir, zip));

    assertThat(p.entries()).hasSize(2);
    assertThat(p.warnings()).hasSize(2).anySatisfy(w -> assertThat(w).startsWith("README.TXT is missing"))
        .anySatisfy(w -> assertThat(w).startsWith("INDEX.HTM is missing"));
  }

  @Test
  void folderNamesAreMatchedIgnoringCase() throws Exception {
    byte[] zip = tampered(m -> {
      Map<String, byte[]> renamed = new LinkedHashMap<>();
      m.forEach((k, v) -> renamed.put(k.replace("IHE_XDM/SUBSET01/", "ihe_xdm/Subset07/"), v));
      m.clear();
      m.putAll(renamed);
    });

    XdmPackage p = XdmReader.withDefaults().read(Fixtures.write(dir, zip));

    assertThat(p.entries()).hasSize(2);
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  private static void replaceAll(byte[] data, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    byte[] t = to.getBytes(StandardCharsets.US_ASCII);
    for (int i = indexOf(data, f); i >= 0; i = indexOf(data, f)) {
      System.arraycopy(t, 0, data, i, t.length);
    }
  }

  /** Overwrites the uncompressed size of {@code name} in the zip's central directory (offset 24 of its record). */
  private static void setCentralDirectorySize(byte[] zip, String name, int size) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + 46 < zip.length; i++) {
      if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2
          && Arrays.equals(Arrays.copyOfRange(zip, i + 46, i + 46 + n.length), n)) {
        zip[i + 24] = (byte) size;
        zip[i + 25] = (byte) (size >> 8);
        zip[i + 26] = 0;
        zip[i + 27] = 0;
        return;
      }
    }
    throw new AssertionError("no central directory record for " + name);
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int lastIndexOf(byte[] data, byte[] pattern, int before) {
    outer:
    for (int i = Math.min(before, data.length - pattern.length); i >= 0; i--) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
