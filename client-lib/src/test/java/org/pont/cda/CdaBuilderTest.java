package org.pont.cda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.message.Patient;
import org.pont.message.Sex;

/** Every document Pont builds must pass the ANS schematron of its type: the key acceptance criterion. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdaBuilderTest {
  static final Patient PATIENT = new Patient(Ins.of("279035121518989", InsKind.INS_NIR_TEST), "PAT-TROIS",
      List.of("DOMINIQUE", "MARIE-LOUISE"), LocalDate.of(1979, 3, 28), Sex.FEMALE);
  static final Organization HOSPITAL = Organization.finess("750803447", "Hôpital Européen Georges Pompidou");
  static final Author AUTHOR = Author.of(InstanceId.rpps("01234567897"), PersonName.of("M", "Charles", "DAVID", "DR"),
      Author.specialty("G15_10/SM27", "Médecin - Médecine interne (SM)"), HOSPITAL);
  static final OffsetDateTime ADMITTED = OffsetDateTime.parse("2026-10-29T11:17:00+01:00");
  static final OffsetDateTime DISCHARGED = OffsetDateTime.parse("2026-11-03T13:30:00+01:00");

  private CdaValidator validator;
  private final CdaReader reader = new CdaReader();
  private byte[] pdf;

  @BeforeAll
  void setUp() throws Exception {
    validator = CdaValidator.fromDirectory(TestData.schematrons());
    // A real PDF: the one embedded in the ANS level-1 example.
    pdf = ((CdaBody.NonXmlBody) reader.read(TestData.cda("DOC_NON_STRUCTURE_CDA-R2-N1.xml")).body()).content();
  }

  static CdaHeader.Builder header(DocumentType type) {
    return CdaHeader.builder(type)
        .effectiveTime(DISCHARGED)
        .patient(PATIENT)
        .author(AUTHOR)
        .custodian(HOSPITAL)
        .healthcareFacilityType(CdaCode.FACILITY_PUBLIC_HOSPITAL)
        .practiceSetting(CdaCode.PRACTICE_HOSPITAL)
        .careperiod(TimeRange.of(ADMITTED, DISCHARGED));
  }

  static DischargeLetter.Builder letter() {
    return DischargeLetter.builder(header(DocumentType.DISCHARGE_LETTER).build())
        .status(DocumentStatus.DONE)
        .admissionMode(AdmissionMode.EMERGENCY)
        .dischargeMode(DischargeMode.HOME)
        .reasonForStay("Pneumopathie aiguë communautaire")
        .staySummary("Entrée par les urgences le 29/10.\nAntibiothérapie IV 5 jours, évolution favorable.")
        .dischargeMedications("AMOXICILLINE 1 g : 1 comprimé 3 fois par jour pendant 2 jours");
  }

  static Stream<DocumentType> level1Types() {
    return Stream.of(DocumentType.HOSPITAL_STAY_REPORT, DocumentType.REFERRAL_LETTER,
        DocumentType.PHYSIOTHERAPY_PRESCRIPTION, DocumentType.MEDICATION_PRESCRIPTION);
  }

  @Test
  void aDischargeLetterPassesTheLdlSesSchematron() throws Exception {
    byte[] xml = letter().build().toXml();

    ValidationReport report = validator.validate(xml);

    assertThat(report.schematron()).isEqualTo("CI-SIS_LDL-SES_2022.01.sch");
    assertThat(report.errors()).isEmpty();
    assertThat(report.firedRules()).isPositive();
  }

  @Test
  void aDischargeLetterWithEveryOptionalSectionAlsoPassesTheCommonProfile() throws Exception {
    byte[] xml = letter().medicationsDuringStay("Ceftriaxone 1 g IV du 29/10 au 02/11").pendingResults("Hémocultures")
        .followUp("Consultation de contrôle à 1 mois").status(DocumentStatus.IN_PROGRESS).build().toXml();

    assertThat(validator.validate(xml).errors()).isEmpty();
    assertThat(validator.validate(xml, Path.of(CdaValidator.GENERIC_PROFILE)).errors()).isEmpty();
    // The ANS section rules (status section needs an id, a title and its simple observation...).
    ValidationReport ans = validator.validate(xml, Path.of("profils/CI-SIS_Modeles_ANS.sch"));
    assertThat(ans.errors()).isEmpty();
    assertThat(ans.firedRules()).isPositive();
  }

  @Test
  void aDischargeLetterReadsBackWithItsSectionsAndNarrative() throws Exception {
    CdaDocument d = reader.read(letter().build().toXml());

    assertThat(d.documentType()).contains(DocumentType.DISCHARGE_LETTER);
    assertThat(d.hasTemplate(DischargeLetter.TEMPLATE)).isTrue();
    assertThat(d.patient().toPatient()).contains(PATIENT);
    assertThat(d.authors()).containsExactly(AUTHOR);
    assertThat(d.custodian()).isEqualTo(HOSPITAL);
    assertThat(d.effectiveTime()).isEqualTo(DISCHARGED);
    List<Section> sections = ((CdaBody.StructuredBody) d.body()).sections();
    assertThat(sections).extracting(s -> s.code().orElseThrow().code()).containsExactly("33557-0", "42349-1", "42545-4", "10183-2");
    assertThat(sections.get(0).text()).isEqualTo("réalisé");
    assertThat(sections.get(2).text()).isEqualTo("Modalité d'entrée : hospitalisation en urgence\n"
        + "Modalité de sortie : retour au domicile\n"
        + "Entrée par les urgences le 29/10.\nAntibiothérapie IV 5 jours, évolution favorable.");
  }

  @Test
  void everyAdmissionAndDischargeModeIsInItsAnsValueSet() throws Exception {
    // Pairs, not the product: each constant appears in at least one validated letter.
    int n = Math.max(AdmissionMode.values().length, DischargeMode.values().length);
    for (int i = 0; i < n; i++) {
      AdmissionMode in = AdmissionMode.values()[i % AdmissionMode.values().length];
      DischargeMode out = DischargeMode.values()[i % DischargeMode.values().length];
      byte[] xml = letter().admissionMode(in).dischargeMode(out).build().toXml();
      assertThat(validator.validate(xml).errors()).as(in + " / " + out).isEmpty();
      assertThat(validator.validate(xml, Path.of(CdaValidator.GENERIC_PROFILE)).errors()).as(in + " / " + out).isEmpty();
    }
  }

  @Test
  void anAdmissionModeOutsideTheValueSetFailsTheLdlSesSchematron() throws Exception {
    // Proves the LDL-SES schematron really reads ../jeuxDeValeurs/JDV_ModaliteEntree_CISIS.xml.
    String xml = new String(letter().build().toXml(), StandardCharsets.UTF_8).replace("code=\"183452005\"", "code=\"183452006\"");

    ValidationReport report = validator.validate(xml.getBytes(StandardCharsets.UTF_8));

    assertThat(report.errors()).singleElement().satisfies(f -> assertThat(f.message())
        .contains("183452006").contains("JDV_ModaliteEntree_CISIS.xml"));
  }

  @Test
  void narrativeIsEscapedNotInterpretedAsMarkup() throws Exception {
    String hostile = "<script>alert(1)</script> & </text></section>";
    byte[] xml = letter().reasonForStay(hostile).build().toXml();

    Section reason = ((CdaBody.StructuredBody) reader.read(xml).body()).sections().get(1);
    assertThat(reason.text()).isEqualTo(hostile);
    assertThat(validator.validate(xml).errors()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("level1Types")
  void aLevel1DocumentOfEachTypePassesTheCommonProfile(DocumentType type) throws Exception {
    byte[] xml = Level1Document.pdf(header(type).build(), pdf).toXml();

    ValidationReport report = validator.validate(xml);

    assertThat(report.schematron()).isEqualTo(CdaValidator.GENERIC_PROFILE);
    assertThat(report.errors()).isEmpty();
    assertThat(report.firedRules()).isPositive();
  }

  @ParameterizedTest
  @MethodSource("level1Types")
  void aLevel1DocumentReadsBackWithItsPdfAndCode(DocumentType type) throws Exception {
    CdaHeader header = header(type).title("Document de test").build();

    CdaDocument d = reader.read(Level1Document.pdf(header, pdf).toXml());

    assertThat(d.documentType()).contains(type);
    assertThat(d.code().codeSystem()).isEqualTo(type.codeSystem());
    assertThat(d.id()).isEqualTo(header.id());
    assertThat(d.setId()).contains(header.setId());
    assertThat(d.title()).isEqualTo("Document de test");
    assertThat(d.hasTemplate(Level1Document.XDS_SD_TEMPLATE)).isTrue();
    assertThat(d.body()).isEqualTo(new CdaBody.NonXmlBody("application/pdf", pdf));
  }

  @Test
  void aBuiltDocumentBecomesAClinicalDocumentOfTheMessageModel() throws Exception {
    org.pont.message.ClinicalDocument doc = letter().build().toClinicalDocument("DOC0001.XML");

    assertThat(doc.type()).isEqualTo(DocumentType.DISCHARGE_LETTER);
    assertThat(doc.isCda()).isTrue();
    assertThat(doc.fileName()).isEqualTo("DOC0001.XML");
    assertThat(reader.read(doc.content()).documentType()).contains(DocumentType.DISCHARGE_LETTER);
  }

  @Test
  void thePhysiotherapyPrescriptionUsesTheAnsTreCode() throws Exception {
    String xml = new String(Level1Document.pdf(header(DocumentType.PHYSIOTHERAPY_PRESCRIPTION).build(), pdf).toXml(),
        StandardCharsets.UTF_8);

    assertThat(xml).contains("code=\"PRESC-KINE\"").contains("codeSystem=\"1.2.250.1.213.1.1.4.12\"");
  }

  @Test
  void aPatientOfUnknownSexIsWrittenWithTheCisisCodeForUnknown() throws Exception {
    Patient unknown = new Patient(PATIENT.ins(), "PAT-TROIS", List.of("DOMINIQUE"), PATIENT.birthDate(), Sex.UNKNOWN);
    byte[] xml = Level1Document.pdf(header(DocumentType.REFERRAL_LETTER).patient(unknown).build(), pdf).toXml();

    assertThat(validator.validate(xml).errors()).isEmpty();
    assertThat(reader.read(xml).patient().sex()).isEqualTo(Sex.UNKNOWN);
  }

  @Test
  void aBrokenBuiltDocumentFailsWithTheExpectedAssertion() throws Exception {
    String xml = new String(letter().build().toXml(), StandardCharsets.UTF_8)
        .replace("code=\"10183-2\"", "code=\"10160-0\"")
        .replace("root=\"1.3.6.1.4.1.19376.1.5.3.1.3.22\"", "root=\"1.3.6.1.4.1.19376.1.5.3.1.3.19\"");

    ValidationReport report = validator.validate(xml.getBytes(StandardCharsets.UTF_8));

    assertThat(report.isValid()).isFalse();
    assertThat(report.errors()).extracting(ValidationReport.Failure::message)
        .anySatisfy(m -> assertThat(m).contains("FR-Traitements-a-la-sortie"));
  }

  @Test
  void somethingOtherThanAPdfIsRefusedAsALevel1Pdf() {
    assertThatThrownBy(() -> Level1Document.pdf(header(DocumentType.REFERRAL_LETTER).build(), "hello".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CdaException.class, e -> assertThat(e.reason()).isEqualTo(CdaException.Reason.INVALID_INPUT));
    assertThatThrownBy(() -> Level1Document.of(header(DocumentType.REFERRAL_LETTER).build(), "application/zip", pdf))
        .isInstanceOfSatisfying(CdaException.class, e -> assertThat(e.reason()).isEqualTo(CdaException.Reason.INVALID_INPUT));
  }

  @Test
  void aDischargeLetterNeedsItsMandatorySectionsAndAFinishedStay() {
    assertThatThrownBy(() -> DischargeLetter.builder(header(DocumentType.DISCHARGE_LETTER).build()).reasonForStay("x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("staySummary").hasMessageContaining("dischargeMedications")
        .hasMessageContaining("admissionMode").hasMessageContaining("dischargeMode");
    assertThatThrownBy(() -> DischargeLetter.builder(header(DocumentType.DISCHARGE_LETTER)
            .careperiod(TimeRange.startingAt(ADMITTED)).build())
        .admissionMode(AdmissionMode.PLANNED).dischargeMode(DischargeMode.HOME).reasonForStay("x").staySummary("y").dischargeMedications("z").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("careperiod");
    assertThatThrownBy(() -> DischargeLetter.builder(header(DocumentType.REFERRAL_LETTER).build())
        .admissionMode(AdmissionMode.PLANNED).dischargeMode(DischargeMode.HOME).reasonForStay("x").staySummary("y").dischargeMedications("z").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("11490-0");
  }

  @Test
  void aHeaderWithoutPatientIsAProgrammingErrorNamingThePart() {
    assertThatThrownBy(() -> CdaHeader.builder(DocumentType.REFERRAL_LETTER).effectiveTime(DISCHARGED).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("patient");
  }

  @Test
  void aHeaderToStringShowsNoPatientIdentity() {
    assertThat(header(DocumentType.REFERRAL_LETTER).build().toString())
        .doesNotContain("PAT-TROIS").doesNotContain("DOMINIQUE").doesNotContain("2790351215189");
  }
}
