package org.pont.cda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.message.Sex;

/** Reads the ANS CI-SIS examples (ansforge/TestContenuCDA-3-0 @ 7cd489b, ExemplesCDA/). */
class CdaReaderTest {
  private static final Ins SAMPLE_INS = Ins.of("279035121518989", InsKind.INS_NIR_TEST);
  private final CdaReader reader = new CdaReader();

  @Test
  void theDischargeLetterHeaderIsReadWithItsRealValues() throws Exception {
    CdaDocument d = reader.read(TestData.cda("LDL-SES_2022.01.xml"));

    assertThat(d.code()).isEqualTo(CdaCode.of("11490-0", "2.16.840.1.113883.6.1",
        "Lettre de liaison à la sortie d'un établissement de soins"));
    assertThat(d.documentType()).contains(DocumentType.DISCHARGE_LETTER);
    assertThat(d.templateIds()).containsExactly(InstanceId.of("2.16.840.1.113883.2.8.2.1"),
        InstanceId.of("1.2.250.1.213.1.1.1.1"), InstanceId.of("1.2.250.1.213.1.1.1.29", "2022.01"));
    assertThat(d.id()).isEqualTo(InstanceId.of("1.2.250.1.213.1.1.1.29.2022.1.1"));
    assertThat(d.title()).isEqualTo("Lettre de liaison à la sortie de l'établissement de santé");
    assertThat(d.effectiveTime()).isEqualTo(OffsetDateTime.parse("2019-12-03T13:30:00+01:00"));
    assertThat(d.confidentiality().code()).isEqualTo("N");
    assertThat(d.languageCode()).contains("fr-FR");
    assertThat(d.setId()).contains(InstanceId.of("1.2.250.1.213.1.1.1.29.2022.1"));
    assertThat(d.versionNumber()).contains(1);
  }

  @Test
  void thePatientIsReadWithInsNamesBirthDateAndSex() throws Exception {
    CdaPatient p = reader.read(TestData.cda("LDL-SES_2022.01.xml")).patient();

    assertThat(p.ins()).contains(SAMPLE_INS);
    assertThat(p.ids()).containsExactly(InstanceId.of("1.2.250.1.213.1.4.10", "279035121518989"),
        InstanceId.of("1.2.3.4.567.8.9.10", "1234567890121"));
    assertThat(p.familyName()).contains("PAT-TROIS");
    assertThat(p.givenNames()).containsExactly("DOMINIQUE", "MARIE-LOUISE");
    assertThat(p.usedFamilyName()).contains("PAT-TROIS");
    assertThat(p.usedGivenName()).contains("DOMINIQUE");
    assertThat(p.birthDate()).contains(LocalDate.of(1979, 3, 28));
    assertThat(p.sex()).isEqualTo(Sex.FEMALE);
    assertThat(p.toPatient()).hasValueSatisfying(patient -> {
      assertThat(patient.ins()).isEqualTo(SAMPLE_INS);
      assertThat(patient.firstGivenName()).isEqualTo("DOMINIQUE");
    });
  }

  @Test
  void thePatientsToStringShowsNoIdentity() throws Exception {
    CdaPatient p = reader.read(TestData.cda("LDL-SES_2022.01.xml")).patient();

    assertThat(p.toString()).doesNotContain("PAT-TROIS").doesNotContain("DOMINIQUE").doesNotContain("1979")
        .doesNotContain("2790351215189").doesNotContain("1234567890121");
  }

  @Test
  void theAuthorAndCustodianAreRead() throws Exception {
    CdaDocument d = reader.read(TestData.cda("LDL-SES_2022.01.xml"));

    assertThat(d.authors()).singleElement().satisfies(a -> {
      assertThat(a.id()).isEqualTo(InstanceId.rpps("01234567897"));
      assertThat(a.name()).contains(new PersonName(Optional.of("M"), List.of("Charles"), "DAVID", Optional.of("DR")));
      assertThat(a.specialty()).contains(CdaCode.of("G15_10/SM27", "1.2.250.1.213.1.1.4.5", "Médecin - Médecine interne (SM)"));
      assertThat(a.organization()).contains(Organization.finess("750803447", "Hôpital Européen Georges Pompidou"));
    });
    assertThat(d.custodian()).isEqualTo(new Organization(InstanceId.of("1.2.250.1.71.4.2.2", "1750803447"),
        "Hôpital Européen Georges Pompidou"));
  }

  @Test
  void theSectionsOfALevel3DocumentAreReadWithPlainNarrative() throws Exception {
    CdaDocument d = reader.read(TestData.cda("LDL-SES_2022.01.xml"));

    assertThat(d.isLevel1()).isFalse();
    CdaBody.StructuredBody body = (CdaBody.StructuredBody) d.body();
    assertThat(body.sections()).extracting(s -> s.code().orElseThrow().code()).containsExactly(
        "33557-0", "42349-1", "42545-4", "18610-6", "10183-2", "30954-2", "18776-5", "46264-8", "48765-2");
    Section reason = body.sections().get(1);
    assertThat(reason.title()).contains("Motif de l'hospitalisation");
    assertThat(reason.templateIds()).containsExactly("1.3.6.1.4.1.19376.1.5.3.1.3.1", "1.2.250.1.213.1.1.2.127");
    assertThat(reason.text()).isEqualTo("Episode psychotique – cachexie/anorexie");
    Section discharge = body.sections().get(4);
    assertThat(discharge.text().lines()).contains("03/12/2019 02/02/2020 LEPONEX 100 mg 1 comprimé 1 fois / jour "
        + "prendre par la bouche 100 mg / jour 300 mg / jour");
    assertThat(discharge.toString()).doesNotContain("LEPONEX");
  }

  @Test
  void nestedSectionsAreReadUnderTheirParent() throws Exception {
    CdaBody.StructuredBody body = (CdaBody.StructuredBody) reader.read(TestData.cda("IMG_CR_IMG_2024.01.xml")).body();

    Section clinical = body.sections().get(1);
    assertThat(clinical.title()).contains("Informations cliniques");
    assertThat(clinical.sections()).extracting(s -> s.code().orElseThrow().code()).containsExactly("55115-0", "11329-0");
    assertThat(clinical.sections().get(0).title()).contains("Justification de la demande d’examen / Finalité de l'examen");
    assertThat(body.allSections()).hasSizeGreaterThan(body.sections().size());
  }

  @Test
  void aLevel1DocumentGivesItsEmbeddedPdf() throws Exception {
    CdaDocument d = reader.read(TestData.cda("DOC_NON_STRUCTURE_CDA-R2-N1.xml"));

    assertThat(d.isLevel1()).isTrue();
    assertThat(d.code().code()).isEqualTo("11502-2");
    assertThat(d.documentType()).isEmpty();
    CdaBody.NonXmlBody pdf = (CdaBody.NonXmlBody) d.body();
    assertThat(pdf.mediaType()).isEqualTo("application/pdf");
    assertThat(pdf.size()).isEqualTo(326_650);
    assertThat(new String(pdf.content(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.5");
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf.content())))
        .isEqualTo("72cbc4c926baf2817c7f9013a5f898c2254c84db2d3fad6febf22b64abd01529");
    assertThat(d.authors().get(0).name().orElseThrow().familyName()).isEqualTo("CAMPARINI");
    assertThat(d.custodian().name()).isEqualTo("Laboratoire des charmes");
    assertThat(d.effectiveTime()).isEqualTo(OffsetDateTime.parse("2021-04-01T13:47:45+01:00"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "LDL-EES_2022.01.xml | 18761-7 | 1.2.250.1.213.1.1.1.21 | 2019-10-29T11:17+01:00 | BOILEAU | Centre de soins du Belvédère | 6",
      "eP-MED-DM_2024.01_PosoStruct.xml | 57833-6 | 1.2.250.1.213.1.1.1.39 | 2023-12-01T09:30+01:00 | PIOU | Cabinet du DR Pierre JOLI | 7",
      "IMG_CR_IMG_2024.01.xml | 18748-4 | 1.2.250.1.213.1.1.1.45 | 2021-01-08T11:17+01:00 | BIDEAULT | Centre de radiologie Ambroise | 12"})
  void everyAnsSampleIsReadWithItsRealValues(String file, String code, String template, String time, String author,
      String custodian, int sections) throws Exception {
    CdaDocument d = reader.read(TestData.cda(file));

    assertThat(d.code().code()).isEqualTo(code);
    assertThat(d.hasTemplate(template)).isTrue();
    assertThat(d.effectiveTime()).isEqualTo(OffsetDateTime.parse(time));
    assertThat(d.authors().get(0).name().orElseThrow().familyName()).isEqualTo(author);
    assertThat(d.custodian().name()).isEqualTo(custodian);
    assertThat(d.patient().ins()).contains(SAMPLE_INS);
    assertThat(((CdaBody.StructuredBody) d.body()).sections()).hasSize(sections);
  }

  @Test
  void anInsWithAWrongKeyIsKeptAsARawIdButNotOfferedAsIns() throws Exception {
    String xml = new String(TestData.cda("LDL-SES_2022.01.xml"), StandardCharsets.UTF_8)
        .replace("extension=\"279035121518989\"", "extension=\"279035121518988\"");

    CdaPatient p = reader.read(xml.getBytes(StandardCharsets.UTF_8)).patient();

    assertThat(p.ins()).isEmpty();
    assertThat(p.ids()).contains(InstanceId.of("1.2.250.1.213.1.4.10", "279035121518988"));
    assertThat(p.toPatient()).isEmpty();
  }

  @Test
  void malformedXmlIsRefused() {
    assertRefused("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id", CdaException.Reason.MALFORMED_XML);
  }

  @Test
  void aDoctypeIsRefusedSoNoExternalEntityIsRead() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>&x;</title></ClinicalDocument>";
    assertRefused(xxe, CdaException.Reason.DOCTYPE_REFUSED);
  }

  @Test
  void entityExpansionIsRefused() {
    String laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
        + "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>&b;</title></ClinicalDocument>";
    assertRefused(laughs, CdaException.Reason.DOCTYPE_REFUSED);
  }

  @Test
  void aRootThatIsNotAClinicalDocumentIsRefused() {
    assertRefused("<ClinicalDocument/>", CdaException.Reason.NOT_A_CDA);
    assertRefused("<Document xmlns=\"urn:hl7-org:v3\"/>", CdaException.Reason.NOT_A_CDA);
  }

  @Test
  void aDocumentWithoutPatientIsRefusedNamingTheMissingPart() {
    String xml = new String(TestData.cda("LDL-SES_2022.01.xml"), StandardCharsets.UTF_8)
        .replaceAll("(?s)<recordTarget>.*</recordTarget>", "");

    assertThatThrownBy(() -> reader.read(xml.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CdaException.class, e -> {
          assertThat(e.reason()).isEqualTo(CdaException.Reason.MISSING_HEADER);
          assertThat(e.getMessage()).contains("recordTarget/patientRole");
        });
  }

  @Test
  void aDocumentAboutTwoPatientsIsRefused() {
    String xml = new String(TestData.cda("LDL-SES_2022.01.xml"), StandardCharsets.UTF_8);
    int end = xml.indexOf("</recordTarget>") + "</recordTarget>".length();
    String twice = xml.substring(0, end) + xml.substring(xml.indexOf("<recordTarget"), end) + xml.substring(end);

    assertThatThrownBy(() -> reader.read(twice.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CdaException.class, e -> {
          assertThat(e.reason()).isEqualTo(CdaException.Reason.INVALID_VALUE);
          assertThat(e.getMessage()).contains("2 patients");
        });
  }

  @Test
  void aDocumentWithoutCustodianOrAuthorIsRefused() {
    String noCustodian = new String(TestData.cda("LDL-SES_2022.01.xml"), StandardCharsets.UTF_8)
        .replaceAll("(?s)<custodian typeCode=\"CST\">.*</custodian>", "");
    String noAuthor = new String(TestData.cda("DOC_NON_STRUCTURE_CDA-R2-N1.xml"), StandardCharsets.UTF_8)
        .replaceAll("(?s)<author>.*</author>", "");

    assertRefused(noCustodian, CdaException.Reason.MISSING_HEADER);
    assertRefused(noAuthor, CdaException.Reason.MISSING_HEADER);
  }

  @Test
  void aBadDateIsRefusedAsAnInvalidValue() {
    String xml = new String(TestData.cda("LDL-SES_2022.01.xml"), StandardCharsets.UTF_8)
        .replace("<effectiveTime value=\"20191203133000+0100\"/>", "<effectiveTime value=\"03/12/2019\"/>");

    assertRefused(xml, CdaException.Reason.INVALID_VALUE);
  }

  @Test
  void aCorruptBase64BodyIsRefused() {
    String xml = new String(TestData.cda("DOC_NON_STRUCTURE_CDA-R2-N1.xml"), StandardCharsets.UTF_8)
        .replace("representation=\"B64\">JVBERi0x", "representation=\"B64\">*not base64*JVBERi0x");

    assertRefused(xml, CdaException.Reason.INVALID_VALUE);
  }

  @Test
  void nonXmlBodyWhitespaceIsDroppedButNothingElse() {
    // What the regex it replaced removed (\s: space, tab, LF, CR, FF, VT), and only that.
    assertThat(ascii(CdaReader.base64Bytes(" QU\tJD\r\nRA==\f\u000B "))).isEqualTo("QUJDRA==");
    assertThat(ascii(CdaReader.base64Bytes("QU JD!RA==\u00A0"))).isEqualTo("QUJD!RA==!");
  }

  @Test
  void aNonAsciiCharacterInABase64BodyIsRefusedNotReadAsTheLetterItsLowByteSpells() {
    // U+0141 cast to a byte is 0x41, 'A': a body "QUJD\u0141A==" would otherwise decode as "QUJDAA==".
    String xml = new String(TestData.cda("DOC_NON_STRUCTURE_CDA-R2-N1.xml"), StandardCharsets.UTF_8)
        .replace("representation=\"B64\">JVBERi0x", "representation=\"B64\">JVBE\u0141i0x");

    assertRefused(xml, CdaException.Reason.INVALID_VALUE);
  }

  private static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  private void assertRefused(String xml, CdaException.Reason reason) {
    assertThatThrownBy(() -> reader.read(xml.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CdaException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
