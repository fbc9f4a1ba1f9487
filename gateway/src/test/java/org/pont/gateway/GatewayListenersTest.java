package org.pont.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.PkiFolder;
import org.pont.certs.Usage;
import org.pont.smime.KeyCredential;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.james.BoundPorts;

/**
 * One in-memory gateway for the class (fast), checked from outside through its real listeners:
 * what a client sees before and after TLS, which TLS it gets, and that mail goes through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayListenersTest {

  private Path data;
  private Set<Thread> threadsBefore;
  private Gateway gateway;
  private BoundPorts ports;
  private Properties credentials;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    data = dir.resolve("data");
    threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
    // Storage and ports through a configuration file (as with pont up --config), data folder explicit.
    Path config = dir.resolve("gateway.properties");
    Files.writeString(config, String.join("\n",
        "pont.storage=memory",
        "pont.ports.smtp=0", "pont.ports.submission=0", "pont.ports.imap=0", "pont.ports.imaps=0",
        "micronaut.server.port=-1", "pont.data=/nonexistent/overridden"));
    gateway = Gateway.start(Map.of("pont.data", data.toString()), Optional.of(config));
    assertThat(gateway.james().settings().storage()).isEqualTo(GatewaySettings.Storage.MEMORY);
    ports = gateway.james().james().ports();
    credentials = new Properties();
    try (var r = Files.newBufferedReader(data.resolve("credentials.properties"))) {
      credentials.load(r);
    }
  }

  @AfterAll
  void stopLeavesNoThreadBehind() throws Exception {
    gateway.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<String> left;
    do {
      left = newNonDaemonThreads();
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    assertThat(left).as("non-daemon threads still alive after the gateway stopped").isEmpty();
  }

  @Test
  void firstStartWritesDemoPasswordsOwnerOnly() throws Exception {
    assertThat(credentials.stringPropertyNames())
        .containsExactlyInAnyOrder("secretariat@hopital.test", "dr.martin@hopital.test");
    assertThat(Files.getPosixFilePermissions(data.resolve("credentials.properties")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(PkiFolder.at(data.resolve("pki")).exists()).isTrue();
  }

  @Test
  void healthIsUpOverHttpsAndRevealsNothingElse() throws Exception {
    HttpResponse<String> r = PkiHttps.client(data).send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.httpPort() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"status\":\"UP\"");
    // No details for anonymous callers: no indicator names, disk figures or data paths.
    assertThat(r.body()).doesNotContain("james").doesNotContain("diskSpace").doesNotContain(data.toString())
        .doesNotContain("details");
  }

  @Test
  void theApiDoesNotAnswerPlainHttp() throws Exception {
    assertThat(gateway.apiUri().getScheme()).isEqualTo("https");
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/health"))
            .timeout(java.time.Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void submissionOffersNoAuthAndRefusesItBeforeStartTls() throws Exception {
    try (Socket s = new Socket("127.0.0.1", ports.submission())) {
      s.setSoTimeout(10_000);
      var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      Writer out = new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
      assertThat(reply(in)).startsWith("220");
      out.write("EHLO client.test\r\n");
      out.flush();
      String ehlo = reply(in);
      assertThat(ehlo).contains("STARTTLS").doesNotContain("AUTH");
      String plain = Base64.getEncoder().encodeToString(
          ("\0secretariat@hopital.test\0" + credentials.getProperty("secretariat@hopital.test"))
              .getBytes(StandardCharsets.UTF_8));
      out.write("AUTH PLAIN " + plain + "\r\n");
      out.flush();
      assertThat(reply(in)).startsWith("538");
    }
  }

  @Test
  void imapRefusesLoginBeforeStartTls() throws Exception {
    try (Socket s = new Socket("127.0.0.1", ports.imap())) {
      s.setSoTimeout(10_000);
      var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      Writer out = new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
      assertThat(in.readLine()).startsWith("* OK");
      out.write("a1 CAPABILITY\r\n");
      out.flush();
      assertThat(untilTagged(in, "a1")).contains("STARTTLS").contains("LOGINDISABLED");
      out.write("a2 LOGIN secretariat@hopital.test " + credentials.getProperty("secretariat@hopital.test") + "\r\n");
      out.flush();
      String answer = untilTagged(in, "a2");
      assertThat(answer).doesNotContain("a2 OK").containsPattern("a2 (NO|BAD)");
    }
  }

  @Test
  void tls11IsRefusedWhileTls12WithEcdheGcmIsAccepted() throws Exception {
    String old = openssl("-connect", "127.0.0.1:" + ports.imaps(), "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
    assertThat(old).contains("alert protocol version");

    String current = openssl("-connect", "127.0.0.1:" + ports.imaps(), "-tls1_2",
        "-CAfile", data.resolve("pki/trust-anchors.pem").toString());
    assertThat(current).contains("Protocol  : TLSv1.2").containsPattern("Cipher is ECDHE-(RSA|ECDSA)-AES\\d+-GCM")
        .contains("Verify return code: 0 (ok)");
  }

  @Test
  void cbcSuitesAreRefused() throws Exception {
    String cbc = openssl("-connect", "127.0.0.1:" + ports.submission(), "-starttls", "smtp",
        "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:AES128-SHA");
    assertThat(cbc).contains("alert handshake failure").doesNotContain("Cipher is ECDHE");
  }

  @Test
  void operatorPortAsksForAClientCertificateFromTheTestPki() throws Exception {
    String out = openssl("-connect", "127.0.0.1:" + ports.smtp(), "-starttls", "smtp",
        "-CAfile", data.resolve("pki/trust-anchors.pem").toString());
    assertThat(out).contains("Acceptable client certificate CA names").contains("AC RACINE PONT TEST");
  }

  @Test
  void authenticatedSubmissionIsDeliveredToTheMailbox() throws Exception {
    String from = "dr.martin@hopital.test";
    String to = "secretariat@hopital.test";
    Session session = Session.getInstance(mailProperties());
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject("listeners test");
    m.setText("hello over STARTTLS");
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", ports.submission(), from, credentials.getProperty(from));
      t.sendMessage(m, m.getAllRecipients());
    }

    try (Store store = session.getStore("imaps")) {
      store.connect("127.0.0.1", ports.imaps(), to, credentials.getProperty(to));
      Folder inbox = store.getFolder("INBOX");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      boolean found = false;
      while (!found && System.nanoTime() < deadline) {
        inbox.open(Folder.READ_ONLY);
        for (Message msg : inbox.getMessages()) {
          found |= "listeners test".equals(msg.getSubject());
        }
        inbox.close(false);
        if (!found) {
          Thread.sleep(200);
        }
      }
      assertThat(found).as("message delivered to " + to).isTrue();
    }
  }

  @Test
  void smimeFromClientLibCrossesJamesIntactAndVerifies() throws Exception {
    // client-lib (jakarta.mail, bcjmail) and James (javax.mail) in one JVM: signed and encrypted
    // mail goes through James's SMTP, spool and mailbox, and opens byte-exact on the other side.
    String from = "dr.martin@hopital.test";
    String to = "secretariat@hopital.test";
    String subject = "S/MIME through James";
    Path pki = data.resolve("pki");
    char[] pkiPassword = Files.readString(pki.resolve("password.txt")).strip().toCharArray();
    PkiFolder folder = PkiFolder.at(pki);
    KeyCredential signing = KeyCredential.fromPkcs12(folder.personPkcs12(from, Usage.SIGNATURE), pkiPassword);
    KeyCredential encryption = KeyCredential.fromPkcs12(folder.personPkcs12(from, Usage.ENCRYPTION), pkiPassword);
    SecureMessaging smime = SecureMessaging.builder()
        .signingKey(signing).decryptionKey(encryption).trust(TrustAnchors.fromDirectory(pki)).build();

    Session session = Session.getInstance(mailProperties());
    String text = "Compte rendu : rééducation 3 séances par semaine.\r\n";
    MimeMessage plain = message(session, from, to, subject);
    plain.setText(text, "UTF-8");
    plain.saveChanges(); // client-lib reads the Content-Type header: without this the charset is lost
    MimeMessage protectedMessage = smime.signAndEncrypt(plain, List.of(encryption.certificate()));
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", ports.submission(), from, credentials.getProperty(from));
      t.sendMessage(protectedMessage, protectedMessage.getAllRecipients());
    }

    assertThat(waitForSubject(to, subject)).isTrue();
    try (Store store = session.getStore("imaps")) {
      store.connect("127.0.0.1", ports.imaps(), to, credentials.getProperty(to));
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      Message received = java.util.Arrays.stream(inbox.getMessages())
          .filter(m -> { try { return subject.equals(m.getSubject()); } catch (MessagingException e) { return false; } })
          .findFirst().orElseThrow();
      OpenedMessage opened = smime.open(new MimeMessage((MimeMessage) received));
      inbox.close(false);

      assertThat(opened.wasEncrypted()).isTrue();
      assertThat(opened.signature().isValid()).as(opened.signature().toString()).isTrue();
      assertThat((String) opened.content().getContent()).isEqualTo(text);
    }
  }

  @Test
  void operatorPortTakesMailFromTheWhitelistedOperatorOfTheSenderDomain() throws Exception {
    // The first start wrote a whitelist naming hopital.test with this gateway's TLS client DN, so
    // its own certificate passes the DN check for an hopital.test sender. The policy pipeline then
    // judges the message: unsigned, so it is kept in quarantine with its reason (never dropped).
    String subject = "from a peer operator";
    Session session = Session.getInstance(operatorProperties(true));
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", ports.smtp(), null, null);
      MimeMessage m = message(session, "expediteur@hopital.test", "secretariat@hopital.test", subject);
      t.sendMessage(m, m.getAllRecipients());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<org.pont.gateway.mailet.QuarantineProbe.Entry> seen = List.of();
    while (System.nanoTime() < deadline) {
      seen = gateway.james().james().probe(org.pont.gateway.mailet.QuarantineProbe.class).list();
      if (seen.stream().anyMatch(e -> e.sender().equals("expediteur@hopital.test") && e.reason().equals("UNSIGNED"))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the peer's mail is not in quarantine as UNSIGNED; found " + seen);
  }

  @Test
  void operatorPortRefusesASenderDomainWhoseOperatorIsNotThisCertificate() throws Exception {
    Session session = Session.getInstance(operatorProperties(true));
    assertThatThrownBy(() -> {
      try (Transport t = session.getTransport("smtp")) {
        t.connect("127.0.0.1", ports.smtp(), null, null);
        MimeMessage m = message(session, "expediteur@cabinet.test", "secretariat@hopital.test", "not whitelisted");
        t.sendMessage(m, m.getAllRecipients());
      }
    }).isInstanceOf(SendFailedException.class).hasMessageContaining("5.7.1")
        .hasMessageContaining("cabinet.test is not in the whitelist");
  }

  @Test
  void operatorPortRefusesAPeerWithoutAClientCertificate() throws Exception {
    Session session = Session.getInstance(operatorProperties(false));
    assertThatThrownBy(() -> {
      try (Transport t = session.getTransport("smtp")) {
        t.connect("127.0.0.1", ports.smtp(), null, null);
        MimeMessage m = message(session, "expediteur@cabinet.test", "secretariat@hopital.test", "no certificate");
        t.sendMessage(m, m.getAllRecipients());
      }
    }).isInstanceOf(MessagingException.class);
  }

  @Test
  void operatorPortDoesNotRelayToOtherDomains() throws Exception {
    Session session = Session.getInstance(operatorProperties(true));
    assertThatThrownBy(() -> {
      try (Transport t = session.getTransport("smtp")) {
        t.connect("127.0.0.1", ports.smtp(), null, null);
        MimeMessage m = message(session, "expediteur@hopital.test", "quelquun@ailleurs.test", "relay attempt");
        t.sendMessage(m, m.getAllRecipients());
      }
    }).isInstanceOf(SendFailedException.class);
  }

  @Test
  void neitherSmtpListenerTakesMailOnAClearConnection() throws Exception {
    // Skipping STARTTLS would skip the client-certificate check of the operator port.
    for (int port : new int[] {ports.smtp(), ports.submission()}) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(10_000);
        var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        Writer out = new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
        assertThat(reply(in)).startsWith("220");
        out.write("EHLO client.test\r\n");
        out.flush();
        assertThat(reply(in)).startsWith("250");
        out.write("MAIL FROM:<expediteur@cabinet.test>\r\n");
        out.flush();
        assertThat(reply(in)).as("port " + port).startsWith("530 5.7.0 Must issue a STARTTLS command first");
      }
    }
  }

  @Test
  void submissionTakesNoMailWithoutAuthEvenForALocalMailbox() throws Exception {
    Properties p = mailProperties();
    p.put("mail.smtp.auth", "false");
    Session session = Session.getInstance(p);
    assertThatThrownBy(() -> {
      try (Transport t = session.getTransport("smtp")) {
        t.connect("127.0.0.1", ports.submission(), null, null);
        MimeMessage m = message(session, "expediteur@cabinet.test", "secretariat@hopital.test", "no auth");
        t.sendMessage(m, m.getAllRecipients());
      }
    }).isInstanceOf(MessagingException.class).hasMessageContaining("530");
  }

  private Properties operatorProperties(boolean withClientCertificate) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.ssl.socketFactory", sslContext(withClientCertificate).getSocketFactory());
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.timeout", "10000");
    p.put("mail.smtp.connectiontimeout", "10000");
    return p;
  }

  private static MimeMessage message(Session session, String from, String to, String subject) throws Exception {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject(subject);
    m.setText("hello");
    return m;
  }

  private boolean waitForSubject(String user, String subject) throws Exception {
    Session session = Session.getInstance(mailProperties());
    try (Store store = session.getStore("imaps")) {
      store.connect("127.0.0.1", ports.imaps(), user, credentials.getProperty(user));
      Folder inbox = store.getFolder("INBOX");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        inbox.open(Folder.READ_ONLY);
        try {
          for (Message msg : inbox.getMessages()) {
            if (subject.equals(msg.getSubject())) {
              return true;
            }
          }
        } finally {
          inbox.close(false);
        }
        Thread.sleep(200);
      }
      return false;
    }
  }

  private Properties mailProperties() throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.ssl.socketFactory", sslContext(false).getSocketFactory());
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.imaps.ssl.socketFactory", sslContext(false).getSocketFactory());
    p.put("mail.imaps.ssl.checkserveridentity", "true");
    p.put("mail.smtp.timeout", "10000");
    p.put("mail.imaps.timeout", "10000");
    return p;
  }

  /** Trusts the test PKI's root; optionally presents the domain's TLS client certificate. */
  private SSLContext sslContext(boolean withClientCertificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (X509Certificate c : PkiFolder.readCertificates(data.resolve("pki/trust-anchors.pem"))) {
      trust.setCertificateEntry("anchor-" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManager[] keys = null;
    if (withClientCertificate) {
      char[] password = Files.readString(data.resolve("pki/password.txt")).strip().toCharArray();
      KeyStore client = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(
          PkiFolder.at(data.resolve("pki")).organisationPkcs12("hopital.test", Usage.TLS_CLIENT))) {
        client.load(in, password);
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(client, password);
      keys = kmf.getKeyManagers();
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keys, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static String reply(BufferedReader in) throws Exception {
    StringBuilder sb = new StringBuilder();
    String line;
    do {
      line = in.readLine();
      sb.append(line).append('\n');
    } while (line != null && line.length() > 3 && line.charAt(3) == '-');
    return sb.toString();
  }

  private static String untilTagged(BufferedReader in, String tag) throws Exception {
    StringBuilder sb = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      sb.append(line).append('\n');
      if (line.startsWith(tag + " ")) {
        break;
      }
    }
    return sb.toString();
  }

  private static String openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl", "s_client"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private List<String> newNonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon() && !threadsBefore.contains(t))
        .map(Thread::getName)
        .sorted()
        .collect(Collectors.toList());
  }

}
