package org.pont.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Drives {@code pont cda} against the shared ANS examples (ansforge/TestContenuCDA-3-0 @ 7cd489b). */
class CdaCommandsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static Path testdata() {
    String dir = System.getProperty("pont.testdata");
    if (dir == null || !Files.isDirectory(Path.of(dir, "cda"))) {
      fail("shared test data not found: set -Dpont.testdata (got " + dir + ")");
    }
    return Path.of(dir, "cda");
  }

  private int run(String... args) {
    CommandLine cl = PontCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void inspectPrintsTheHeaderOfTheDischargeLetter() {
    int status = run("cda", "inspect", testdata().resolve("LDL-SES_2022.01.xml").toString());

    assertThat(status).isZero();
    assertThat(out.toString())
        .contains("11490-0 Lettre de liaison à la sortie d'un établissement de soins")
        .contains("INS 279035121518989 (INS_NIR_TEST)")
        .contains("DR Charles DAVID [1.2.250.1.71.4.2.1^801234567897]")
        .contains("level 3, 9 sections")
        .contains("- 10183-2  Traitements à la sortie");
  }

  @Test
  void inspectPrintsJsonWithTheEmbeddedFileOfALevel1Document() {
    int status = run("cda", "inspect", "--json", testdata().resolve("DOC_NON_STRUCTURE_CDA-R2-N1.xml").toString());

    assertThat(status).isZero();
    assertThat(out.toString()).contains("\"mediaType\" : \"application/pdf\"").contains("\"size\" : 326650")
        .contains("\"code\" : \"11502-2\"");
  }

  @Test
  void validateAcceptsAValidSampleWithExitZero() {
    int status = run("cda", "validate", testdata().resolve("LDL-SES_2022.01.xml").toString(),
        "--schematrons", testdata().resolve("schematrons").toString());

    assertThat(status).isZero();
    assertThat(out.toString()).startsWith("VALID  CI-SIS_LDL-SES_2022.01.sch  (0 errors");
  }

  @Test
  void validatePrintsEachFailureAndExitsOneForAnInvalidDocument(@TempDir Path tmp) throws Exception {
    Path broken = tmp.resolve("broken.xml");
    Files.writeString(broken, Files.readString(testdata().resolve("LDL-SES_2022.01.xml"), StandardCharsets.UTF_8)
        .replace("<birthTime value=\"19790328\"/>", ""), StandardCharsets.UTF_8);

    int status = run("cda", "validate", broken.toString(),
        "--schematron", testdata().resolve("schematrons/CI-SIS_LDL-SES_2022.01.sch").toString());

    assertThat(status).isEqualTo(1);
    assertThat(out.toString()).startsWith("INVALID").contains("La date de naissance du patient est obligatoire");
  }

  @Test
  void validateWithoutSchematronFolderIsAUsageError() {
    int status = run("cda", "validate", testdata().resolve("LDL-SES_2022.01.xml").toString(),
        "--schematrons", testdata().toString());

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("SCHEMATRON_NOT_FOUND");
  }

  @Test
  void aMissingFileIsAnInputError() {
    assertThat(run("cda", "inspect", "/nonexistent/doc.xml")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read");
  }

  @Test
  void aFileThatIsNotACdaDocumentIsReportedWithItsReasonAndExitOne() {
    // An ANS value set: well-formed XML, but not a ClinicalDocument.
    Path valueSet = testdata().resolve("jeuxDeValeurs/JDV_StatutDoc_CISIS.xml");

    assertThat(run("cda", "inspect", valueSet.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("NOT_A_CDA").contains("RetrieveValueSetResponse");
  }
}
