package org.pont.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.PkiFolder;
import org.pont.certs.TestPki;
import org.pont.client.PontClient;
import org.pont.client.PontSettings;
import org.pont.index.MessageRef;
import org.pont.index.SearchHit;
import org.pont.index.SearchQuery;
import org.pont.transport.MailCredentials;
import org.pont.transport.ServerSettings;
import org.pont.transport.TlsTrust;

/**
 * Issue 6's proof across two real gateways ({@code pont up} processes): the hospital secretariat
 * submits a discharge letter over the hospital's REST API to a clinic mailbox; it is relayed over
 * mutual TLS; the clinic gateway answers the relay's NOTIFY=SUCCESS with a success DSN on delivery
 * ({@code delivered} at the hospital); the clinic's software reads it with the client library (IMAPS
 * and submission of the clinic gateway) and acknowledges it; the MDN travels back through the clinic
 * gateway over mutual TLS; the hospital's tracking moves the recipient to {@code read}, and signed
 * {@code message.status} webhooks reach a receiver for both steps.
 */
class OperatorTrackingE2eTest {

  private static final String SENDER = "secretariat@hopital.test";
  private static final String RECIPIENT = "secretariat@cabinet.test";
  private static final String INS = "279035121518989";
  private static final char[] PKI_PASSWORD = "e2e-tracking-pki".toCharArray();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
      .getBytes(StandardCharsets.US_ASCII);

  /** A callback as the receiver saw it. */
  record Call(String event, String signature, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  @TempDir Path dir;
  private final List<GatewayProcess> started = new ArrayList<>();
  private HttpServer receiver;
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

  @AfterEach
  void cleanUp() {
    started.forEach(g -> g.process.destroyForcibly());
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void aLetterRelayedToTheClinicAndAcknowledgedThereIsReadAtTheHospitalWithASignedWebhook() throws Exception {
    long t0 = System.nanoTime();
    TestPki pki = TestPki.builder().domain("hopital.test").domain("cabinet.test").build();
    Path hospitalData = dir.resolve("hopital");
    Path clinicData = dir.resolve("cabinet");
    GatewayProcess.trustSpace(pki, PKI_PASSWORD, hospitalData, clinicData);
    Files.createDirectories(hospitalData.resolve("certificates"));
    Files.createDirectories(clinicData.resolve("certificates"));
    // Each side encrypts for the other's mailbox: the letter one way, the MDN the other.
    Files.copy(clinicData.resolve("pki/domains/cabinet.test/encryption.cert.pem"),
        hospitalData.resolve("certificates/" + RECIPIENT + ".pem"));
    Files.copy(hospitalData.resolve("pki/domains/hopital.test/encryption.cert.pem"),
        clinicData.resolve("certificates/" + SENDER + ".pem"));

    int hospitalSmtp = GatewayProcess.freePort();
    int clinicSmtp = GatewayProcess.freePort();
    Path hospitalConfig = GatewayProcess.config(dir, "hopital.properties", "pont.domain=hopital.test", "pont.ports.smtp=" + hospitalSmtp,
        "pont.relay.routes=cabinet.test=127.0.0.1:" + clinicSmtp, "pont.relay.retry-delays=1s",
        "pont.webhooks.poll-interval=100ms", "pont.tracking.check-interval=300ms");
    Path clinicConfig = GatewayProcess.config(dir, "cabinet.properties", "pont.domain=cabinet.test", "pont.ports.smtp=" + clinicSmtp,
        "pont.relay.routes=hopital.test=127.0.0.1:" + hospitalSmtp, "pont.relay.retry-delays=1s");
    GatewayProcess hospital = launch(hospitalData, hospitalConfig, "hopital");
    GatewayProcess clinic = launch(clinicData, clinicConfig, "cabinet");
    hospital.awaitUp();
    clinic.awaitUp();
    System.out.printf("two gateways up: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      calls.add(new Call(exchange.getRequestHeaders().getFirst("X-Pont-Event"),
          exchange.getRequestHeaders().getFirst("X-Pont-Signature"), new String(body, StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();

    Rest rest = new Rest(hospital);
    String token = rest.token(SENDER, "send", "read");
    ObjectNode hook = JSON.createObjectNode().put("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/status");
    hook.withArray("events").add("message.status");
    HttpResponse<String> subscribed = rest.post("/api/v1/webhooks", token, hook.toString());
    assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
    String secret = JSON.readTree(subscribed.body()).get("secret").asText();

    long ts = System.nanoTime();
    JsonNode accepted = rest.submit(token, letter());
    String id = accepted.get("id").asText();
    String messageId = accepted.get("messageId").asText();

    // The clinic gateway answers NOTIFY=SUCCESS with a success DSN when the letter enters the
    // mailbox; it comes back over the relay and moves the recipient to "delivered" at the hospital.
    JsonNode delivered = awaitStatus(rest, token, id, "delivered");
    System.out.printf("submission to delivered (success DSN back) at the hospital: %d ms%n", (System.nanoTime() - ts) / 1_000_000);
    assertThat(delivered.get("status").asText()).isEqualTo("delivered");

    PontClient.Acknowledgement ack;
    try (PontClient client = client(clinic)) {
      SearchHit hit = find(client, messageId);
      System.out.println("at the clinic: " + hit);
      assertThat(hit.patientIns()).contains(INS);
      assertThat(hit.documentTypes()).contains("11490-0");
      System.out.println("verdict in the index: " + hit.verdict());
      // The clinic gateway checked the hospital's signature and decrypted; the client reads its verdict.
      jakarta.mail.internet.MimeMessage opened = client.open(hit.ref()).content();
      assertThat(opened.getHeader("X-Pont-Signature", null)).startsWith("VALID; signer=" + SENDER);
      assertThat(opened.getHeader("X-Pont-Encrypted", null)).isEqualTo("yes");
      ack = client.acknowledge(hit.ref());
      assertThat(ack.mdnSent()).as(ack.detail()).isTrue();
    }

    JsonNode status = awaitStatus(rest, token, id, "read");
    System.out.printf("submission to read at the hospital: %d ms%n%s%n", (System.nanoTime() - ts) / 1_000_000, status);
    List<String> states = new ArrayList<>();
    status.at("/recipients/" + RECIPIENT + "/timeline").forEach(e -> {
      if (e.get("changed").asBoolean()) {
        states.add(e.get("status").asText());
      }
    });
    assertThat(states).containsSubsequence("accepted", "relayed", "delivered", "read").endsWith("read");
    assertThat(status.get("status").asText()).isEqualTo("read");

    assertThat(awaitCall(c -> c.body().contains(id) && c.json().at("/data/status").asText().equals("delivered")).event())
        .isEqualTo("message.status");
    Call read = awaitCall(c -> c.body().contains(id) && c.json().at("/data/status").asText().equals("read"));
    assertThat(read.event()).isEqualTo("message.status");
    assertThat(read.json().at("/data/recipient").asText()).isEqualTo(RECIPIENT);
    assertThat(read.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
    String t = read.signature().substring(2, read.signature().indexOf(','));
    String v1 = read.signature().substring(read.signature().indexOf("v1=") + 3);
    assertThat(v1).as("HMAC-SHA256 of t.body with the subscription secret").isEqualTo(hmac(secret, t + "." + read.body()));
    assertThat(read.body()).as("no patient data in a callback").doesNotContain(INS).doesNotContain("Pat-Trois");
    // The MDN came back through the clinic gateway signed and encrypted for the hospital mailbox.
    String mdn = awaitMdn(rest, token, messageId);
    assertThat(mdn).contains("X-Pont-Signature: VALID; signer=" + RECIPIENT, "X-Pont-Encrypted: yes");
    System.out.printf("whole test %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    hospital.stop();
    clinic.stop();
  }

  private static ObjectNode letter() {
    ObjectNode m = JSON.createObjectNode();
    m.put("sender", SENDER);
    m.withArray("recipients").add(RECIPIENT);
    ObjectNode p = m.putObject("patient");
    p.put("ins", INS).put("oid", "1.2.250.1.213.1.4.10").put("familyName", "Pat-Trois").put("birthDate", "1979-03-28")
        .put("sex", "F");
    p.putArray("givenNames").add("Dominique");
    m.put("documentType", "11490-0");
    m.put("title", "Lettre de liaison");
    m.put("subject", "Sortie de Mme Pat-Trois");
    m.put("body", "Bonjour, ci-joint la lettre de liaison.");
    return m;
  }

  private PontClient client(GatewayProcess clinic) throws Exception {
    TlsTrust trust = TlsTrust.fromPem(clinic.trustAnchors());
    return PontClient.open(PontSettings.builder()
        .smtp(ServerSettings.starttls("127.0.0.1", clinic.port("SMTP submission"), trust))
        .imap(ServerSettings.implicitTls("127.0.0.1", clinic.port("IMAPS"), trust))
        .credentials(MailCredentials.of(RECIPIENT, clinic.credentials().getProperty(RECIPIENT).toCharArray()))
        .indexFolder(dir.resolve("index"))
        .build());
  }

  private static SearchHit find(PontClient client, String messageId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      client.sync(p -> {});
      for (SearchHit h : client.search(SearchQuery.builder().page(0, 100).build()).hits()) {
        if (h.messageId().filter(messageId::equals).isPresent()) {
          return h;
        }
      }
      Thread.sleep(300);
    }
    throw new AssertionError(messageId + " never reached the clinic mailbox");
  }

  private static JsonNode awaitStatus(Rest rest, String token, String id, String wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonNode s = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = rest.get("/api/v1/messages/" + id, token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      s = JSON.readTree(r.body());
      if (s.at("/recipients/" + RECIPIENT + "/status").asText().equals(wanted)) {
        return s;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(RECIPIENT + " never reached " + wanted + " at the hospital: " + s);
  }

  /** The MDN for {@code messageId} in the hospital sender's mailbox, as the hospital gateway stored it. */
  private static String awaitMdn(Rest rest, String token, String messageId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonNode list = JSON.readTree(rest.get("/api/v1/mailboxes/" + SENDER + "/messages", token).body());
      for (JsonNode row : list.get("messages")) {
        String raw = rest.get("/api/v1/mailboxes/" + SENDER + "/messages/" + row.get("uid").asLong() + "/raw", token).body();
        if (raw.contains("disposition-notification") && raw.contains(messageId)) {
          return raw;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no MDN for " + messageId + " in " + SENDER);
  }

  private Call awaitCall(Predicate<Call> which) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (Call c : calls) {
        if (which.test(c)) {
          return c;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no such webhook call; got " + calls.stream().map(Call::body).toList());
  }

  /** An independent HMAC-SHA256, as a receiver computes it. */
  private static String hmac(String secret, String text) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The hospital's REST API over HTTPS, trusting only the shared PKI's anchors. */
  private static final class Rest {
    private final HttpClient http;
    private final String base;
    private final String admin;

    Rest(GatewayProcess g) throws Exception {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (X509Certificate c : PkiFolder.readCertificates(g.trustAnchors())) {
        trust.setCertificateEntry("anchor-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      http = HttpClient.newBuilder().sslContext(ctx).build();
      base = "https://127.0.0.1:" + g.port("REST API");
      admin = Files.readString(g.data.resolve("admin-token.txt")).strip();
    }

    String token(String mailbox, String... scopes) throws Exception {
      ObjectNode body = JSON.createObjectNode().put("mailbox", mailbox);
      for (String s : scopes) {
        body.withArray("scopes").add(s);
      }
      HttpResponse<String> r = post("/api/v1/admin/tokens", admin, body.toString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      return JSON.readTree(r.body()).get("token").asText();
    }

    JsonNode submit(String token, ObjectNode metadata) throws Exception {
      String boundary = "pont" + UUID.randomUUID();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
          + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.write(metadata.toString().getBytes(StandardCharsets.UTF_8));
      body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"lettre.pdf\"\r\n"
          + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.write(PDF);
      body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      return JSON.readTree(r.body());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, String json) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private GatewayProcess launch(Path data, Path config, String name) throws IOException {
    GatewayProcess g = GatewayProcess.launch(data, config, dir.resolve(name + ".err"));
    started.add(g);
    return g;
  }



}
