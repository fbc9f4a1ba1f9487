package org.pont.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code pont xdm inspect} on the public samples of the shared test data (ONC ETT, Direct Project RI). */
class XdmCommandsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int pont(String... args) {
    CommandLine cli = PontCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static String sample(String name) {
    String dir = System.getProperty("pont.testdata");
    assertThat(dir).as("system property pont.testdata").isNotNull();
    Path p = Path.of(dir, "xdm", name);
    assertThat(p).isRegularFile();
    return p.toString();
  }

  @Test
  void packWritesAPackageFromCdaHeadersThatInspectReads(@org.junit.jupiter.api.io.TempDir Path dir) {
    String ldl = Path.of(System.getProperty("pont.testdata"), "cda", "LDL-SES_2022.01.xml").toString();
    Path zip = dir.resolve("IHE_XDM.ZIP");

    int status = pont("xdm", "pack", ldl, "-o", zip.toString(), "--from", "dr.durand@hopital.test", "--to", "kine@cabinet.test");

    assertThat(status).as(err.toString()).isZero();
    assertThat(out.toString()).contains("1 document(s), [11490-0]");
    assertThat(pont("xdm", "inspect", zip.toString())).isZero();
    assertThat(out.toString()).contains("VALID  XDM package with 1 document(s)").contains("11490-0");
  }

  @Test
  void packRefusesDocumentsAboutTwoPatients(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String cda = Path.of(System.getProperty("pont.testdata"), "cda").toString();
    // The same ANS sample about another patient: another INS (with its right key) in place of the sample's.
    Path other = dir.resolve("other.xml");
    java.nio.file.Files.writeString(other, java.nio.file.Files.readString(Path.of(cda, "IMG_CR_IMG_2024.01.xml"))
        .replace("279035121518989", "184037511400733"));

    int status = pont("xdm", "pack", cda + "/LDL-SES_2022.01.xml", other.toString(),
        "-o", dir.resolve("x.zip").toString(), "--from", "dr.durand@hopital.test");

    assertThat(status).isEqualTo(1);
    assertThat(out.toString()).contains("REFUSED  SEVERAL_PATIENTS");
    assertThat(dir.resolve("x.zip")).doesNotExist();
  }

  @Test
  void inspectPrintsTheSubmissionSetAndDocumentsOfAValidPackage() {
    int status = pont("xdm", "inspect", sample("XDM_LIM.ZIP"));

    assertThat(status).isZero();
    assertThat(out.toString())
        .startsWith("VALID  XDM package with 1 document(s), 1 warning(s)")
        .contains("1.2.840.114350.1.13.252.1.7.2.688879.2004.634308739192149557")
        .contains("Document 1: CCDAAMB.XML")
        .contains("34096-8 (LOINC)")
        .contains("sha1:              b0bd1f77dca00011cfa4bd7be15cf22aeaba145b")
        .contains("INDEX.HTM is not well-formed XHTML");
  }

  @Test
  void inspectMasksPatientIdentifiersUnlessAsked() {
    pont("xdm", "inspect", sample("BadXHTML.zip"));
    assertThat(out.toString()).contains("patientId:         *^^^&2.16.840.1.113883.4.6&ISO  (masked");

    out.getBuffer().setLength(0);
    pont("xdm", "inspect", "--show-patient", sample("BadXHTML.zip"));
    assertThat(out.toString()).contains("patientId:         1^^^&2.16.840.1.113883.4.6&ISO").doesNotContain("masked");
  }

  @Test
  void inspectAsJsonDescribesTheDocuments() throws Exception {
    int status = pont("xdm", "inspect", "--json", sample("XDM_LIM.ZIP"));

    assertThat(status).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("valid").asBoolean()).isTrue();
    assertThat(json.at("/submissionSet/sourceId").asText()).isEqualTo("1.2.840.114350.1.13.252.1.7.2.688879");
    assertThat(json.at("/documents/0/size").asLong()).isEqualTo(120687);
    assertThat(json.at("/documents/0/typeCode").asText()).startsWith("34096-8");
  }

  @Test
  void inspectRefusesABrokenPackageWithItsReasonAndStatusOne() {
    int status = pont("xdm", "inspect", sample("direct-xd-broken-paths.zip"));

    assertThat(status).isEqualTo(1);
    assertThat(out.toString()).startsWith("REFUSED  NO_METADATA  ").contains("SUBSET01METADATA.xml");
  }

  @Test
  void inspectAsJsonGivesTheRefusalReason() throws Exception {
    int status = pont("xdm", "inspect", "--json", sample("direct-xd-broken-paths.zip"));

    assertThat(status).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("valid").asBoolean()).isFalse();
    assertThat(json.get("reason").asText()).isEqualTo("NO_METADATA");
  }

  @Test
  void aMissingFileOrArgumentIsAUsageErrorWithStatusTwo() {
    assertThat(pont("xdm", "inspect", "/nonexistent/package.zip")).isEqualTo(2);
    assertThat(err.toString()).contains("no such file");
    assertThat(pont("xdm", "inspect")).isEqualTo(2);
    assertThat(pont("xdm")).isEqualTo(2);
  }
}
