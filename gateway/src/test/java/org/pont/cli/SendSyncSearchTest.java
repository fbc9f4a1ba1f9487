package org.pont.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pont.testkit.PontTestServer;
import picocli.CommandLine;

/** pont send → pont sync → pont search against GreenMail with TLS from a test PKI (certificate checks on). */
class SendSyncSearchTest {
  static final String KINE = "kine.leroy@cabinet.test";
  static final String HOSPITAL = "dr.durand@hopital.test";

  @RegisterExtension
  static final PontTestServer SERVER = PontTestServer.withPeople(KINE, HOSPITAL);

  record Run(int status, String out, String err) {}

  static Run pont(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = PontCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    System.out.printf("$ pont %s%n%s%s(exit %d)%n", String.join(" ", args), out, err, status); // the transcript, in the surefire output
    return new Run(status, out.toString(), err.toString());
  }

  static byte[] pdf(String text) throws Exception {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
        s.beginText();
        s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        s.newLineAtOffset(72, 700);
        s.showText(text);
        s.endText();
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  @Test
  void aPdfSentAsALevel1CdaIsSyncedAndFoundByPatientTypeAndText(@TempDir Path dir) throws Exception {
    Path trust = dir.resolve("trust.pem");
    StringBuilder pem = new StringBuilder();
    for (X509Certificate c : SERVER.pki().trustAnchors()) {
      pem.append("-----BEGIN CERTIFICATE-----\n").append(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    Files.writeString(trust, pem);
    Path password = Files.writeString(dir.resolve("password"), PontTestServer.PASSWORD + "\n");
    Path pdf = Files.write(dir.resolve("prescription.pdf"), pdf("Balneotherapie trois fois par semaine"));
    Path index = dir.resolve("index");
    String smtp = "smtps://" + HOSPITAL + "@127.0.0.1:" + SERVER.smtp().port();
    String imap = "imaps://" + KINE + "@127.0.0.1:" + SERVER.imap().port();

    Run sent = pont("send", "--server", smtp, "--trust", trust.toString(), "--password-file", password.toString(), "--to", KINE,
        "--pdf", pdf.toString(), "--patient", "279035121518989", "--ins-kind", "INS_NIR_TEST", "--type", "11490-0",
        "--family", "Pat-Trois", "--given", "Dominique", "--birth-date", "1979-03-28", "--sex", "F",
        "--author-rpps", "01234567897", "--author-name", "Charles DAVID", "--finess", "750803447", "--organisation", "HEGP",
        "--body", "Bonjour, la lettre de sortie est jointe.");
    assertThat(sent.status()).as(sent.err()).isZero();
    assertThat(sent.out()).startsWith("sent <");
    Run plain = pont("send", "--server", smtp, "--trust", trust.toString(), "--password-file", password.toString(), "--to", KINE,
        "--subject", "Rendez-vous", "--body", "Consultation de contrôle jeudi.");
    assertThat(plain.status()).as(plain.err()).isZero();
    assertThat(SERVER.waitForIncoming(2, Duration.ofSeconds(10))).isTrue();

    Run synced = pont("sync", "--imap", imap, "--trust", trust.toString(), "--password-file", password.toString(), "--index", index.toString());
    assertThat(synced.status()).as(synced.err()).isZero();
    assertThat(synced.out()).contains("2 fetched, 2 indexed, 0 skipped, 0 failed");
    assertThat(synced.err()).contains("INBOX: 2/2 messages"); // not a terminal: plain lines

    Run byPatient = pont("search", "--index", index.toString(), "--patient", "279035121518989");
    assertThat(byPatient.status()).isZero();
    assertThat(byPatient.out()).startsWith("1 message(s)").contains(HOSPITAL, "[11490-0]", "INS 279035121518989");

    Run json = pont("search", "--index", index.toString(), "balnéothérapie", "--type", "11490-0", "--from", HOSPITAL, "--json");
    assertThat(json.status()).as(json.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(json.out());
    assertThat(doc.get("total").asLong()).isEqualTo(1);
    assertThat(doc.get("hits").get(0).get("patientIns").asText()).isEqualTo("279035121518989");
    assertThat(doc.get("hits").get(0).get("documentTypes").get(0).asText()).isEqualTo("11490-0");

    Run text = pont("search", "--index", index.toString(), "controle", "--json");
    assertThat(new ObjectMapper().readTree(text.out()).get("hits").get(0).get("subject").asText()).isEqualTo("Rendez-vous");
  }

  @Test
  void noPasswordOnTheCommandLineAndNoClearTextScheme(@TempDir Path dir) {
    Run clear = pont("sync", "--imap", "imap://u@127.0.0.1:143", "--index", dir.toString(), "--password-file", dir.resolve("x").toString());
    assertThat(clear.status()).isEqualTo(2);
    assertThat(clear.err()).contains("no clear-text mode");
    Run pw = pont("send", "--server", "smtps://u@127.0.0.1:1", "--to", KINE, "--password", "secret");
    assertThat(pw.status()).isEqualTo(2);
    assertThat(pw.err()).contains("Unknown option");
  }
}
