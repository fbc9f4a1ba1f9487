package org.pont.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pont directory import} then {@code pont directory search} on the test fixtures. */
class DirectoryCommandsTest {
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int pont(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = PontCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static String fixture(String name) throws Exception {
    return Path.of(DirectoryCommandsTest.class.getClassLoader().getResource("directory/" + name).toURI()).toString();
  }

  @Test
  void importThenSearchRoundTripsThroughTheDataFolder(@TempDir Path data) throws Exception {
    assertThat(pont("directory", "import", fixture("extraction-correspondance-mssante.txt"), "--data", data.toString()))
        .as(err.toString()).isZero();
    assertThat(out.toString()).contains("imported 7 entries (8 mailboxes)");
    assertThat(err.toString()).contains("skipped line 10");
    assertThat(pont("directory", "import", fixture("annuaire-bundle.json"), "--data", data.toString()))
        .as(err.toString()).isZero();
    assertThat(out.toString()).contains("imported 4 entries (5 mailboxes)").contains("now holds 11 entries");

    assertThat(pont("directory", "search", "helene", "dupond", "--data", data.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Hélène DUPONT · Médecin (Médecine générale)")
        .contains("helene.dupont@chu-exemple.test [PER: Consultations").endsWith("1 of 1\n");

    assertThat(pont("directory", "search", "--profession", "educateur", "--city", "Plouguerneau", "--json",
        "--data", data.toString())).as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.path("total").asInt()).isEqualTo(1);
    assertThat(json.path("entries").path(0).path("familyName").asText()).isEqualTo("KEROUAC");

    assertThat(pont("directory", "search", "--mailbox", "yann.discret@cds-remparts.test", "--data", data.toString()))
        .isEqualTo(1);
    assertThat(out.toString()).isEqualTo("0 of 0\n");

    assertThat(pont("directory", "search", "--mailbox", "@cds-remparts.test", "--type", "ORG", "--data", data.toString()))
        .as(err.toString()).isZero();
    assertThat(out.toString()).contains("Centre de santé des Remparts").doesNotContain("Anaïs").endsWith("1 of 1\n");
  }

  @Test
  void searchWithoutAnImportSaysWhatToDo(@TempDir Path data) {
    assertThat(pont("directory", "search", "x", "--data", data.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("run 'pont directory import FILE' first");
  }
}
