package org.pont.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pont.client.PontClient;
import org.pont.client.PontSettings;
import org.pont.gateway.Gateway;
import org.pont.gateway.james.BoundPorts;
import org.pont.gateway.webhook.WebhookDispatcher;
import org.pont.index.MessageRef;
import org.pont.index.SearchHit;
import org.pont.index.SearchQuery;
import org.pont.tracking.Disposition;
import org.pont.tracking.IntegrationError;
import org.pont.tracking.IntegrationErrorCode;
import org.pont.transport.MailCredentials;
import org.pont.transport.ServerSettings;
import org.pont.transport.TlsTrust;

/**
 * Delivery tracking end to end in one in-memory gateway: a letter submitted over REST, read by the
 * recipient's software through the client library over IMAP, acknowledged with an MDN submitted
 * over SMTP, the sender's status moving to {@code read} with its timeline, and every change
 * reaching signed webhook callbacks on a JDK HTTP server. Timeouts are seconds here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrackingWebhooksTest {

  static final String SECRETARIAT = RestApiTest.SECRETARIAT;
  static final String DOCTOR = RestApiTest.DOCTOR;
  static final ObjectMapper JSON = new ObjectMapper();

  /** A callback as the receiver saw it. */
  record Call(String path, String event, String delivery, String signature, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  private Path data;
  private Path work;
  private Gateway gateway;
  private BoundPorts ports;
  private Properties credentials;
  private String base;
  private HttpClient http;
  private String admin;
  private String secretariat;
  private String doctor;
  private HttpServer receiver;
  private String hooks;
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> attemptsPerDelivery = new ConcurrentHashMap<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    work = dir;
    data = dir.resolve("data");
    gateway = Gateway.start(Map.ofEntries(
        Map.entry("pont.data", data.toString()),
        Map.entry("pont.storage", "memory"),
        Map.entry("pont.ports.smtp", "0"), Map.entry("pont.ports.submission", "0"),
        Map.entry("pont.ports.imap", "0"), Map.entry("pont.ports.imaps", "0"),
        Map.entry("micronaut.server.port", "-1"),
        Map.entry("pont.tracking.timeout", "6s"),
        Map.entry("pont.tracking.await", "read"),
        Map.entry("pont.tracking.check-interval", "300ms"),
        Map.entry("pont.webhooks.poll-interval", "100ms"),
        Map.entry("pont.webhooks.retry-base", "200ms"),
        Map.entry("pont.webhooks.max-attempts", "4")), Optional.empty());
    http = org.pont.gateway.PkiHttps.client(data);
    base = gateway.apiUri().toString();
    ports = gateway.james().james().ports();
    credentials = new Properties();
    try (var r = Files.newBufferedReader(data.resolve("credentials.properties"))) {
      credentials.load(r);
    }
    admin = Files.readString(data.resolve("admin-token.txt")).strip();
    secretariat = token(SECRETARIAT, "send", "read");
    doctor = token(DOCTOR, "read");

    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      String delivery = exchange.getRequestHeaders().getFirst("X-Pont-Delivery");
      calls.add(new Call(path, exchange.getRequestHeaders().getFirst("X-Pont-Event"), delivery,
          exchange.getRequestHeaders().getFirst(WebhookDispatcher.SIGNATURE_HEADER), new String(body, StandardCharsets.UTF_8)));
      int attempt = attemptsPerDelivery.computeIfAbsent(path + delivery, k -> new AtomicInteger()).incrementAndGet();
      int status = switch (path) {
        case "/flaky" -> attempt <= 2 ? 500 : 200; // twice 500, then 200, for each event
        case "/down" -> 503;
        default -> 204;
      };
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    hooks = "http://127.0.0.1:" + receiver.getAddress().getPort();
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void aLetterReadThroughTheClientLibraryIsReadAtTheSenderWithAWebhook() throws Exception {
    String statusSecret = subscribe(secretariat, hooks + "/status", null, "message.status").get("secret").asText();
    String receivedSecret = subscribe(doctor, hooks + "/received", null, "message.received").get("secret").asText();

    JsonNode accepted = submitted(RestApiTest.metadata(SECRETARIAT, DOCTOR));
    String id = accepted.get("id").asText();
    String messageId = accepted.get("messageId").asText();

    Call received = awaitCall(c -> c.path().equals("/received") && c.body().contains(messageId));
    assertThat(received.event()).isEqualTo("message.received");
    assertThat(received.json().at("/data/mailbox").asText()).isEqualTo(DOCTOR);
    assertSigned(received, receivedSecret);
    assertThat(received.body()).as("no patient data in a callback").doesNotContain("Pat-Trois").doesNotContain("279035121518989");

    PontClient.Acknowledgement ack;
    try (PontClient client = client(DOCTOR)) {
      MessageRef ref = find(client, messageId);
      ack = client.acknowledge(ref);
      assertThat(ack.mdnSent()).as(ack.detail()).isTrue();
      assertThat(client.acknowledge(ref).mdnSent()).as("a second acknowledge sends no second MDN").isFalse();
    }

    JsonNode status = awaitStatus(id, DOCTOR, "read");
    assertThat(status.get("status").asText()).isEqualTo("read");
    JsonNode timeline = status.at("/recipients/" + pointer(DOCTOR) + "/timeline");
    List<String> states = new ArrayList<>();
    timeline.forEach(e -> {
      if (e.get("changed").asBoolean()) {
        states.add(e.get("status").asText());
      }
    });
    assertThat(states).startsWith("accepted", "delivered").endsWith("read");
    System.out.println("status after the MDN: " + status); // the transcript, in the surefire output
    JsonNode readEvent = timeline.get(timeline.size() - 1);
    assertThat(readEvent.get("source").asText()).isEqualTo("notification");
    assertThat(readEvent.get("at").asText()).isNotBlank();

    Call read = awaitCall(c -> c.path().equals("/status") && c.body().contains(id) && c.json().at("/data/status").asText().equals("read"));
    assertSigned(read, statusSecret);
    System.out.println("callback " + read.path() + " " + WebhookDispatcher.SIGNATURE_HEADER + ": " + read.signature() + "\n" + read.body());
    assertThat(read.json().at("/data/recipient").asText()).isEqualTo(DOCTOR);
    assertThat(read.json().at("/data/previousStatus").asText()).isIn("delivered", "timed-out");

    // The MDN reached the sender's mailbox, and nothing answered it.
    assertThat(awaitMailboxMessages(SECRETARIAT, secretariat, raw -> raw.contains("disposition-notification")
        && raw.contains(messageId), 1)).hasSize(1);
    Thread.sleep(1000);
    assertThat(mailboxMessages(DOCTOR, doctor, raw -> raw.toLowerCase(java.util.Locale.ROOT).contains("multipart/report")))
        .as("a notification is never answered with a notification").isEmpty();
  }

  @Test
  void aTimeoutIsReportedOnceAndALateMdnReconcilesItWithoutASecondNotification() throws Exception {
    String secret = subscribe(secretariat, hooks + "/timeouts", null, "message.status").get("secret").asText();
    JsonNode accepted = submitted(RestApiTest.metadata(SECRETARIAT, DOCTOR));
    String id = accepted.get("id").asText();
    String messageId = accepted.get("messageId").asText();

    JsonNode timedOut = awaitStatus(id, DOCTOR, "timed-out");
    assertThat(timedOut.get("status").asText()).isEqualTo("timed-out");
    assertThat(timedOut.at("/recipients/" + pointer(DOCTOR) + "/reason").asText()).contains("no read within");
    Call call = awaitCall(c -> c.path().equals("/timeouts") && c.body().contains(id)
        && c.json().at("/data/status").asText().equals("timed-out"));
    assertSigned(call, secret);
    assertThat(call.json().at("/data/source").asText()).isEqualTo("timeout");

    try (PontClient client = client(DOCTOR)) {
      assertThat(client.acknowledge(find(client, messageId)).mdnSent()).isTrue();
    }
    JsonNode read = awaitStatus(id, DOCTOR, "read");
    JsonNode timeline = read.at("/recipients/" + pointer(DOCTOR) + "/timeline");
    JsonNode last = timeline.get(timeline.size() - 1);
    assertThat(last.get("status").asText()).isEqualTo("read");
    assertThat(last.get("late").asBoolean()).as("the MDN came after the timeout").isTrue();
    Call late = awaitCall(c -> c.path().equals("/timeouts") && c.body().contains(id)
        && c.json().at("/data/status").asText().equals("read"));
    assertThat(late.json().at("/data/late").asBoolean()).isTrue();

    Thread.sleep(2000); // several deadline checks later: no second timeout, no DSN
    JsonNode after = status(id);
    int timeouts = 0;
    for (JsonNode e : after.at("/recipients/" + pointer(DOCTOR) + "/timeline")) {
      timeouts += e.get("status").asText().equals("timed-out") ? 1 : 0;
    }
    assertThat(timeouts).isEqualTo(1);
    assertThat(after.get("status").asText()).isEqualTo("read");
    assertThat(mailboxMessages(SECRETARIAT, secretariat, raw -> raw.contains("multipart/report") && raw.contains(messageId)))
        .as("the sender gets the recipient's MDN and nothing else: a timeout never produces a DSN").hasSize(1);
  }

  @Test
  void anIntegrationErrorAcknowledgementRecordsAFailureWithItsCode() throws Exception {
    subscribe(secretariat, hooks + "/errors", null, "message.status");
    JsonNode accepted = submitted(RestApiTest.metadata(SECRETARIAT, DOCTOR));
    String id = accepted.get("id").asText();
    try (PontClient client = client(DOCTOR)) {
      PontClient.Acknowledgement ack = client.acknowledge(find(client, accepted.get("messageId").asText()),
          Disposition.integrationError(IntegrationError.of(IntegrationErrorCode.UNKNOWN_PATIENT)));
      assertThat(ack.mdnSent()).as(ack.detail()).isTrue();
    }
    JsonNode failed = awaitStatus(id, DOCTOR, "failed");
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.at("/recipients/" + pointer(DOCTOR) + "/reason").asText()).startsWith("integration error 902: Patient inconnu");
    JsonNode timeline = failed.at("/recipients/" + pointer(DOCTOR) + "/timeline");
    assertThat(timeline.get(timeline.size() - 1).get("integrationCode").asInt()).isEqualTo(902);
    Call call = awaitCall(c -> c.path().equals("/errors") && c.body().contains(id) && c.json().at("/data/status").asText().equals("failed"));
    assertThat(call.json().at("/data/integrationCode").asInt()).isEqualTo(902);
    assertThat(call.body()).as("the receiver's free-text label stays out of callbacks").doesNotContain("Patient inconnu");
  }

  @Test
  void aCallbackIsRetriedAfterAFailureAndGivenUpAfterTheLastAttempt() throws Exception {
    JsonNode flaky = subscribe(admin, hooks + "/flaky", "*", "message.received");
    JsonNode down = subscribe(doctor, hooks + "/down", null, "message.received");
    String messageId = submitted(RestApiTest.metadata(SECRETARIAT, DOCTOR)).get("messageId").asText();

    Call first = awaitCall(c -> c.path().equals("/flaky") && c.body().contains(messageId));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<Call> attempts;
    do {
      Thread.sleep(100);
      attempts = calls.stream().filter(c -> c.path().equals("/flaky") && first.delivery().equals(c.delivery())).toList();
    } while (attempts.size() < 3 && System.nanoTime() < deadline);
    assertThat(attempts).hasSize(3); // 500, 500, then 200: no fourth call
    for (Call c : attempts) {
      assertSigned(c, flaky.get("secret").asText());
    }
    Thread.sleep(1000);
    assertThat(calls.stream().filter(c -> c.path().equals("/flaky") && first.delivery().equals(c.delivery()))).hasSize(3);

    JsonNode state;
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    do {
      Thread.sleep(200);
      state = JSON.readTree(get("/api/v1/webhooks/" + down.get("id").asText(), doctor).body());
    } while (state.get("failedDeliveries").asInt() < 1 && System.nanoTime() < deadline);
    assertThat(state.get("failedDeliveries").asInt()).as(state.toString()).isGreaterThanOrEqualTo(1);
    assertThat(calls.stream().filter(c -> c.path().equals("/down") && c.body().contains(messageId))).hasSize(4);
    assertThat(state.has("secret")).as("the secret is shown once, at creation").isFalse();
  }

  @Test
  void aSubmissionThatAsksForNoReadReceiptGetsNone() throws Exception {
    ObjectNode meta = RestApiTest.metadata(SECRETARIAT, DOCTOR).put("readReceipt", false);
    String messageId = submitted(meta).get("messageId").asText();
    try (PontClient client = client(DOCTOR)) {
      PontClient.Acknowledgement ack = client.acknowledge(find(client, messageId));
      assertThat(ack.mdnSent()).isFalse();
      assertThat(ack.detail()).contains("asked for none");
    }
    ObjectNode wrong = RestApiTest.metadata(SECRETARIAT, DOCTOR).put("readReceipt", "yes");
    String boundary = "pont" + UUID.randomUUID();
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n"
        + wrong + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"l.pdf\"\r\n"
        + "Content-Type: application/pdf\r\n\r\n" + new String(RestApiTest.PDF, StandardCharsets.US_ASCII) + "\r\n--" + boundary + "--\r\n";
    assertError(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
        .header("Authorization", "Bearer " + secretariat).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()), 400, "INVALID_METADATA");
  }

  @Test
  void subscriptionsAreCheckedAndScopedToTheTokensMailbox() throws Exception {
    assertError(post("/api/v1/webhooks", doctor, "{\"url\":\"file:///etc/passwd\",\"events\":[\"message.received\"]}"),
        400, "INVALID_WEBHOOK_URL");
    assertError(post("/api/v1/webhooks", doctor, "{\"url\":\"ftp://127.0.0.1/x\",\"events\":[\"message.received\"]}"),
        400, "INVALID_WEBHOOK_URL");
    assertError(post("/api/v1/webhooks", doctor, "{\"url\":\"http://u:p@127.0.0.1/x\",\"events\":[\"message.received\"]}"),
        400, "INVALID_WEBHOOK_URL");
    assertError(post("/api/v1/webhooks", doctor, "{\"url\":\"https://app.test/x\",\"events\":[\"message.deleted\"]}"),
        400, "UNKNOWN_EVENT");
    assertError(post("/api/v1/webhooks", doctor,
        "{\"url\":\"https://app.test/x\",\"events\":[\"message.received\"],\"mailbox\":\"" + SECRETARIAT + "\"}"), 403, "FORBIDDEN_MAILBOX");
    assertError(post("/api/v1/webhooks", doctor, "{\"url\":\"https://app.test/x\",\"events\":[\"message.received\"],\"mailbox\":\"*\"}"),
        403, "FORBIDDEN_MAILBOX");

    String mine = subscribe(secretariat, "https://agenda.cabinet.test/pont", null, "message.received").get("id").asText();
    JsonNode doctorsList = JSON.readTree(get("/api/v1/webhooks", doctor).body());
    doctorsList.get("webhooks").forEach(w -> assertThat(w.get("id").asText()).isNotEqualTo(mine));
    assertError(get("/api/v1/webhooks/" + mine, doctor), 404, "UNKNOWN_WEBHOOK");
    assertThat(JSON.readTree(get("/api/v1/webhooks", admin).body()).toString()).contains(mine);
    assertThat(JSON.readTree(get("/api/v1/webhooks/" + mine, secretariat).body()).get("mailbox").asText()).isEqualTo(SECRETARIAT);

    assertThat(delete("/api/v1/webhooks/" + mine, doctor).statusCode()).isEqualTo(404);
    assertThat(delete("/api/v1/webhooks/" + mine, secretariat).statusCode()).isEqualTo(204);
    assertThat(delete("/api/v1/webhooks/" + mine, secretariat).statusCode()).isEqualTo(404);
  }

  // --- helpers

  private PontClient client(String mailbox) throws Exception {
    TlsTrust trust = TlsTrust.fromPem(data.resolve("pki/trust-anchors.pem"));
    PontSettings settings = PontSettings.builder()
        .smtp(ServerSettings.starttls("127.0.0.1", ports.submission(), trust))
        .imap(ServerSettings.implicitTls("127.0.0.1", ports.imaps(), trust))
        .credentials(MailCredentials.of(mailbox, credentials.getProperty(mailbox).toCharArray()))
        .indexFolder(work.resolve("index-" + UUID.randomUUID()))
        .build();
    return PontClient.open(settings);
  }

  private static MessageRef find(PontClient client, String messageId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      client.sync(p -> {});
      for (SearchHit h : client.search(SearchQuery.builder().page(0, 1000).build()).hits()) {
        if (h.messageId().filter(messageId::equals).isPresent()) {
          return h.ref();
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(messageId + " never reached the client");
  }

  private JsonNode subscribe(String token, String url, String mailbox, String... events) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("url", url);
    if (mailbox != null) {
      body.put("mailbox", mailbox);
    }
    for (String e : events) {
      body.withArray("events").add(e);
    }
    HttpResponse<String> r = post("/api/v1/webhooks", token, body.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode n = JSON.readTree(r.body());
    assertThat(n.get("secret").asText()).startsWith("whsec_");
    return n;
  }

  private static void assertSigned(Call c, String secret) {
    assertThat(c.signature()).as("signature header").matches("t=\\d+,v1=[0-9a-f]{64}");
    String t = c.signature().substring(2, c.signature().indexOf(','));
    String v1 = c.signature().substring(c.signature().indexOf("v1=") + 3);
    assertThat(v1).isEqualTo(hmac(secret, t + "." + c.body()));
    assertThat(v1).isNotEqualTo(hmac(secret + "x", t + "." + c.body()));
  }

  /** An independent HMAC-SHA256, as a receiver would compute it. */
  private static String hmac(String secret, String text) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
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
    throw new AssertionError("no such webhook call; got " + calls.stream().map(c -> c.path() + " " + c.body()).toList());
  }

  private JsonNode awaitStatus(String id, String recipient, String wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    JsonNode s = null;
    while (System.nanoTime() < deadline) {
      s = status(id);
      if (s.at("/recipients/" + pointer(recipient) + "/status").asText().equals(wanted)) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(recipient + " never reached " + wanted + ": " + s);
  }

  private JsonNode status(String id) throws Exception {
    HttpResponse<String> r = get("/api/v1/messages/" + id, secretariat);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private JsonNode submitted(ObjectNode metadata) throws Exception {
    String boundary = "pont" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.write(metadata.toString().getBytes(StandardCharsets.UTF_8));
    body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"lettre.pdf\"\r\n"
        + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(RestApiTest.PDF);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
        .header("Authorization", "Bearer " + secretariat)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return JSON.readTree(r.body());
  }

  private List<String> awaitMailboxMessages(String mailbox, String token, Predicate<String> which, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<String> found = List.of();
    while (System.nanoTime() < deadline) {
      found = mailboxMessages(mailbox, token, which);
      if (found.size() >= count) {
        return found;
      }
      Thread.sleep(200);
    }
    return found;
  }

  private List<String> mailboxMessages(String mailbox, String token, Predicate<String> which) throws Exception {
    List<String> out = new ArrayList<>();
    JsonNode list = JSON.readTree(get("/api/v1/mailboxes/" + mailbox + "/messages", token).body());
    for (JsonNode row : list.get("messages")) {
      HttpResponse<byte[]> raw = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/mailboxes/" + mailbox + "/messages/"
          + row.get("uid").asLong() + "/raw")).header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      String text = new String(raw.body(), StandardCharsets.UTF_8);
      if (which.test(text)) {
        out.add(text);
      }
    }
    return out;
  }

  private String token(String mailbox, String... scopes) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("mailbox", mailbox);
    for (String s : scopes) {
      body.withArray("scopes").add(s);
    }
    HttpResponse<String> r = post("/api/v1/admin/tokens", admin, body.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("token").asText();
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> delete(String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> r, int status, String reason) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(JSON.readTree(r.body()).get("error").asText()).as(r.body()).isEqualTo(reason);
  }

  private static String pointer(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
