package org.pont.cda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdaValidatorTest {
  private CdaValidator validator;

  @BeforeAll
  void compileOnce() throws Exception {
    validator = CdaValidator.fromDirectory(TestData.schematrons());
  }

  @ParameterizedTest
  @CsvSource({
      "LDL-SES_2022.01.xml, CI-SIS_LDL-SES_2022.01.sch",
      "LDL-EES_2022.01.xml, CI-SIS_LDL-EES_2022.01.sch",
      "eP-MED-DM_2024.01_PosoStruct.xml, CI-SIS_EP-MED-DM_2024.01.sch",
      "IMG_CR_IMG_2024.01.xml, CI-SIS_IMG-CR-IMG_2024.01.sch",
      "DOC_NON_STRUCTURE_CDA-R2-N1.xml, profils/CI-SIS_ModelesDeContenusCDA.sch"})
  void eachAnsSamplePassesTheSchematronOfItsType(String sample, String schematron) throws Exception {
    ValidationReport report = validator.validate(TestData.cda(sample));

    assertThat(report.schematron()).isEqualTo(schematron);
    assertThat(report.errors()).isEmpty();
    assertThat(report.firedRules()).isPositive();
    assertThat(report.isValid()).isTrue();
  }

  @Test
  void aDischargeLetterWithoutItsMandatorySectionFails() throws Exception {
    String xml = new String(TestData.cda("LDL-SES_2022.01.xml"), StandardCharsets.UTF_8)
        .replace("<templateId root=\"1.3.6.1.4.1.19376.1.5.3.1.3.22\"/>", "");

    ValidationReport report = validator.validate(xml.getBytes(StandardCharsets.UTF_8));

    assertThat(report.isValid()).isFalse();
    assertThat(report.errors()).singleElement().satisfies(f -> {
      assertThat(f.origin()).isEqualTo(ValidationReport.Origin.SCHEMATRON);
      assertThat(f.message()).contains("FR-Traitements-a-la-sortie").contains("obligatoire");
      assertThat(f.test()).contains("1.3.6.1.4.1.19376.1.5.3.1.3.22");
    });
  }

  @Test
  void aValueOutsideItsAnsValueSetFailsSoValueSetsAreReallyRead() throws Exception {
    // The gender value set is read from ../../jeuxDeValeurs relative to profils/: this proves it is found.
    String xml = new String(TestData.cda("DOC_NON_STRUCTURE_CDA-R2-N1.xml"), StandardCharsets.UTF_8)
        .replace("<administrativeGenderCode code=\"F\"", "<administrativeGenderCode code=\"X\"");

    ValidationReport report = validator.validate(xml.getBytes(StandardCharsets.UTF_8));

    assertThat(report.errors()).singleElement().satisfies(f -> {
      assertThat(f.message()).contains("administrativeGenderCode").contains("JDV_J143_AdministrativeGender_CISIS.xml");
      assertThat(f.location()).isEqualTo("/ClinicalDocument[1]/recordTarget[1]/patientRole[1]/patient[1]/administrativeGenderCode[1]");
    });
  }

  @Test
  void aDocumentWithoutInsFailsPontsOwnRule() throws Exception {
    String xml = new String(TestData.cda("LDL-SES_2022.01.xml"), StandardCharsets.UTF_8)
        .replace("root=\"1.2.250.1.213.1.4.10\"", "root=\"1.2.3.4.567.8.9.11\"");

    ValidationReport report = validator.validate(xml.getBytes(StandardCharsets.UTF_8));

    assertThat(report.errors()).singleElement().satisfies(f -> {
      assertThat(f.origin()).isEqualTo(ValidationReport.Origin.PONT);
      assertThat(f.test()).isEqualTo("pont:patient-has-ins");
    });
  }

  @Test
  void anInsWithAWrongKeyFailsPontsOwnRule() throws Exception {
    String xml = new String(TestData.cda("LDL-SES_2022.01.xml"), StandardCharsets.UTF_8)
        .replace("extension=\"279035121518989\"", "extension=\"279035121518988\"");

    ValidationReport report = validator.validate(xml.getBytes(StandardCharsets.UTF_8));

    assertThat(report.errors()).singleElement().satisfies(f -> {
      assertThat(f.test()).isEqualTo("pont:ins-valid");
      assertThat(f.message()).contains("WRONG_KEY").doesNotContain("279035121518988");
    });
  }

  @Test
  void theSchematronVersionFollowsTheTemplateIdExtension() throws Exception {
    String xml = new String(TestData.cda("eP-MED-DM_2024.01_PosoStruct.xml"), StandardCharsets.UTF_8)
        .replace("root=\"1.2.250.1.213.1.1.1.39\" extension=\"2024.01\"", "root=\"1.2.250.1.213.1.1.1.39\" extension=\"2023.01\"");

    assertThat(validator.schematronFor(xml.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(TestData.schematrons().resolve("CI-SIS_EP-MED-DM_2023.01.sch").toAbsolutePath().normalize());
  }

  @Test
  void anExplicitSchematronOverridesTheChoice() throws Exception {
    ValidationReport report = validator.validate(TestData.cda("LDL-SES_2022.01.xml"), Path.of(CdaValidator.GENERIC_PROFILE));

    assertThat(report.schematron()).isEqualTo(CdaValidator.GENERIC_PROFILE);
  }

  @Test
  void aFolderThatIsNotAnAnsSchematronFolderIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CdaValidator.fromDirectory(TestData.root()))
        .isInstanceOfSatisfying(CdaException.class,
            e -> assertThat(e.reason()).isEqualTo(CdaException.Reason.SCHEMATRON_NOT_FOUND));
  }

  @Test
  void aMissingExplicitSchematronIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> validator.validate(TestData.cda("LDL-SES_2022.01.xml"), Path.of("CI-SIS_NOPE.sch")))
        .isInstanceOfSatisfying(CdaException.class,
            e -> assertThat(e.reason()).isEqualTo(CdaException.Reason.SCHEMATRON_NOT_FOUND));
  }

  @Test
  void aSchematronWithABrokenIncludeIsReportedAsBroken() {
    // Real gap in the ANS set: profils/IHE.sch includes E_directiveAnticipee_int.sch, the file is E_directiveanticipee_int.sch.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> validator.validate(TestData.cda("LDL-SES_2022.01.xml"), Path.of("profils/IHE.sch")))
        .isInstanceOfSatisfying(CdaException.class, e -> {
          assertThat(e.reason()).isEqualTo(CdaException.Reason.SCHEMATRON_BROKEN);
          assertThat(e.getMessage()).contains("IHE.sch");
        });
  }

  @Test
  void aSchematronCannotMakeTheValidatorReadFromTheNetwork(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    java.nio.file.Files.createDirectories(tmp.resolve("profils"));
    java.nio.file.Files.writeString(tmp.resolve(CdaValidator.GENERIC_PROFILE), """
        <schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
          <ns prefix="cda" uri="urn:hl7-org:v3"/>
          <pattern><rule context="cda:ClinicalDocument">
            <assert test="document('http://127.0.0.1:9/jdv.xml')//cda:x">remote value set</assert>
          </rule></pattern>
        </schema>
        """);
    CdaValidator local = CdaValidator.fromDirectory(tmp);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> local.validate(TestData.cda("DOC_NON_STRUCTURE_CDA-R2-N1.xml")))
        .isInstanceOfSatisfying(CdaException.class, e -> {
          assertThat(e.reason()).isEqualTo(CdaException.Reason.SCHEMATRON_BROKEN);
          assertThat(e.getMessage()).contains("only local value-set files");
        });
  }

  @Test
  void oneValidatorServesConcurrentValidations() throws Exception {
    java.util.List<String> samples = java.util.List.of("LDL-SES_2022.01.xml", "LDL-EES_2022.01.xml",
        "eP-MED-DM_2024.01_PosoStruct.xml", "IMG_CR_IMG_2024.01.xml", "DOC_NON_STRUCTURE_CDA-R2-N1.xml");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<ValidationReport>> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        for (String s : samples) {
          byte[] doc = TestData.cda(s);
          runs.add(pool.submit(() -> validator.validate(doc)));
        }
      }
      for (java.util.concurrent.Future<ValidationReport> r : runs) {
        assertThat(r.get().errors()).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDoctypeIsRefusedBeforeAnySchematronRuns() {
    byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        + "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">&e;</ClinicalDocument>").getBytes(StandardCharsets.UTF_8);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> validator.validate(xxe))
        .isInstanceOfSatisfying(CdaException.class,
            e -> assertThat(e.reason()).isEqualTo(CdaException.Reason.DOCTYPE_REFUSED));
  }
}
