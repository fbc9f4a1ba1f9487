package org.pont.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.Credential;
import org.pont.certs.TestPki;

/**
 * Two real gateways ({@code pont up} processes) of one trust space: hopital.test relays to
 * cabinet.test over SMTP with mutual TLS on a static route. The message is signed and encrypted by
 * the hospital, checked and opened by the clinic; a third operator whose certificate is not the
 * one the whitelist publishes is refused; a message queued for a clinic that is down survives a
 * kill -9 of the hospital and is delivered once both are back.
 */
class OperatorRelayE2eTest {

  private static final String SENDER = "dr.martin@hopital.test";
  private static final String RECIPIENT = "secretariat@cabinet.test";
  private static final char[] PKI_PASSWORD = "e2e-relay-pki".toCharArray();

  @TempDir Path dir;
  private final List<GatewayProcess> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(g -> g.process.destroyForcibly());
  }

  @Test
  void hospitalRelaysToClinicOverMutualTlsRefusesARogueOperatorAndLosesNothingInAnOutage() throws Exception {
    long t0 = System.nanoTime();
    // One trust space: both gateways get the same PKI, each its own data folder.
    TestPki pki = TestPki.builder().domain("hopital.test").domain("cabinet.test").domain("rogue.test").build();
    Path hospitalData = dir.resolve("hopital");
    Path clinicData = dir.resolve("cabinet");
    // Each whitelists both domains with their operators' TLS client DNs (rogue.test is absent).
    GatewayProcess.trustSpace(pki, PKI_PASSWORD, hospitalData, clinicData);
    // The hospital encrypts for the clinic's mailbox with the clinic's encryption certificate.
    Files.createDirectories(hospitalData.resolve("certificates"));
    Files.copy(clinicData.resolve("pki/domains/cabinet.test/encryption.cert.pem"),
        hospitalData.resolve("certificates/" + RECIPIENT + ".pem"));

    int clinicSmtp = GatewayProcess.freePort(); // fixed: the hospital's route names it, and it must survive a restart
    Path clinicConfig = GatewayProcess.config(dir, "cabinet.properties", "pont.domain=cabinet.test", "pont.ports.smtp=" + clinicSmtp);
    Path hospitalConfig = GatewayProcess.config(dir, "hopital.properties", "pont.domain=hopital.test", "pont.ports.smtp=0", "pont.relay.routes=cabinet.test=127.0.0.1:" + clinicSmtp,
        "pont.relay.retry-delays=1s", "pont.relay.max-retries=120");
    GatewayProcess hospital = launch(hospitalData, hospitalConfig, "hopital-1");
    GatewayProcess clinic = launch(clinicData, clinicConfig, "cabinet-1");
    hospital.awaitUp();
    clinic.awaitUp();
    System.out.printf("two gateways up: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    // (a) Submitted at the hospital, relayed over mTLS, opened and verified at the clinic.
    long ta = System.nanoTime();
    String first = "relay " + UUID.randomUUID();
    submit(hospital, first);
    String read = PythonImap.readUntilFound(dir, clinic.trustAnchors(), clinic.port("IMAPS"), "ssl", RECIPIENT,
        clinic.credentials().getProperty(RECIPIENT), first);
    assertThat(read).contains("COUNT 1", "X-Pont-Signature: VALID", "X-Pont-Encrypted: yes");
    System.out.printf("(a) submission to clinic mailbox: %d ms%n", (System.nanoTime() - ta) / 1_000_000);
    assertThat(audit(hospitalData)).contains("\"RELAYED\"");
    assertThat(countOf(audit(clinicData), "\"DELIVERED\"")).isEqualTo(1);

    // (b) An operator of the trust space whose DN is not the one published for hopital.test.
    String rogueSubject = "rogue " + UUID.randomUUID();
    assertThatThrownBy(() -> sendAsOperator(pki.organisation("rogue.test").tlsClient(), pki.trustAnchors(),
        clinicSmtp, "intrus@hopital.test", rogueSubject))
        .isInstanceOf(SendFailedException.class)
        .hasMessageContaining("550")
        .hasMessageContaining("5.7.1")
        .hasMessageContaining("not the operator the whitelist publishes for hopital.test");
    assertThat(audit(clinicData)).contains("PEER_REFUSED");

    // (c) The clinic is down: the hospital keeps the message and retries. The hospital is then
    // killed (kill -9) with the message still queued, and started again: once the clinic is back,
    // the message is delivered. Nothing is lost by an outage of either side.
    long tc = System.nanoTime();
    clinic.stop();
    String second = "after outage " + UUID.randomUUID();
    submit(hospital, second);
    Thread.sleep(4_000); // several retries fail meanwhile
    assertThat(audit(hospitalData)).contains("\"QUEUED\"");
    assertThat(countOf(audit(hospitalData), "\"RELAYED\"")).as("nothing handed over while the clinic is down").isEqualTo(1);
    assertThat(audit(hospitalData)).doesNotContain("RELAY_FAILED");
    hospital.process.destroyForcibly(); // SIGKILL: no shutdown hook, the queue is only on disk
    assertThat(hospital.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    GatewayProcess hospitalAgain = launch(hospitalData, hospitalConfig, "hopital-2");
    GatewayProcess clinicAgain = launch(clinicData, clinicConfig, "cabinet-2");
    hospitalAgain.awaitUp();
    clinicAgain.awaitUp();
    String afterOutage = PythonImap.readUntilFound(dir, clinicAgain.trustAnchors(), clinicAgain.port("IMAPS"), "ssl",
        RECIPIENT, clinicAgain.credentials().getProperty(RECIPIENT), second);
    assertThat(afterOutage).contains("COUNT 1", "X-Pont-Signature: VALID");
    assertThat(PythonImap.read(dir, clinicAgain.trustAnchors(), clinicAgain.port("IMAPS"), "ssl", RECIPIENT,
        clinicAgain.credentials().getProperty(RECIPIENT), rogueSubject)).contains("COUNT 0");
    System.out.printf("(c) outage, restart and delivery: %d ms; whole test %d ms%n",
        (System.nanoTime() - tc) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
    assertThat(countOf(audit(hospitalData), "\"RELAYED\"")).isEqualTo(2);
    hospitalAgain.stop();
    clinicAgain.stop();
  }

  private GatewayProcess launch(Path data, Path config, String name) throws IOException {
    GatewayProcess g = GatewayProcess.launch(data, config, dir.resolve(name + ".err"));
    started.add(g);
    return g;
  }




  private static String audit(Path data) throws IOException {
    Path folder = data.resolve("audit");
    if (!Files.isDirectory(folder)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path p : files.toList()) {
        sb.append(Files.readString(p));
      }
    }
    return sb.toString();
  }

  private static int countOf(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** SMTP submission at the hospital: STARTTLS, AUTH, a plain message the gateway signs and encrypts. */
  private static void submit(GatewayProcess hospital, String subject) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.ssl.socketFactory", context(null, org.pont.certs.PkiFolder.readCertificates(hospital.trustAnchors()))
        .getSocketFactory());
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.timeout", "10000");
    Session session = Session.getInstance(p);
    MimeMessage m = message(session, SENDER, subject);
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", hospital.port("SMTP submission"), SENDER, hospital.credentials().getProperty(SENDER));
      t.sendMessage(m, m.getAllRecipients());
    }
  }

  /** A raw operator-to-operator SMTP session with {@code client}'s certificate. */
  private static void sendAsOperator(Credential client, List<X509Certificate> anchors, int port, String from,
      String subject) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.ssl.socketFactory", context(client, anchors).getSocketFactory());
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.timeout", "10000");
    Session session = Session.getInstance(p);
    MimeMessage m = message(session, from, subject);
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", port, null, null);
      t.sendMessage(m, m.getAllRecipients());
    }
  }

  private static MimeMessage message(Session session, String from, String subject) throws Exception {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(RECIPIENT));
    m.setSubject(subject);
    m.setText("Courrier de sortie (test de relais entre opérateurs).", "UTF-8");
    return m;
  }

  private static SSLContext context(Credential key, List<X509Certificate> anchors) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < anchors.size(); i++) {
      trust.setCertificateEntry("anchor-" + i, anchors.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (key != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("key", key.privateKey(), PKI_PASSWORD, key.chain().toArray(new X509Certificate[0]));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PKI_PASSWORD);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
