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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.PkiFolder;
import org.pont.gateway.Gateway;
import org.pont.gateway.james.BoundPorts;

/**
 * The gateway with its default, persistent storage in a fresh data folder: a message submitted
 * over SMTP (STARTTLS + AUTH) is read over IMAP by an independent client (Python's imaplib), and
 * is still there after the gateway is stopped and started again on the same folder.
 */
class GatewayRestartE2eTest {

  private static final String SENDER = "dr.martin@hopital.test";
  private static final String RECIPIENT = "secretariat@hopital.test";

  @TempDir Path data;
  @TempDir Path scratch;

  @Test
  void submittedMailIsReadOverImapByAnIndependentClientAndSurvivesARestart() throws Exception {
    Set<Thread> threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
    String subject = "Pont e2e " + UUID.randomUUID();
    Properties credentials;

    long t0 = System.nanoTime();
    try (Gateway gateway = start()) {
      System.out.printf("first start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(gateway.james().provisioned().firstStart()).isTrue();
      credentials = credentials();
      BoundPorts ports = gateway.james().james().ports();

      submit(ports.submission(), credentials, subject);

      String read = PythonImap.readUntilFound(scratch, anchors(), ports.imaps(), "ssl", RECIPIENT,
          credentials.getProperty(RECIPIENT), subject);
      assertThat(read).contains("TLS TLSv1.3", "Subject: " + subject, "From: " + SENDER,
          "Bonjour, compte rendu en pièce jointe demain.", "COUNT 1");
    }

    long t1 = System.nanoTime();
    try (Gateway gateway = start()) {
      System.out.printf("restart: %d ms%n", (System.nanoTime() - t1) / 1_000_000);
      assertThat(gateway.james().provisioned().firstStart()).isFalse();
      assertThat(credentials()).isEqualTo(credentials);
      BoundPorts ports = gateway.james().james().ports();

      String read = PythonImap.read(scratch, anchors(), ports.imap(), "starttls", RECIPIENT,
          credentials.getProperty(RECIPIENT), subject);
      assertThat(read).contains("Subject: " + subject, "COUNT 1");
    }

    assertThat(leftThreads(threadsBefore)).as("non-daemon threads left after stop").isEmpty();
  }

  private Gateway start() {
    return Gateway.start(Map.of(
        "pont.data", data.toString(),
        "pont.ports.smtp", 0, "pont.ports.submission", 0, "pont.ports.imap", 0, "pont.ports.imaps", 0,
        "micronaut.server.port", -1), Optional.empty());
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

  private void submit(int port, Properties credentials, String subject) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.ssl.socketFactory", trustingTestPki().getSocketFactory());
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.timeout", "10000");
    Session session = Session.getInstance(p);
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(SENDER));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(RECIPIENT));
    m.setSubject(subject);
    m.setText("Bonjour, compte rendu en pièce jointe demain.", "UTF-8");
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", port, SENDER, credentials.getProperty(SENDER));
      t.sendMessage(m, m.getAllRecipients());
    }
  }

  private SSLContext trustingTestPki() throws Exception {
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

  private static List<String> leftThreads(Set<Thread> before) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<String> left;
    do {
      left = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t))
          .map(Thread::getName).sorted().toList();
      if (left.isEmpty()) {
        return left;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return left;
  }
}
