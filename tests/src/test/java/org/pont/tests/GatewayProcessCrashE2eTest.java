package org.pont.tests;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern PORT_LINE = Pattern.compile("^\\s+(.+?)\\s{2,}(?:https?://)?127\\.0\\.0\\.1:(\\d+)");

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

    Running first = up(config);
    assertThat(first.output).contains("https://127.0.0.1:" + first.port("REST health") + "/health");
    assertHealthOverVerifiedHttps(first.port("REST health"));
    submit(first.port("SMTP submission"), subject);
    assertThat(PythonImap.readUntilFound(scratch, anchors(), first.port("IMAPS"), "ssl", RECIPIENT,
        credentials().getProperty(RECIPIENT), subject)).contains("COUNT 1");
    first.process.destroyForcibly(); // SIGKILL: no shutdown hook, no Derby or broker shutdown
    assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Running second = up(config);
    assertThat(second.output).doesNotContain("First start");
    assertThat(PythonImap.read(scratch, anchors(), second.port("IMAP"), "starttls", RECIPIENT,
        credentials().getProperty(RECIPIENT), subject)).contains("Subject: " + subject, "COUNT 1");

    long t0 = System.nanoTime();
    second.process.destroy(); // SIGTERM: Micronaut's shutdown hook stops James
    assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
    System.out.printf("SIGTERM to exit: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  /** A started gateway process and the summary it printed. */
  private record Running(Process process, String output, Map<String, Integer> ports) {
    int port(String label) {
      Integer p = ports.get(label);
      assertThat(p).as("port of " + label + " in:\n" + output).isNotNull();
      return p;
    }
  }

  private Running up(Path config) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(javaBin, "--sun-misc-unsafe-memory-access=allow",
        "-cp", classpath, "org.pont.cli.PontCli", "up", "--data", data.toString(), "--config", config.toString())
        .redirectError(scratch.resolve("gateway-" + processes.size() + ".err").toFile());
    Process p = pb.start();
    processes.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder printed = new StringBuilder();
    Map<String, Integer> ports = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    String line;
    while ((line = out.readLine()) != null) {
      printed.append(line).append('\n');
      Matcher m = PORT_LINE.matcher(line);
      if (m.find()) {
        String label = m.group(1).replaceAll("\\s*\\(.*", "").strip();
        ports.put(label, Integer.parseInt(m.group(2)));
      }
      if (line.startsWith("Stop with Ctrl-C.")) {
        break;
      }
      assertThat(System.nanoTime()).as("gateway did not start in time:\n" + printed).isLessThan(deadline);
    }
    assertThat(printed.toString()).as("gateway output (stderr in " + scratch + ")").contains("Pont gateway up");
    // Keep draining stdout so the process never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (java.io.IOException ignored) {
        // process ended
      }
    });
    drain.setDaemon(true);
    drain.start();
    return new Running(p, printed.toString(), ports);
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

  /** The REST API answers over HTTPS only, with a certificate that chains to the PKI's anchors. */
  private void assertHealthOverVerifiedHttps(int port) throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newBuilder().sslContext(trustingThePki()).build().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + port + "/health")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"status\":\"UP\"");
  }

  private SSLContext trustingThePki() throws Exception {
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
    return ctx;
  }

  private void submit(int port, String subject) throws Exception {
    SSLContext ctx = trustingThePki();
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
