package org.pont.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the reports Pont builds with an independent parser: Python's standard {@code email}
 * package. python3 must be installed (it is on the build machines and CI); a missing python3 fails
 * the test rather than skipping it.
 */
class PythonInteropTest {
  /** Prints one line per fact: the top type, its report-type, the part types, defects, then report fields. */
  private static final String SCRIPT = """
      import sys, email
      m = email.message_from_binary_file(open(sys.argv[1], 'rb'))
      print('type=' + m.get_content_type())
      print('report-type=' + str(m.get_param('report-type')))
      print('parts=' + ','.join(p.get_content_type() for p in m.get_payload()))
      print('defects=' + str(sum(len(p.defects) for p in m.walk())))
      for p in m.get_payload():
          if p.get_content_type() in ('message/disposition-notification', 'message/delivery-status'):
              for i, block in enumerate(p.get_payload()):
                  for k, v in block.items():
                      print('%d:%s=%s' % (i, k, v))
      """;

  @TempDir
  Path dir;

  private String python(MimeMessage message) throws IOException, InterruptedException {
    Path eml = dir.resolve("report.eml");
    Files.write(eml, Samples.bytes(message));
    Path script = dir.resolve("read.py");
    Files.writeString(script, SCRIPT);
    Path out = dir.resolve("out.txt");
    Process p;
    try {
      p = new ProcessBuilder("python3", script.toString(), eml.toString())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    } catch (IOException e) {
      return fail("python3 is needed by this interoperability test but cannot be run: " + e.getMessage());
    }
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("python3 did not finish within 20 s");
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("python3 exit code; output:\n" + text).isZero();
    return text;
  }

  @Test
  void pythonReadsTheIntegrationErrorMdnPontBuilds() throws Exception {
    MimeMessage mdn = MdnBuilder.answering(BuildAndParseTest.sentMessage()).from("dr.martin@cabinet.test")
        .reportingUa("cabinet.test; Pont")
        .disposition(Disposition.integrationError(IntegrationError.of(IntegrationErrorCode.INCOMPLETE_INS)))
        .attachOriginalHeaders().build();

    assertThat(python(mdn).lines()).contains(
        "type=multipart/report",
        "report-type=disposition-notification",
        "parts=text/plain,message/disposition-notification,text/rfc822-headers",
        "defects=0",
        "0:Reporting-UA=cabinet.test; Pont",
        "0:Final-Recipient=rfc822;dr.martin@cabinet.test",
        "0:Original-Message-ID=<orig-1@hopital.test>",
        "0:Disposition=automatic-action/MDN-sent-automatically; processed/Error: 905^INS incomplet");
  }

  @Test
  void pythonReadsTheDsnPontBuilds() throws Exception {
    MimeMessage dsn = DsnBuilder.about(BuildAndParseTest.sentMessage(), "mx.hopital.test").to("dr.durand@hopital.test")
        .originalEnvelopeId("ENV42")
        .recipient(RecipientStatus.of("dr.x@cabinet.test", Action.FAILED, StatusCode.parse("5.1.1"))
            .withDiagnosticCode("smtp; 550 5.1.1 no such user"))
        .recipient(RecipientStatus.of("dr.martin@cabinet.test", Action.DELAYED, StatusCode.parse("4.4.1")))
        .build();

    assertThat(python(dsn).lines()).contains(
        "type=multipart/report",
        "report-type=delivery-status",
        "parts=text/plain,message/delivery-status,text/rfc822-headers",
        "defects=0",
        "0:Reporting-MTA=dns; mx.hopital.test",
        "0:Original-Envelope-Id=ENV42",
        "1:Final-Recipient=rfc822;dr.x@cabinet.test",
        "1:Action=failed",
        "1:Status=5.1.1",
        "1:Diagnostic-Code=smtp; 550 5.1.1 no such user",
        "2:Final-Recipient=rfc822;dr.martin@cabinet.test",
        "2:Action=delayed",
        "2:Status=4.4.1");
  }
}
