package org.pont.xdm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class XdmRoundTripTest {
  private static final String RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0";

  @TempDir Path dir;

  @Test
  void aCdaAndAPdfReadBackWithEqualMetadataAndBytes() throws Exception {
    byte[] cda = Fixtures.cda();
    byte[] pdf = Fixtures.pdf();
    DocumentEntry cdaEntry = Fixtures.entry("text/xml", "Lettre de liaison").uniqueId("1.2.250.1.213.1.1.9.99.1^LDL1").build();
    DocumentEntry pdfEntry = Fixtures.entry("application/pdf", "Lettre de liaison (PDF)").build();
    SubmissionSet set = Fixtures.submissionSet();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    XdmMetadata written = XdmWriter.of(set)
        .add(cdaEntry, DocumentSource.of(cda))
        .add(pdfEntry, DocumentSource.of(pdf))
        .writeTo(out);
    XdmPackage read = XdmReader.withDefaults().read(new ByteArrayInputStream(out.toByteArray()));

    assertThat(read.metadata()).isEqualTo(written);
    assertThat(read.submissionSet()).isEqualTo(set);
    assertThat(read.entries()).extracting(e -> e.uri().orElseThrow()).containsExactly("DOC0001.XML", "DOC0002.PDF");
    assertThat(read.content(read.entries().get(0)).bytes()).isEqualTo(cda);
    assertThat(read.content(read.entries().get(1)).bytes()).isEqualTo(pdf);
    assertThat(read.entries().get(0).size()).hasValue(cda.length);
    assertThat(read.warnings()).isEmpty();
    // The written entries are the caller's plus what the writer computed, nothing else.
    assertThat(written.entries().get(0).toBuilder().build()).isEqualTo(cdaEntry);
  }

  @Test
  void metadataXmlIsAnEbrimSubmitObjectsRequestWithTheXdsIdentifiers() throws Exception {
    Map<String, byte[]> zip = Fixtures.unzip(Fixtures.validPackage());
    Document doc = SecureXml.parse(new ByteArrayInputStream(zip.get("IHE_XDM/SUBSET01/METADATA.XML")));

    Element root = doc.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("SubmitObjectsRequest");
    assertThat(root.getNamespaceURI()).isEqualTo("urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0");
    assertThat(attributes(doc, "ExtrinsicObject", "objectType"))
        .containsExactly("urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1", "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1");
    assertThat(attributes(doc, "Classification", "classificationNode")).contains("urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd");
    assertThat(attributes(doc, "Classification", "classificationScheme")).contains(
        "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a", // classCode
        "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983", // typeCode
        "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d", // formatCode
        "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f", // confidentialityCode
        "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1", // healthcareFacilityTypeCode
        "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead", // practiceSettingCode
        "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d", // DocumentEntry.author
        "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d", // SubmissionSet.author
        "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500"); // contentTypeCode
    assertThat(attributes(doc, "ExternalIdentifier", "identificationScheme")).contains(
        "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427", // DocumentEntry.patientId
        "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab", // DocumentEntry.uniqueId
        "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446", // SubmissionSet.patientId
        "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832", // SubmissionSet.sourceId
        "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8"); // SubmissionSet.uniqueId
    assertThat(attributes(doc, "Association", "associationType"))
        .containsExactly("urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember",
            "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember");
    assertThat(attributes(doc, "ExternalIdentifier", "value")).contains(Fixtures.PATIENT.cx());
    assertThat(Fixtures.PATIENT.cx()).matches("\\w{15}\\^\\^\\^&1\\.2\\.250\\.1\\.213\\.1\\.4\\.10&ISO\\^NH");
  }

  @Test
  void thePackageHasTheIti32LayoutWithReadmeIndexMetadataAndDocuments() throws Exception {
    assertThat(Fixtures.unzip(Fixtures.validPackage()).keySet()).containsExactly(
        "IHE_XDM/", "IHE_XDM/SUBSET01/", "README.TXT", "INDEX.HTM",
        "IHE_XDM/SUBSET01/DOC0001.XML", "IHE_XDM/SUBSET01/DOC0002.PDF", "IHE_XDM/SUBSET01/METADATA.XML");
  }

  @Test
  void theIndexEscapesTitlesAndLinksEachDocument() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    XdmWriter.of(Fixtures.submissionSet())
        .add(Fixtures.entry("text/xml", "<script>alert('x')</script> & co").build(), DocumentSource.of(Fixtures.cda()))
        .writeTo(out);
    byte[] index = Fixtures.unzip(out.toByteArray()).get("INDEX.HTM");

    String html = new String(index, StandardCharsets.UTF_8);
    assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;").contains("&amp; co");
    Document doc = SecureXml.parse(new ByteArrayInputStream(index));
    assertThat(attributes(doc, "http://www.w3.org/1999/xhtml", "a", "href"))
        .contains("IHE_XDM/SUBSET01/DOC0001.XML", "IHE_XDM/SUBSET01/METADATA.XML", "README.TXT");
  }

  @Test
  void theHashAndSizeComeFromTheBytesNeverFromTheCaller() throws Exception {
    DocumentEntry e = Fixtures.entry("application/pdf", "PDF").build();
    DocumentEntry lying = new DocumentEntry(e.entryUuid(), e.uniqueId(), e.mimeType(), Optional.of("../evil.pdf"),
        Optional.of("0000000000000000000000000000000000000000"), OptionalLong.of(1), e.classCode(), e.typeCode(), e.formatCode(),
        e.confidentialityCodes(), e.eventCodes(), e.healthcareFacilityTypeCode(), e.practiceSettingCode(), e.patientId(),
        e.sourcePatientId(), e.sourcePatientInfo(), e.creationTime(), e.authors(), e.languageCode(), e.title());

    XdmMetadata written = XdmWriter.of(Fixtures.submissionSet()).add(lying, DocumentSource.of(Fixtures.pdf()))
        .writeTo(new ByteArrayOutputStream());

    DocumentEntry w = written.entries().get(0);
    assertThat(w.uri()).contains("DOC0001.PDF");
    assertThat(w.size()).hasValue(Fixtures.pdf().length);
    assertThat(w.hash()).get().asString().hasSize(40).isNotEqualTo("0000000000000000000000000000000000000000");
  }

  @Test
  void theWriterRefusesADocumentWithoutTheMetadataReceiversNeed() {
    DocumentEntry bare = DocumentEntry.builder().mimeType("text/xml").patientId(Fixtures.PATIENT).build();

    assertThatThrownBy(() -> XdmWriter.of(Fixtures.submissionSet()).add(bare, DocumentSource.of(new byte[1]))
        .writeTo(new ByteArrayOutputStream()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classCode").hasMessageContaining("typeCode").hasMessageContaining("languageCode");
  }

  @Test
  void theWriterRefusesAValueTooLongForEbrimBeforeWritingAnything() {
    DocumentEntry longInfo = Fixtures.entry("text/xml", "x").sourcePatientInfo("PID-11|" + "x".repeat(300)).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThatThrownBy(() -> XdmWriter.of(Fixtures.submissionSet()).add(longInfo, DocumentSource.of(new byte[1])).writeTo(out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slot sourcePatientInfo").hasMessageContaining("256").hasMessageNotContaining("xxxx");
    assertThat(out.size()).isZero();
  }

  @Test
  void theWriterRefusesDocumentsAboutAnotherPatient() {
    DocumentEntry other = Fixtures.entry("text/xml", "x").patientId(PatientId.ofIns(Fixtures.ins("1691299123456"))).build();

    assertThatThrownBy(() -> XdmWriter.of(Fixtures.submissionSet()).add(other, DocumentSource.of(new byte[1]))
        .writeTo(new ByteArrayOutputStream()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another patient");
  }

  @Test
  void theWriterRefusesADocumentLargerThanTheLimit() {
    XdmException e = catchThrowableOfType(XdmException.class, () -> XdmWriter.of(Fixtures.submissionSet())
        .limits(XdmLimits.DEFAULTS.withMaxEntryBytes(1000))
        .add(Fixtures.entry("application/pdf", "big").build(), DocumentSource.of(new byte[1001]))
        .writeTo(new ByteArrayOutputStream()));

    assertThat(e.reason()).isEqualTo(XdmException.Reason.TOO_LARGE);
  }

  @Test
  void aFailedWriteToAFileLeavesNoHalfWrittenZip() {
    Path zip = dir.resolve("out.zip");

    XdmException e = catchThrowableOfType(XdmException.class, () -> XdmWriter.of(Fixtures.submissionSet())
        .limits(XdmLimits.DEFAULTS.withMaxEntryBytes(1000))
        .add(Fixtures.entry("text/xml", "big").build(), DocumentSource.of(new byte[1001]))
        .writeTo(zip));

    assertThat(e).isNotNull();
    assertThat(zip).doesNotExist();
  }

  @Test
  void pdfsAreStoredAndXmlIsDeflated() throws Exception {
    Path zip = Fixtures.write(dir, Fixtures.validPackage());

    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
      assertThat(z.getEntry("IHE_XDM/SUBSET01/DOC0002.PDF").getMethod()).isEqualTo(java.util.zip.ZipEntry.STORED);
      assertThat(z.getEntry("IHE_XDM/SUBSET01/DOC0001.XML").getMethod()).isEqualTo(java.util.zip.ZipEntry.DEFLATED);
    }
  }

  @Test
  void aSourceThatChangesBetweenItsCrcPassAndItsCopyFailsTheWrite() {
    int[] opens = {0};
    DocumentSource unstable = () -> new ByteArrayInputStream(opens[0]++ == 0 ? Fixtures.pdf() : "changed".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> XdmWriter.of(Fixtures.submissionSet()).add(Fixtures.entry("application/pdf", "x").build(), unstable)
        .writeTo(new ByteArrayOutputStream()))
        .isInstanceOf(java.util.zip.ZipException.class);
  }

  /** The size reported for MSSanté patient messaging; prints pack and read times to the surefire output. */
  @Test
  void aTwentyFiveMegabyteDocumentPacksFromDiskAndReadsBackWithinTheDefaultLimits() throws Exception {
    byte[] big = new byte[(int) XdmLimits.DEFAULTS.maxEntryBytes()];
    new Random(42).nextBytes(big); // incompressible, like a scanned PDF
    Path source = Files.write(dir.resolve("scan.pdf"), big);
    Path zip = dir.resolve("big.zip");

    long t0 = System.nanoTime();
    XdmWriter.of(Fixtures.submissionSet()).add(Fixtures.entry("application/pdf", "Scan").build(), DocumentSource.of(source)).writeTo(zip);
    long t1 = System.nanoTime();
    XdmPackage read = XdmReader.withDefaults().read(zip);
    long t2 = System.nanoTime();

    System.out.printf("25 MiB PDF: pack %d ms, read %d ms, zip %d bytes%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, Files.size(zip));
    assertThat(read.content(read.entries().get(0)).bytes()).isEqualTo(big);
  }

  private static List<String> attributes(Document doc, String element, String attribute) {
    return attributes(doc, RIM, element, attribute);
  }

  private static List<String> attributes(Document doc, String ns, String element, String attribute) {
    NodeList nodes = doc.getElementsByTagNameNS(ns, element);
    java.util.ArrayList<String> values = new java.util.ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      String v = ((Element) nodes.item(i)).getAttribute(attribute);
      if (!v.isEmpty()) {
        values.add(v);
      }
    }
    return values;
  }
}
