package org.pont.gateway.mailet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.PkiFolder;
import org.pont.certs.TestPki;
import org.pont.certs.Usage;
import org.pont.gateway.Gateway;
import org.pont.gateway.directory.WhitelistFile;
import org.pont.gateway.audit.AuditEvent;
import org.pont.gateway.audit.AuditQuery;
import org.pont.gateway.audit.FileAuditLog;
import org.pont.gateway.james.BoundPorts;
import org.pont.gateway.james.EmbeddedJames;
import org.pont.smime.KeyCredential;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;

/**
 * Pont's policy through the real embedded James (in memory, one gateway for the class): mail from
 * another operator arrives on the operator SMTP port over mutual TLS, is opened or quarantined,
 * and the sender of a refused message finds a DSN saying why. The peer domains are hosted by the
 * same James so that the DSNs can be read over IMAP; they are not the gateway's own domain, so the
 * trust check treats them as peers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyPipelineTest {

  static final String OWN = "hopital.test";
  static final String RECIPIENT = "secretariat@hopital.test";
  static final String PEER = "kine.martin@cabinet.test";
  static final String STRANGER = "spam@evil.test";
  static final char[] PKI_PASSWORD = "pipeline-test-password".toCharArray();
  static final String PASSWORD = "a-test-password-1";

  private Path data;
  private Gateway gateway;
  private EmbeddedJames james;
  private BoundPorts ports;
  private Properties credentials;
  private PkiFolder pki;
  private SecureMessaging peer;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    data = dir.resolve("data");
    // The gateway's PKI, made here so that the peer cabinet.test is issued by the same test CAs.
    pki = TestPki.builder().domain(OWN).domain("cabinet.test").person("dr.martin@hopital.test").build()
        .writeTo(data.resolve("pki"), PKI_PASSWORD);
    Files.writeString(data.resolve("pki/password.txt"), new String(PKI_PASSWORD) + "\n");
    // The clinic's operator is whitelisted with its TLS client DN (the first start adds hopital.test).
    WhitelistFile.createIfAbsent(data.resolve("whitelist.xml"), "cabinet.test",
        PkiFolder.readCertificates(pki.organisationCertificate("cabinet.test", Usage.TLS_CLIENT)).get(0)
            .getSubjectX500Principal(), "clinic");
    gateway = Gateway.start(Map.of(
        "pont.data", data.toString(), "pont.storage", "memory",
        "pont.ports.smtp", "0", "pont.ports.submission", "0", "pont.ports.imap", "0", "pont.ports.imaps", "0",
        "micronaut.server.port", "-1"), Optional.empty());
    james = gateway.james().james();
    ports = james.ports();
    for (String domain : List.of("cabinet.test", "evil.test")) {
      james.ensureDomain(domain);
    }
    james.addUser(PEER, PASSWORD);
    james.addUser(STRANGER, PASSWORD);
    credentials = new Properties();
    try (var r = Files.newBufferedReader(data.resolve("credentials.properties"))) {
      credentials.load(r);
    }
    peer = SecureMessaging.builder()
        .signingKey(KeyCredential.fromPkcs12(pki.organisationPkcs12("cabinet.test", Usage.SIGNATURE), PKI_PASSWORD))
        .trust(TrustAnchors.fromDirectory(pki.root()))
        .build();
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aSignedAndEncryptedLetterFromATrustedPeerIsDeliveredOpenedWithTheVerdict() throws Exception {
    MimeMessage letter = PolicyFixtures.dischargeLetter(PEER, RECIPIENT);
    letter.setHeader("X-Pont-Signature", "VALID; signer=forged@evil.test");
    letter.setSubject(letter.getSubject() + " pipeline-ok");
    letter.saveChanges();
    X509Certificate ownEncryption = PkiFolder.readCertificates(pki.organisationCertificate(OWN, Usage.ENCRYPTION)).get(0);
    sendFromOperator(PEER, RECIPIENT, peer.signAndEncrypt(letter, List.of(ownEncryption)));

    Message delivered = await(RECIPIENT, credentials.getProperty(RECIPIENT), m -> subject(m).endsWith("pipeline-ok"));

    assertThat(delivered.getHeader(PontHeaders.SIGNATURE)).containsExactly("VALID; signer=" + PEER + "; binding=DOMAIN");
    assertThat(delivered.getHeader(PontHeaders.ENCRYPTED)).containsExactly("yes");
    assertThat(delivered.getHeader(PontHeaders.PATIENT_INS)).containsExactly("present");
    assertThat(delivered.getHeader(PontHeaders.DOCUMENT_TYPES)).containsExactly("11490-0");
    assertThat(delivered.isMimeType("multipart/mixed")).isTrue();
    List<AuditEvent> events = audit(RECIPIENT);
    assertThat(events).anySatisfy(e -> {
      assertThat(e.type()).isEqualTo(AuditEvent.Type.DELIVERED);
      assertThat(e.sender()).isEqualTo(PEER);
      assertThat(e.documentTypes()).containsExactly("11490-0");
      assertThat(e.verdict()).contains("VALID");
    });
  }

  @Test
  void aTamperedMessageIsQuarantinedWithItsReasonAndTheSenderGetsADsn() throws Exception {
    MimeMessage clear = PolicyFixtures.text(PEER, RECIPIENT, "Bonjour docteur, compte rendu joint.");
    clear.setSubject("tampered-one");
    clear.saveChanges();
    byte[] signed = PolicyFixtures.bytes(peer.sign(clear));
    String tampered = new String(signed, StandardCharsets.ISO_8859_1).replace("Bonjour docteur", "Bonsoir docteur");
    MimeMessage wire = new MimeMessage(PolicyFixtures.session(), new ByteArrayInputStream(tampered.getBytes(StandardCharsets.ISO_8859_1)));
    sendFromOperator(PEER, RECIPIENT, wire);

    QuarantineProbe.Entry entry = awaitQuarantined(e -> e.reason().equals("SIGNATURE_CONTENT_TAMPERED"));
    assertThat(entry.sender()).isEqualTo(PEER);
    assertThat(entry.recipients()).containsExactly(RECIPIENT);
    assertThat(entry.reasonHeader()).startsWith("SIGNATURE_CONTENT_TAMPERED; ");

    Message dsn = await(PEER, PASSWORD, m -> subject(m).startsWith("[REFUSED]") && subject(m).endsWith("tampered-one"));
    assertThat(text(dsn)).contains("SIGNATURE_CONTENT_TAMPERED");
    assertThat(dsn.isMimeType("multipart/report")).isTrue();
    assertThat(dsn.getHeader(PontHeaders.SIGNATURE)[0]).startsWith("VALID; signer=postmaster@hopital.test");
    assertThat(text(dsn)).contains("Status: 5.7.1").contains(RECIPIENT);
  }

  @Test
  void mailFromAnUntrustedDomainIsQuarantinedAndTheSenderGetsADsn() throws Exception {
    // An envelope domain outside the whitelist is refused at MAIL FROM by the operator port
    // (OperatorDnCheckTest). What reaches the pipeline is a whitelisted operator's envelope with a
    // From header of an untrusted domain: quarantined, and the envelope sender is told.
    MimeMessage m = PolicyFixtures.text(STRANGER, RECIPIENT, "Achetez maintenant");
    m.setSubject("untrusted-one");
    m.saveChanges();
    sendFromOperator(PEER, RECIPIENT, m);

    QuarantineProbe.Entry entry = awaitQuarantined(e -> e.reason().equals("UNTRUSTED_DOMAIN") && e.sender().equals(PEER));
    assertThat(entry.reasonHeader()).contains("evil.test");

    Message dsn = await(PEER, PASSWORD, x -> subject(x).startsWith("[REFUSED]") && subject(x).endsWith("untrusted-one"));
    assertThat(text(dsn)).contains("UNTRUSTED_DOMAIN").contains("Status: 5.7.1");
    List<AuditEvent> events = audit(RECIPIENT);
    assertThat(events).anySatisfy(e -> {
      assertThat(e.type()).isEqualTo(AuditEvent.Type.QUARANTINED);
      assertThat(e.sender()).isEqualTo(PEER);
      assertThat(e.reason()).contains("UNTRUSTED_DOMAIN");
    });
    // Nothing from the stranger was delivered to the recipient (the DSN goes to the peer).
    assertThat(events).noneSatisfy(e -> {
      assertThat(e.type()).isEqualTo(AuditEvent.Type.DELIVERED);
      assertThat(e.sender()).isEqualTo(PEER);
      assertThat(e.recipients()).containsExactly(RECIPIENT);
      assertThat(e.messageId()).isEqualTo(Optional.ofNullable(m.getMessageID()));
    });
  }

  private List<AuditEvent> audit(String recipient) {
    return new FileAuditLog(data.resolve("audit"))
        .query(AuditQuery.between(Instant.now().minusSeconds(600), Instant.now().plusSeconds(60)).recipient(recipient));
  }

  private void sendFromOperator(String envelopeFrom, String to, MimeMessage message) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.ssl.socketFactory", sslContext(true).getSocketFactory());
    p.put("mail.smtp.from", envelopeFrom);
    p.put("mail.smtp.timeout", "10000");
    Session session = Session.getInstance(p);
    MimeMessage copy = new MimeMessage(session, new ByteArrayInputStream(PolicyFixtures.bytes(message)));
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", ports.smtp(), null, null);
      t.sendMessage(copy, new InternetAddress[] {new InternetAddress(to)});
    }
  }

  private QuarantineProbe.Entry awaitQuarantined(Predicate<QuarantineProbe.Entry> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<QuarantineProbe.Entry> seen = List.of();
    while (System.nanoTime() < deadline) {
      seen = james.probe(QuarantineProbe.class).list();
      for (QuarantineProbe.Entry e : seen) {
        if (wanted.test(e)) {
          return e;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("nothing of the kind in quarantine; found " + seen);
  }

  private Message await(String user, String password, Predicate<Message> wanted) throws Exception {
    Properties p = new Properties();
    p.put("mail.imaps.ssl.socketFactory", sslContext(false).getSocketFactory());
    p.put("mail.imaps.timeout", "30000");
    Session session = Session.getInstance(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<String> subjects = new ArrayList<>();
    try (Store store = session.getStore("imaps")) {
      store.connect("127.0.0.1", ports.imaps(), user, password);
      Folder inbox = store.getFolder("INBOX");
      while (System.nanoTime() < deadline) {
        inbox.open(Folder.READ_ONLY);
        subjects.clear();
        for (Message m : inbox.getMessages()) {
          subjects.add(m.getSubject());
          if (wanted.test(m)) {
            MimeMessage copy = new MimeMessage(session, new ByteArrayInputStream(raw(m)));
            inbox.close(false);
            return copy;
          }
        }
        inbox.close(false);
        Thread.sleep(200);
      }
    }
    throw new AssertionError("no such message for " + user + "; subjects: " + subjects);
  }

  private static byte[] raw(Message m) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      m.writeTo(out);
      return out.toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String subject(Message m) {
    try {
      return String.valueOf(m.getSubject());
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(Message m) {
    return new String(raw(m), StandardCharsets.UTF_8);
  }

  /** Trusts the test PKI; with {@code clientCertificate}, presents cabinet.test's TLS client certificate. */
  private SSLContext sslContext(boolean clientCertificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (X509Certificate c : PkiFolder.readCertificates(pki.trustAnchors())) {
      trust.setCertificateEntry("anchor-" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (clientCertificate) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(pki.organisationPkcs12("cabinet.test", Usage.TLS_CLIENT))) {
        keys.load(in, PKI_PASSWORD);
      }
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PKI_PASSWORD);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
