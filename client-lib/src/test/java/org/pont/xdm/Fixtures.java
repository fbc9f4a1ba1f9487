package org.pont.xdm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.pont.message.Ins;
import org.pont.message.InsKind;

/** Shared test material: the public test documents, a valid package, and zips built entry by entry. */
final class Fixtures {
  private Fixtures() {}

  static final String LOINC = "2.16.840.1.113883.6.1";

  /** The shared public test data folder; tests fail (not skip) without it. */
  static Path testdata() {
    String dir = System.getProperty("pont.testdata");
    assertThat(dir).as("system property pont.testdata (set by the parent pom's surefire configuration)").isNotNull();
    Path p = Path.of(dir);
    assertThat(p).as("shared test data folder " + p).isDirectory();
    return p;
  }

  static Path xdm(String name) {
    Path p = testdata().resolve("xdm").resolve(name);
    assertThat(p).as("shared XDM sample").isRegularFile();
    return p;
  }

  /** A valid INS on the test OID, its key computed by the NIR rule. */
  static Ins ins(String matricule) {
    long n = Long.parseLong(matricule);
    return Ins.of(matricule + String.format("%02d", 97 - n % 97), InsKind.INS_NIR_TEST);
  }

  static final PatientId PATIENT = PatientId.ofIns(ins("2800875123456"));

  static Author author() {
    return Author.builder()
        .person("810002909371^MARTIN^Jean^^^Dr^^^&1.2.250.1.71.4.2.1&ISO")
        .institution("Hôpital de test^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^11000001")
        .role("10^Médecin^1.2.250.1.71.1.2.7")
        .specialty("SM54^Médecine générale (SM)^1.2.250.1.71.4.2.5")
        .telecommunication("^^Internet^jean.martin@hopital.mssante.fr")
        .build();
  }

  static SubmissionSet submissionSet() {
    return SubmissionSet.builder()
        .sourceId("1.2.250.1.213.1.1.9.99")
        .submissionTime(Instant.parse("2026-11-22T10:15:30.456Z"))
        .contentTypeCode(Code.of("11490-0", LOINC, "Lettre de liaison à la sortie"))
        .patientId(PATIENT)
        .author(author())
        .intendedRecipientAddress("dr.durand@cabinet.mssante.fr")
        .title("Sortie d'hospitalisation")
        .build();
  }

  /**
   * Metadata of a discharge letter. typeCode, confidentialityCode, healthcareFacilityTypeCode and
   * practiceSettingCode are taken from the ANS value sets in the shared test data (JDV_J07, J08,
   * J02, J04); classCode (JDV_J06) and formatCode (JDV_J10) are not among them and are illustrative.
   */
  static DocumentEntry.Builder entry(String mimeType, String title) {
    return DocumentEntry.builder()
        .mimeType(mimeType)
        .title(title)
        .classCode(Code.of("11", "1.2.250.1.213.1.1.4.1", "Compte rendu"))
        .typeCode(Code.of("11490-0", LOINC, "Lettre de liaison à la sortie d'un établissement de soins"))
        .formatCode(Code.of("urn:hl7-org:sdwg:ldl-ses:2022.01", "1.3.6.1.4.1.19376.1.2.3"))
        .confidentialityCode(Code.of("N", "2.16.840.1.113883.5.25", "Normal"))
        .healthcareFacilityTypeCode(Code.of("SA01", "1.2.250.1.71.4.2.4", "Etablissement public de santé"))
        .practiceSettingCode(Code.of("ETABLISSEMENT", "1.2.250.1.213.1.1.4.9", "Etablissement de santé"))
        .patientId(PATIENT)
        .sourcePatientId(PATIENT)
        .sourcePatientInfo("PID-5|DUPONT^Marie^^^^^L")
        .creationTime(Instant.parse("2026-11-21T16:00:00Z"))
        .author(author())
        .languageCode("fr-FR");
  }

  static byte[] cda() throws IOException {
    return Files.readAllBytes(testdata().resolve("cda/LDL-SES_2022.01.xml"));
  }

  /** A small but real PDF (one empty page). */
  static byte[] pdf() {
    return ("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A valid package written by Pont: one CDA document and one PDF. */
  static byte[] validPackage() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    XdmWriter.of(submissionSet())
        .add(entry("text/xml", "Lettre de liaison").uniqueId("1.2.250.1.213.1.1.9.99.1").build(), DocumentSource.of(cda()))
        .add(entry("application/pdf", "Lettre de liaison (PDF)").uniqueId("1.2.250.1.213.1.1.9.99.2").build(), DocumentSource.of(pdf()))
        .writeTo(out);
    return out.toByteArray();
  }

  /** The entries of a zip, in order. */
  static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  /** A zip of these entries, in order (folders end with '/'). */
  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static String metadataOf(Map<String, byte[]> entries) {
    return new String(entries.get("IHE_XDM/SUBSET01/METADATA.XML"), StandardCharsets.UTF_8);
  }

  static void replaceMetadata(Map<String, byte[]> entries, String xml) {
    entries.put("IHE_XDM/SUBSET01/METADATA.XML", xml.getBytes(StandardCharsets.UTF_8));
  }

  static Path write(Path dir, byte[] zip) throws IOException {
    Path p = Files.createTempFile(dir, "xdm-", ".zip");
    Files.write(p, zip);
    return p;
  }
}
