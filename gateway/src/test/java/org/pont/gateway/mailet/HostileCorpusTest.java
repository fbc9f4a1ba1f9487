package org.pont.gateway.mailet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pont.certs.Credential;
import org.pont.certs.PkiFolder;
import org.pont.certs.TestPki;
import org.pont.certs.Usage;
import org.pont.gateway.Gateway;
import org.pont.gateway.directory.WhitelistFile;
import org.pont.gateway.james.EmbeddedJames;
import org.pont.smime.KeyCredential;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;

/**
 * The hostile input corpus ({@code src/test/resources/hostile/}, see its README) fed through the
 * real entry points of one in-memory gateway: SMTP cases arrive on the operator port over mutual
 * TLS from the trusted peer cabinet.test, wrapped at run time as the manifest says (signed with
 * the fresh test PKI, forged, ...); REST cases are posted as they are to {@code POST
 * /api/v1/messages}. Each must be refused or quarantined with the expected reason, within a time
 * and heap bound; at the end a good letter still goes through and nothing fell into James's error
 * repository.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileCorpusTest {

  static final String OWN = "hopital.test";
  static final String PEER_DOMAIN = "cabinet.test";
  static final String PEER = HostileCorpusGenerator.PEER;
  static final String RECIPIENT = HostileCorpusGenerator.TO;
  static final char[] PKI_PASSWORD = "hostile-test-password".toCharArray();
  static final Path CORPUS = Path.of("src/test/resources/hostile");
  /** No single case may take longer than this, nor raise the heap's peak by more than {@link #HEAP_BOUND}. */
  static final Duration TIME_BOUND = Duration.ofSeconds(30);
  static final long HEAP_BOUND = 400L << 20;
  /**
   * The oversize cases really carry 26-27 MB through MIME parsing and signature checking: about
   * 340 MiB of pool peaks measured alone, 450 MiB on a loaded machine. Still well below what an
   * unbounded inflation or a copy per layer would need.
   */
  static final long OVERSIZE_HEAP_BOUND = 800L << 20;
  static final ObjectMapper JSON = new ObjectMapper();
  private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private Path data;
  private Gateway gateway;
  private EmbeddedJames james;
  private Properties credentials;
  private TestPki testPki;
  private PkiFolder pki;
  private SSLContext operatorTls;
  private SSLContext clientTls;
  private HttpClient http;
  private String base;
  private String sender;
  private final Map<String, String> figures = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, String> outcomes = Collections.synchronizedMap(new LinkedHashMap<>());

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    data = dir.resolve("data");
    // cabinet.test first: the PKI's revoked and expired certificates are then revoque@ and expire@cabinet.test.
    testPki = TestPki.builder().domain(PEER_DOMAIN).domain(OWN).person(PEER).build();
    pki = testPki.writeTo(data.resolve("pki"), PKI_PASSWORD);
    Files.writeString(data.resolve("pki/password.txt"), new String(PKI_PASSWORD) + "\n");
    // The peer's operator is whitelisted with its TLS client DN, as the operator port demands at MAIL FROM.
    WhitelistFile.createIfAbsent(data.resolve("whitelist.xml"), PEER_DOMAIN,
        PkiFolder.readCertificates(pki.organisationCertificate(PEER_DOMAIN, Usage.TLS_CLIENT)).get(0)
            .getSubjectX500Principal(), "clinic");
    gateway = Gateway.start(Map.of(
        "pont.data", data.toString(), "pont.storage", "memory",
        "pont.ports.smtp", "0", "pont.ports.submission", "0", "pont.ports.imap", "0", "pont.ports.imaps", "0",
        "micronaut.server.port", "-1", "pont.api.max-message-size", "1000000"), Optional.empty());
    james = gateway.james().james();
    credentials = new Properties();
    try (var r = Files.newBufferedReader(data.resolve("credentials.properties"))) {
      credentials.load(r);
    }
    operatorTls = sslContext(true);
    clientTls = sslContext(false);
    http = org.pont.gateway.PkiHttps.client(data);
    base = "https://127.0.0.1:" + gateway.httpPort();
    String admin = Files.readString(data.resolve("admin-token.txt")).strip();
    HttpResponse<String> t = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/tokens"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"mailbox\":\"secretariat@hopital.test\",\"scopes\":[\"send\",\"read\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(t.statusCode()).as(t.body()).isEqualTo(201);
    sender = JSON.readTree(t.body()).get("token").asText();
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    // The figures behind docs/FUZZING.md's corpus table: time and heap peak per case.
    figures.forEach((id, f) -> System.out.println("hostile " + id + " " + f));
    outcomes.forEach((id, o) -> System.out.println("outcome " + id + " " + o.substring(0, Math.min(o.length(), 160))));
  }

  /** One row of manifest.tsv. */
  record Case(String id, String category, String channel, String wrap, String expected, String description) {
    @Override
    public String toString() {
      return id + " [" + channel + "] → " + expected;
    }
  }

  static List<Case> corpus() throws Exception {
    List<Case> out = new ArrayList<>();
    for (String line : Files.readAllLines(CORPUS.resolve("manifest.tsv"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      out.add(new Case(f[0], f[1], f[2], f[3], f[4], f[5]));
    }
    return out;
  }

  static Stream<Arguments> cases() throws Exception {
    return corpus().stream().map(Arguments::of);
  }

  @Test
  @Order(0)
  void theCorpusHoldsAtLeastFiftyHostileCasesCoveringEveryCategory() throws Exception {
    List<Case> all = corpus();
    assertThat(all.stream().filter(c -> !c.category().equals("control"))).hasSizeGreaterThanOrEqualTo(50);
    assertThat(all.stream().map(Case::category).distinct())
        .contains("mime", "cms", "certificate", "xdm", "xml", "ins", "oversize", "two-patients", "sender");
    assertThat(all.stream().map(Case::id).distinct()).hasSize(all.size());
    for (Case c : all) {
      assertThat(CORPUS.resolve(c.channel().equals("SMTP") ? "smtp/" + c.id() + ".eml" : "rest/" + c.id() + ".multipart")).exists();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Order(1)
  void eachCaseIsRefusedOrQuarantinedWithItsReason(Case c) throws Exception {
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    // The input is built first, so that the window below measures the gateway's handling, not the test's building.
    String messageId = "<hostile-" + c.id() + "-" + System.nanoTime() + "@cabinet.test>";
    byte[] input = c.channel().equals("SMTP")
        ? wrap(c.wrap(), withMessageId(Files.readAllBytes(CORPUS.resolve("smtp/" + c.id() + ".eml")), messageId))
        : Files.readAllBytes(CORPUS.resolve("rest/" + c.id() + ".multipart"));
    System.gc();
    long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    long start = System.nanoTime();
    if (c.channel().equals("SMTP")) {
      smtpCase(c, messageId, input);
    } else {
      restCase(c, input);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - before;
    figures.put(c.id(), took.toMillis() + " ms, heap peak +" + (peak >> 20) + " MiB");
    assertThat(took).as("time taken by " + c.id()).isLessThan(TIME_BOUND);
    assertThat(peak).as("heap peak growth for " + c.id())
        .isLessThan(c.category().equals("oversize") ? OVERSIZE_HEAP_BOUND : HEAP_BOUND);
  }

  @Test
  @Order(2)
  void afterTheWholeCorpusAGoodLetterIsStillDeliveredAndNothingFellIntoTheErrorRepository() throws Exception {
    byte[] good = Files.readAllBytes(CORPUS.resolve("smtp/control-good-letter.eml"));
    String messageId = "<hostile-final-" + System.nanoTime() + "@cabinet.test>";
    send(wrap("sign+encrypt", withMessageId(good, messageId)));
    Message delivered = awaitDelivered(messageId);
    assertThat(delivered.getHeader(PontHeaders.SIGNATURE)[0]).startsWith("VALID; signer=" + PEER);
    assertThat(delivered.getHeader(PontHeaders.ENCRYPTED)).containsExactly("yes");
    HttpResponse<String> r = restPost(Files.readAllBytes(CORPUS.resolve("rest/rest-control-good.multipart")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    // A mailet that threw would have sent its mail to James's error repository instead of quarantine.
    try (Stream<Path> files = Files.walk(data)) {
      assertThat(files.filter(p -> p.toString().contains("var/mail/error") && Files.isRegularFile(p)).toList())
          .as("mail in James's error repository").isEmpty();
    }
  }

  // ------------------------------------------------------------------ SMTP

  private void smtpCase(Case c, String messageId, byte[] wire) throws Exception {
    if (c.expected().startsWith("SMTP:")) {
      try {
        send(wire);
        throw new AssertionError(c.id() + " was accepted by SMTP");
      } catch (MessagingException e) {
        assertThat(String.valueOf(e.getMessage()) + " " + e.getNextException()).as(c.id()).containsPattern("\\b" + c.expected().substring(5) + "\\d\\d\\b");
      }
      assertThat(quarantined(messageId)).isEmpty();
      return;
    }
    send(wire);
    if (c.expected().equals("DELIVERED")) {
      Message m = awaitDelivered(messageId);
      assertThat(m.getHeader(PontHeaders.SIGNATURE)[0]).as(c.id()).startsWith("VALID; signer=" + PEER);
      assertThat(m.getHeader("Bcc")).as("no header was injected").isNull();
      assertThat(m.getHeader(PontHeaders.PATIENT_INS)).hasSize(1);
      assertThat(quarantined(messageId)).isEmpty();
      return;
    }
    String[] want = c.expected().substring(2).split("/", 2);
    QuarantineProbe.Entry e = awaitQuarantined(messageId);
    assertThat(e.reason()).as(c.id() + ": " + e.reasonHeader()).startsWith(want[0]);
    if (!want[0].endsWith("_")) {
      assertThat(e.reason()).as(c.id() + ": " + e.reasonHeader()).isEqualTo(want[0]);
    }
    assertThat(e.reasonHeader()).startsWith(e.reason() + "; ");
    if (want.length > 1) {
      assertThat(e.reasonHeader()).as(c.id()).containsPattern(want[1]);
    }
    assertThat(e.recipients()).containsExactly(RECIPIENT);
    outcomes.put(c.id(), e.reasonHeader());
  }

  /** The inner message with our Message-ID instead of its own (so each case is found by its own id). */
  private static byte[] withMessageId(byte[] raw, String messageId) {
    String s = new String(raw, StandardCharsets.ISO_8859_1);
    int end = s.indexOf("\r\n\r\n");
    String headers = s.substring(0, end + 2).replaceAll("(?im)^Message-ID:[^\r\n]*\r\n", "");
    return (headers + "Message-ID: " + messageId + "\r\n" + s.substring(end + 2)).getBytes(StandardCharsets.ISO_8859_1);
  }

  private byte[] wrap(String wrap, byte[] inner) throws Exception {
    Credential peerSignature = testPki.organisation(PEER_DOMAIN).signature();
    return switch (wrap) {
      case "raw" -> inner;
      case "raw+grow-27MB" -> grow(inner, 27 << 20);
      case "sign" -> sign(inner, peerSignature, true);
      case "sign-opaque" -> signOpaque(inner, peerSignature);
      case "sign+encrypt" -> encrypt(sign(inner, peerSignature, true));
      case "encrypt" -> encrypt(inner);
      case "sign+tamper" -> tamper(sign(inner, peerSignature, true));
      case "sign+tamper+sign" -> sign(tamper(sign(inner, peerSignature, true)), peerSignature, true);
      case "sign+garbage-signature" -> replaceSignature(sign(inner, peerSignature, true), b -> random(1200));
      case "sign+truncated-signature" -> replaceSignature(sign(inner, peerSignature, true), b -> java.util.Arrays.copyOf(b, b.length / 2));
      case "sign+empty-signature" -> replaceSignature(sign(inner, peerSignature, true), b -> new byte[0]);
      case "sign+drop-signature" -> dropSignature(sign(inner, peerSignature, true));
      case "sign-without-certificate" -> sign(inner, peerSignature, false);
      case "enveloped-garbage" -> envelopedGarbage(inner);
      case "sign:untrusted" -> sign(inner, TestPki.builder().domain(PEER_DOMAIN).build().organisation(PEER_DOMAIN).signature(), true);
      case "sign:encryption-certificate" -> sign(inner, testPki.organisation(PEER_DOMAIN).encryption(), true);
      case "sign:person" -> sign(inner, testPki.person(PEER).signature(), true);
      case "sign:expired" -> sign(inner, testPki.expired(), true);
      case "sign:revoked" -> sign(inner, testPki.revoked(), true);
      case "sign+xdm-document-26MB" -> sign(withLargeXdm(inner, 26 << 20), peerSignature, true);
      default -> throw new IllegalArgumentException("unknown wrap '" + wrap + "' in manifest.tsv");
    };
  }

  /**
   * Signs the inner message's content entity byte for byte (Bouncy Castle's generator over a body
   * part built from the raw bytes, never re-encoded), so that malformed MIME stays malformed.
   */
  private static byte[] sign(byte[] inner, Credential key, boolean withCertificates) throws Exception {
    ByteArrayInputStream in = new ByteArrayInputStream(inner);
    InternetHeaders headers = new InternetHeaders(in);
    byte[] body = in.readAllBytes();
    InternetHeaders content = new InternetHeaders();
    StringBuilder outer = new StringBuilder();
    for (Enumeration<String> lines = headers.getAllHeaderLines(); lines.hasMoreElements(); ) {
      String line = lines.nextElement();
      if (line.regionMatches(true, 0, "Content-", 0, 8)) {
        content.addHeaderLine(line + "\r\n");
      } else if (!line.regionMatches(true, 0, "MIME-Version", 0, 12)) {
        outer.append(line).append("\r\n");
      }
    }
    MimeBodyPart part = new MimeBodyPart(content, body);
    SMIMESignedGenerator gen = new SMIMESignedGenerator(SMIMESignedGenerator.RFC5751_MICALGS);
    PrivateKey pk = key.privateKey();
    gen.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BC).build("SHA256withRSA", pk, key.certificate()));
    if (withCertificates) {
      gen.addCertificates(new JcaCertStore(key.chain().isEmpty() ? List.of(key.certificate()) : key.chain()));
    }
    MimeMultipart signed = gen.generate(part);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(outer.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(("MIME-Version: 1.0\r\nContent-Type: " + signed.getContentType().replaceAll("\\s*\r\n\\s*", " ") + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    signed.writeTo(out);
    return out.toByteArray();
  }

  /**
   * Signs as opaque signed-data: the content travels inside the CMS structure byte for byte, never
   * re-parsed for canonicalisation, which is how a MIME structure too broken for multipart/signed
   * still reaches the gateway's reader.
   */
  private static byte[] signOpaque(byte[] inner, Credential key) throws Exception {
    String s = new String(inner, StandardCharsets.ISO_8859_1);
    int end = s.indexOf("\r\n\r\n");
    StringBuilder outer = new StringBuilder();
    StringBuilder content = new StringBuilder();
    for (String line : s.substring(0, end + 2).split("\r\n(?![ \t])")) {
      if (line.isEmpty()) {
        continue;
      }
      (line.regionMatches(true, 0, "Content-", 0, 8) ? content : line.regionMatches(true, 0, "MIME-Version", 0, 12) ? new StringBuilder() : outer)
          .append(line).append("\r\n");
    }
    byte[] entity = (content + "\r\n" + s.substring(end + 4)).getBytes(StandardCharsets.ISO_8859_1);
    // CMS directly over the bytes: a MIME library would parse (and choke on) the content first.
    org.bouncycastle.cms.CMSSignedDataGenerator gen = new org.bouncycastle.cms.CMSSignedDataGenerator();
    gen.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BC).build("SHA256withRSA", key.privateKey(), key.certificate()));
    gen.addCertificates(new JcaCertStore(key.chain().isEmpty() ? List.of(key.certificate()) : key.chain()));
    byte[] der = gen.generate(new org.bouncycastle.cms.CMSProcessableByteArray(entity), true).getEncoded();
    return (outer + "MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
        + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7m\r\n\r\n"
        + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private byte[] encrypt(byte[] message) throws Exception {
    X509Certificate own = PkiFolder.readCertificates(pki.organisationCertificate(OWN, Usage.ENCRYPTION)).get(0);
    SecureMessaging peer = SecureMessaging.builder()
        .signingKey(KeyCredential.of(testPki.organisation(PEER_DOMAIN).signature().privateKey(),
            testPki.organisation(PEER_DOMAIN).signature().certificate(), testPki.organisation(PEER_DOMAIN).signature().chain()))
        .trust(TrustAnchors.fromDirectory(pki.root())).build();
    MimeMessage m = new MimeMessage(PolicyFixtures.session(), new ByteArrayInputStream(message));
    String messageId = m.getMessageID();
    MimeMessage enc = peer.encrypt(m, List.of(own));
    enc.setHeader("Message-ID", messageId);
    return PolicyFixtures.bytes(enc);
  }

  /** Flips one character in the middle of the signed content's last long base64 line. */
  private static byte[] tamper(byte[] signed) {
    String s = new String(signed, StandardCharsets.ISO_8859_1);
    int sig = s.lastIndexOf("application/pkcs7-signature");
    Matcher m = Pattern.compile("\r\n([A-Za-z0-9+/]{60,})\r\n").matcher(s.substring(0, sig));
    int at = -1;
    while (m.find()) {
      at = m.start(1) + 10;
    }
    if (at < 0) {
      at = s.indexOf("Bonjour");
    }
    assertThat(at).as("something to tamper with").isPositive();
    char ch = s.charAt(at);
    return (s.substring(0, at) + (ch == 'A' ? 'B' : 'A') + s.substring(at + 1)).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] replaceSignature(byte[] signed, java.util.function.UnaryOperator<byte[]> change) {
    String s = new String(signed, StandardCharsets.ISO_8859_1);
    Matcher m = Pattern.compile("(?s)application/pkcs7-signature.*?\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--").matcher(s);
    assertThat(m.find(s.lastIndexOf("application/pkcs7-signature"))).as("a signature part").isTrue();
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    String replaced = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(change.apply(der));
    return (s.substring(0, m.start(1)) + replaced + s.substring(m.end(1))).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] dropSignature(byte[] signed) {
    String s = new String(signed, StandardCharsets.ISO_8859_1);
    int sig = s.lastIndexOf("application/pkcs7-signature");
    int partStart = s.lastIndexOf("\r\n--", sig);
    String boundaryLine = s.substring(partStart, s.indexOf("\r\n", partStart + 2));
    return (s.substring(0, partStart) + boundaryLine + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] envelopedGarbage(byte[] inner) {
    String s = new String(inner, StandardCharsets.ISO_8859_1);
    String headers = s.substring(0, s.indexOf("\r\n\r\n") + 2).replaceAll("(?im)^(Content-[^:]*|MIME-Version):[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*", "");
    return (headers + "MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
        + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7m\r\n\r\n"
        + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(random(3000)) + "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The letter with one more attachment of {@code size} random bytes, in base64. */
  private static byte[] grow(byte[] letter, int size) throws Exception {
    MimeMessage m = new MimeMessage(PolicyFixtures.session(), new ByteArrayInputStream(letter));
    String id = m.getMessageID();
    MimeMultipart mp = (MimeMultipart) m.getContent();
    MimeBodyPart big = new MimeBodyPart();
    big.setContent(random(size), "application/octet-stream");
    big.setFileName("annexe.bin");
    mp.addBodyPart(big);
    m.setContent(mp);
    m.saveChanges();
    m.setHeader("Message-ID", id);
    return PolicyFixtures.bytes(m);
  }

  /** The letter with its XDM replaced by one whose document inflates to {@code size} bytes of hex text (~2:1). */
  private static byte[] withLargeXdm(byte[] letter, int size) throws Exception {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("IHE_XDM/SUBSET01/DOC0001.XML"));
      Random r = new Random(5);
      byte[] line = new byte[1 << 16];
      for (int written = 0; written < size; written += line.length) {
        for (int i = 0; i < line.length; i++) {
          line[i] = (byte) "0123456789abcdef".charAt(r.nextInt(16));
        }
        z.write(line);
      }
      z.closeEntry();
    }
    MimeMessage m = new MimeMessage(PolicyFixtures.session(), new ByteArrayInputStream(letter));
    String id = m.getMessageID();
    MimeMultipart mp = (MimeMultipart) m.getContent();
    for (int i = 0; i < mp.getCount(); i++) {
      if ("IHE_XDM.ZIP".equalsIgnoreCase(mp.getBodyPart(i).getFileName())) {
        MimeBodyPart p = (MimeBodyPart) mp.getBodyPart(i);
        p.setContent(zip.toByteArray(), "application/zip");
        p.setFileName("IHE_XDM.ZIP");
        p.setHeader("Content-Transfer-Encoding", "base64");
      }
    }
    m.setContent(mp);
    m.saveChanges();
    m.setHeader("Message-ID", id);
    return PolicyFixtures.bytes(m);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private void send(byte[] wire) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.ssl.socketFactory", operatorTls.getSocketFactory());
    p.put("mail.smtp.from", PEER);
    p.put("mail.smtp.timeout", "20000");
    Session session = Session.getInstance(p);
    MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(wire));
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", james.ports().smtp(), null, null);
      // sendMessage, not Transport.send: no saveChanges, so the bytes go out exactly as built.
      t.sendMessage(m, new InternetAddress[] {new InternetAddress(RECIPIENT)});
    }
  }

  private List<QuarantineProbe.Entry> quarantined(String messageId) throws Exception {
    try {
      return james.probe(QuarantineProbe.class).list().stream().filter(e -> e.messageId().equals(messageId)).toList();
    } catch (javax.mail.MessagingException e) {
      // James's file repository refuses to read a mail it is still writing ("Cannot lock"): look again.
      return List.of();
    }
  }

  private QuarantineProbe.Entry awaitQuarantined(String messageId) throws Exception {
    long deadline = System.nanoTime() + TIME_BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      List<QuarantineProbe.Entry> found = quarantined(messageId);
      if (!found.isEmpty()) {
        assertThat(found).as("quarantined once").hasSize(1);
        return found.get(0);
      }
      Optional<Message> delivered = findDelivered(messageId);
      if (delivered.isPresent()) {
        throw new AssertionError(messageId + " was delivered, not quarantined; verdict "
            + String.join(",", Optional.ofNullable(delivered.get().getHeader(PontHeaders.SIGNATURE)).orElse(new String[0])));
      }
      Thread.sleep(100);
    }
    throw new AssertionError(messageId + " neither quarantined nor delivered");
  }

  private Message awaitDelivered(String messageId) throws Exception {
    long deadline = System.nanoTime() + TIME_BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Message> m = findDelivered(messageId);
      if (m.isPresent()) {
        return m.get();
      }
      List<QuarantineProbe.Entry> q = quarantined(messageId);
      if (!q.isEmpty()) {
        throw new AssertionError(messageId + " was quarantined: " + q.get(0).reasonHeader());
      }
      Thread.sleep(100);
    }
    throw new AssertionError(messageId + " neither delivered nor quarantined");
  }

  private Message awaitIn(String user, String messageId) throws Exception {
    long deadline = System.nanoTime() + TIME_BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Message> m = findDelivered(user, messageId);
      if (m.isPresent()) {
        return m.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError(messageId + " never reached " + user);
  }

  private Optional<Message> findDelivered(String messageId) throws Exception {
    return findDelivered(RECIPIENT, messageId);
  }

  private Optional<Message> findDelivered(String user, String messageId) throws Exception {
    Properties p = new Properties();
    p.put("mail.imaps.ssl.socketFactory", clientTls.getSocketFactory());
    p.put("mail.imaps.timeout", "20000");
    Session session = Session.getInstance(p);
    try (Store store = session.getStore("imaps")) {
      store.connect("127.0.0.1", james.ports().imaps(), user, credentials.getProperty(user));
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        for (Message m : inbox.search(new jakarta.mail.search.HeaderTerm("Message-ID", messageId))) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          m.writeTo(out);
          return Optional.of(new MimeMessage(session, new ByteArrayInputStream(out.toByteArray())));
        }
      } finally {
        inbox.close(false);
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------ REST

  private void restCase(Case c, byte[] input) throws Exception {
    HttpResponse<String> r = restPost(input);
    String[] want = c.expected().substring(5).split(":", 2);
    List<String> statuses = List.of(want[0].split("\\|"));
    int status = r.statusCode();
    outcomes.put(c.id(), status + " " + r.body());
    boolean ok = statuses.stream().anyMatch(s -> s.equals(String.valueOf(status)) || s.startsWith(String.valueOf(status))
        || (s.equals("4xx") && status >= 400 && status < 500));
    assertThat(ok).as(c.id() + ": HTTP " + status + " " + r.body()).isTrue();
    assertThat(status).as(c.id() + ": never a server error").isLessThan(500);
    JsonNode body = JSON.readTree(r.body());
    if (status >= 400) {
      assertThat(body.path("error").asText()).as(c.id()).isNotBlank();
      assertThat(body.path("message").asText()).as(c.id()).isNotBlank();
      if (want.length > 1) {
        assertThat(body.get("error").asText()).as(c.id() + ": " + r.body()).isEqualTo(want[1]);
      }
    } else {
      // Accepted: the submission goes to the one recipient of the metadata and nobody else.
      JsonNode s = JSON.readTree(restGet("/api/v1/messages/" + body.get("id").asText()).body());
      List<String> recipients = new ArrayList<>();
      s.get("recipients").fieldNames().forEachRemaining(recipients::add);
      assertThat(recipients).as(c.id()).containsExactly("dr.martin@hopital.test");
      // And the mail itself: delivered once, with no header smuggled in through a field.
      Message m = awaitIn("dr.martin@hopital.test", body.get("messageId").asText());
      assertThat(m.getHeader("Bcc")).as(c.id()).isNull();
      assertThat(String.valueOf(m.getSubject())).as(c.id()).doesNotContain("\r").doesNotContain("\n");
    }
  }

  private HttpResponse<String> restPost(byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
        .header("Content-Type", "multipart/form-data; boundary=" + HostileCorpusGenerator.BOUNDARY)
        .header("Authorization", "Bearer " + sender).timeout(TIME_BOUND)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> restGet(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + sender).GET().build(),
        HttpResponse.BodyHandlers.ofString());
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
      try (InputStream in = Files.newInputStream(pki.organisationPkcs12(PEER_DOMAIN, Usage.TLS_CLIENT))) {
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
