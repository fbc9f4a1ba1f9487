package org.pont.tests;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.PkiFolder;

/**
 * The real {@code pont up} process (what the launcher runs): mail accepted over SMTP survives a
 * {@code kill -9}, and SIGTERM stops the process promptly.
 */
class GatewayProcessCrashE2eTest {

  private static final String SENDER = "dr.martin@hopital.test";
  private static final String RECIPIENT = "secretariat@hopital.test";

  @TempDir Path data;
  @TempDir Path scratch;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void acceptedMailSurvivesKillDashNineAndSigtermStopsTheProcess() throws Exception {
    Path config = scratch.resolve("gateway.properties");
    Files.writeString(config, String.join("\n",
        "pont.ports.smtp=0", "pont.ports.submission=0", "pont.ports.imap=0", "pont.ports.imaps=0",
        "micronaut.server.port=-1"));
    String subject = "survives kill -9 " + UUID.randomUUID();

    GatewayProcess first = up(config);
    submit(first.port("SMTP submission"), subject);
    assertThat(PythonImap.readUntilFound(scratch, anchors(), first.port("IMAPS"), "ssl", RECIPIENT,
        credentials().getProperty(RECIPIENT), subject)).contains("COUNT 1");
    first.process.destroyForcibly(); // SIGKILL: no shutdown hook, no Derby or broker shutdown
    assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    GatewayProcess second = up(config);
    assertThat(second.output()).doesNotContain("First start");
    assertThat(PythonImap.read(scratch, anchors(), second.port("IMAP"), "starttls", RECIPIENT,
        credentials().getProperty(RECIPIENT), subject)).contains("Subject: " + subject, "COUNT 1");

    long t0 = System.nanoTime();
    second.process.destroy(); // SIGTERM: Micronaut's shutdown hook stops James
    assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
    System.out.printf("SIGTERM to exit: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  private GatewayProcess up(Path config) throws Exception {
    GatewayProcess g = GatewayProcess.launch(data, config, scratch.resolve("gateway-" + processes.size() + ".err"));
    processes.add(g.process);
    return g.awaitUp();
  }

  private Path anchors() {
    return data.resolve("pki/trust-anchors.pem");
  }

  private Properties credentials() throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(data.resolve("credentials.properties"))) {
      p.load(r);
    }
    return p;
  }

  private void submit(int port, String subject) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (X509Certificate c : PkiFolder.readCertificates(data.resolve("pki/trust-anchors.pem"))) {
      trust.setCertificateEntry("anchor-" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    Properties p = new Properties();
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.ssl.socketFactory", ctx.getSocketFactory());
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.timeout", "10000");
    Session session = Session.getInstance(p);
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(SENDER));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(RECIPIENT));
    m.setSubject(subject);
    m.setText("Accepted before the crash.");
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", port, SENDER, credentials().getProperty(SENDER));
      t.sendMessage(m, m.getAllRecipients());
    }
  }
}
