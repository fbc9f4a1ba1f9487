package org.pont.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pont.gateway.Gateway;
import org.pont.gateway.status.FileMessageStatusStore;
import org.pont.gateway.status.MessageStatusStore;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;

/**
 * One in-memory gateway for the class, driven through its REST API over loopback HTTPS exactly as
 * a hospital system would: tokens from the admin API, a PDF submitted for a patient, the signed
 * MSSanté message read back from the recipient's mailbox, and every refusal's reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {

  static final String SECRETARIAT = "secretariat@hopital.test";
  static final String DOCTOR = "dr.martin@hopital.test";
  static final String INS = "279035121518989";
  static final String INS_TEST_OID = "1.2.250.1.213.1.4.10";
  static final byte[] PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
      .getBytes(StandardCharsets.US_ASCII);
  static final ObjectMapper JSON = new ObjectMapper();

  private Path data;
  private Gateway gateway;
  private String base;
  private HttpClient http;
  private String admin;
  private String secretariat;
  private String secretariatReadOnly;
  private String doctor;

  /** Every log event of the gateway while this class runs: none may carry a secret or the patient. */
  private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
      new ch.qos.logback.core.read.ListAppender<>();
  private final List<String> secrets = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.setContext(root.getLoggerContext());
    logs.start();
    root.addAppender(logs);
    data = dir.resolve("data");
    gateway = Gateway.start(Map.of(
        "pont.data", data.toString(),
        "pont.storage", "memory",
        "pont.ports.smtp", "0", "pont.ports.submission", "0", "pont.ports.imap", "0", "pont.ports.imaps", "0",
        "micronaut.server.port", "-1",
        "pont.api.max-message-size", "1000000"), Optional.empty());
    http = org.pont.gateway.PkiHttps.client(data);
    base = "https://127.0.0.1:" + gateway.httpPort();
    assertThat(gateway.apiUri().toString()).isEqualTo(base);
    admin = Files.readString(data.resolve("admin-token.txt")).strip();
    secretariat = token(SECRETARIAT, "send", "read");
    secretariatReadOnly = token(SECRETARIAT, "read");
    doctor = token(DOCTOR, "read");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    secrets.add(admin.substring(admin.lastIndexOf('_') + 1));
    assertThat(logs.list).as("log events captured").isNotEmpty();
    for (ch.qos.logback.classic.spi.ILoggingEvent e : logs.list) {
      String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage());
      for (String secret : secrets) {
        assertThat(line).as("a log line carries a token secret").doesNotContain(secret);
      }
      assertThat(line).as("a log line carries the patient").doesNotContain(INS).doesNotContainIgnoringCase("pat-trois");
    }
  }

  @Test
  void aSubmittedPdfLandsSignedWithAnXdmInTheRecipientsMailbox() throws Exception {
    HttpResponse<String> r = submit(secretariat, metadata(SECRETARIAT, DOCTOR), PDF, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode accepted = JSON.readTree(r.body());
    assertThat(accepted.get("status").asText()).isEqualTo("accepted");
    assertThat(accepted.get("id").asText()).isNotBlank();
    String messageId = accepted.get("messageId").asText();
    assertThat(messageId).startsWith("<").endsWith("@hopital.test>");

    long uid = awaitMessage(DOCTOR, doctor, messageId);
    // The pipeline's delivery moved the API status on (the Audit mailet updates the status store).
    String id = accepted.get("id").asText();
    String status = "";
    for (int i = 0; i < 100 && !status.equals("delivered"); i++) {
      status = JSON.readTree(get("/api/v1/messages/" + id, secretariat).body()).get("status").asText();
      if (!status.equals("delivered")) {
        Thread.sleep(100);
      }
    }
    assertThat(status).isEqualTo("delivered");
    JsonNode m = JSON.readTree(get("/api/v1/mailboxes/" + DOCTOR + "/messages/" + uid, doctor).body());
    assertThat(m.at("/signature/valid").asBoolean()).as(m.toString()).isTrue();
    assertThat(m.at("/signature/signer").asText()).isNotBlank();
    assertThat(m.at("/coordinationMessage/patient/ins").asText()).isEqualTo(INS);
    assertThat(m.at("/coordinationMessage/xdm").asBoolean()).isTrue();
    assertThat(m.at("/coordinationMessage/documents/0/type").asText()).isEqualTo("11490-0");
    assertThat(m.at("/headers/X-MSS-CODECDA/0").asText()).isEqualTo("11490-0");
    List<String> names = new ArrayList<>();
    m.get("attachments").forEach(a -> names.add(a.get("fileName").asText()));
    assertThat(names).contains("IHE_XDM.ZIP");

    HttpResponse<byte[]> zip = getBytes("/api/v1/mailboxes/" + DOCTOR + "/messages/" + uid + "/attachments/"
        + names.indexOf("IHE_XDM.ZIP"), doctor);
    assertThat(zip.statusCode()).isEqualTo(200);
    assertThat(new String(zip.body(), 0, 2, StandardCharsets.US_ASCII)).isEqualTo("PK");

    // Local delivery goes through the policy pipeline, which verified the gateway's signature on
    // arrival and delivered the opened message with its verdict (ARCHITECTURE decision 3).
    assertThat(m.at("/signature/verifiedBy").asText()).isEqualTo("gateway");
    assertThat(m.at("/headers/X-Pont-Signature/0").asText()).startsWith("VALID; signer=" + SECRETARIAT).contains("binding=DOMAIN");
  }

  @Test
  void theStatusOfASubmissionListsEachRecipientForItsSenderOnly() throws Exception {
    HttpResponse<String> r = submit(secretariat, metadata(SECRETARIAT, DOCTOR, SECRETARIAT), PDF, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    String id = JSON.readTree(r.body()).get("id").asText();

    JsonNode s = JSON.readTree(get("/api/v1/messages/" + id, secretariat).body());
    assertThat(s.get("id").asText()).isEqualTo(id);
    // The pipeline may already have delivered it: local delivery moves each recipient on.
    assertThat(s.get("status").asText()).isIn("accepted", "delivered");
    assertThat(s.at("/recipients/" + jsonPointer(DOCTOR) + "/status").asText()).isIn("accepted", "delivered");
    assertThat(s.at("/recipients/" + jsonPointer(SECRETARIAT) + "/status").asText()).isIn("accepted", "delivered");

    assertError(get("/api/v1/messages/" + id, doctor), 404, "UNKNOWN_MESSAGE");
    assertThat(get("/api/v1/messages/" + id, admin).statusCode()).isEqualTo(200);
  }

  @Test
  void statusUpdatesFromTheStoreShowThroughTheApi() throws Exception {
    String id = JSON.readTree(submit(secretariat, metadata(SECRETARIAT, DOCTOR), PDF, null).body()).get("id").asText();
    // What a mailet gets injected inside James: the same store as the API's.
    MessageStatusStore store = gateway.james().james().mailboxAccess().statusStore();
    assertThat(store.find(id)).isPresent();
    assertThat(store.update(id, DOCTOR, MessageStatusStore.State.FAILED, Optional.of("quarantined: INS mismatch"))).isTrue();
    JsonNode s = JSON.readTree(get("/api/v1/messages/" + id, secretariat).body());
    assertThat(s.get("status").asText()).isEqualTo("failed");
    assertThat(s.at("/recipients/" + jsonPointer(DOCTOR) + "/reason").asText()).isEqualTo("quarantined: INS mismatch");
    String messageId = s.get("messageId").asText();
    assertThat(store.findByMessageId(messageId).map(MessageStatusStore.MessageStatus::id)).contains(id);
    assertThat(FileMessageStatusStore.in(data).find(id).orElseThrow().recipients().get(DOCTOR).state())
        .isEqualTo(MessageStatusStore.State.FAILED);
  }

  @Test
  void theSameIdempotencyKeyTwiceGivesTheSameMessage() throws Exception {
    String key = UUID.randomUUID().toString();
    ObjectNode meta = metadata(SECRETARIAT, DOCTOR).put("idempotencyKey", key);
    HttpResponse<String> first = submit(secretariat, meta, PDF, null);
    HttpResponse<String> second = submit(secretariat, meta, PDF, null);
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(second.body()).get("id")).isEqualTo(JSON.readTree(first.body()).get("id"));
    assertThat(JSON.readTree(second.body()).get("messageId")).isEqualTo(JSON.readTree(first.body()).get("messageId"));
  }

  @Test
  void aSubmissionWrittenAheadButNeverMarkedQueuedIsHandedOverAgainAsTheSameMessage() throws Exception {
    String key = UUID.randomUUID().toString();
    ObjectNode meta = metadata(SECRETARIAT, DOCTOR).put("idempotencyKey", key);
    HttpResponse<String> first = submit(secretariat, meta, PDF, null);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    String id = JSON.readTree(first.body()).get("id").asText();
    String messageId = JSON.readTree(first.body()).get("messageId").asText();
    awaitMessage(DOCTOR, doctor, messageId);
    // What a gateway killed between the write-ahead and James's hand-over leaves behind.
    Path entry;
    try (var files = Files.list(data.resolve("api/idempotency"))) {
      entry = files.filter(f -> readString(f).startsWith(id + " ")).findFirst().orElseThrow();
    }
    assertThat(readString(entry).strip()).endsWith(" " + messageId + " queued");
    Files.writeString(entry, readString(entry).replace(" queued", " pending"));

    HttpResponse<String> retry = submit(secretariat, meta, PDF, null);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
    assertThat(JSON.readTree(retry.body()).get("id").asText()).isEqualTo(id);
    assertThat(JSON.readTree(retry.body()).get("messageId").asText()).isEqualTo(messageId);
    assertThat(readString(entry)).endsWith(" queued\n");
    // Handed over again: a second copy, under the same Message-ID, so the recipient can tell it is one message.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int copies = 0;
    while (copies < 2 && System.nanoTime() < deadline) {
      copies = 0;
      for (JsonNode row : JSON.readTree(get("/api/v1/mailboxes/" + DOCTOR + "/messages", doctor).body()).get("messages")) {
        String raw = new String(getBytes("/api/v1/mailboxes/" + DOCTOR + "/messages/" + row.get("uid").asLong() + "/raw", doctor).body(),
            StandardCharsets.UTF_8);
        if (raw.contains(messageId)) {
          copies++;
        }
      }
      Thread.sleep(200);
    }
    assertThat(copies).isEqualTo(2);
    // Once queued, the key replays without another copy.
    HttpResponse<String> third = submit(secretariat, meta, PDF, null);
    assertThat(JSON.readTree(third.body()).get("id").asText()).isEqualTo(id);
    assertThat(JSON.readTree(get("/api/v1/messages/" + id, secretariat).body()).get("messageId").asText()).isEqualTo(messageId);
  }

  private static String readString(Path f) {
    try {
      return Files.readString(f);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void racingSubmissionsWithOneIdempotencyKeyMakeOneMessage() throws Exception {
    ObjectNode meta = metadata(SECRETARIAT, DOCTOR).put("idempotencyKey", UUID.randomUUID().toString());
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(pool.submit(() -> submit(secretariat, meta, PDF, null)));
      }
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (var a : answers) {
        HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        ids.add(JSON.readTree(r.body()).get("id").asText());
      }
      assertThat(ids).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSameIdempotencyKeyWithAnotherBodyIsAConflict() throws Exception {
    String key = UUID.randomUUID().toString();
    assertThat(submit(secretariat, metadata(SECRETARIAT, DOCTOR).put("idempotencyKey", key), PDF, null).statusCode())
        .isEqualTo(202);
    assertError(submit(secretariat, metadata(SECRETARIAT, DOCTOR).put("idempotencyKey", key).put("body", "changed"), PDF, null),
        409, "IDEMPOTENCY_CONFLICT");
  }

  @Test
  void anInsWithAWrongKeyIsRefused() throws Exception {
    ObjectNode meta = metadata(SECRETARIAT, DOCTOR);
    ((ObjectNode) meta.get("patient")).put("ins", "279035121518900");
    assertError(submit(secretariat, meta, PDF, null), 400, "INVALID_INS");
  }

  @Test
  void anInsWithAnUnknownOidIsRefused() throws Exception {
    ObjectNode meta = metadata(SECRETARIAT, DOCTOR);
    ((ObjectNode) meta.get("patient")).put("oid", "1.2.3");
    assertError(submit(secretariat, meta, PDF, null), 400, "INVALID_INS");
  }

  @Test
  void anUnknownDocumentTypeIsRefused() throws Exception {
    assertError(submit(secretariat, metadata(SECRETARIAT, DOCTOR).put("documentType", "99999-9"), PDF, null),
        400, "UNKNOWN_DOCUMENT_TYPE");
  }

  @Test
  void aMalformedRecipientIsRefused() throws Exception {
    assertError(submit(secretariat, metadata(SECRETARIAT, "not an address"), PDF, null), 400, "INVALID_RECIPIENT");
  }

  @Test
  void aSubmissionWithoutDocumentIsRefused() throws Exception {
    assertError(submit(secretariat, metadata(SECRETARIAT, DOCTOR), null, null), 400, "MISSING_DOCUMENT");
  }

  @Test
  void aSubmissionOverTheSizeLimitIsRefused() throws Exception {
    byte[] big = new byte[1_100_000];
    System.arraycopy(PDF, 0, big, 0, PDF.length);
    assertError(submit(secretariat, metadata(SECRETARIAT, DOCTOR), big, null), 413, "OVERSIZE");
  }

  @Test
  void aCdaThatIsNotACdaIsRefused() throws Exception {
    assertError(submit(secretariat, metadata(SECRETARIAT, DOCTOR), null,
        "<html><body>not a CDA</body></html>".getBytes(StandardCharsets.UTF_8)), 422, "INVALID_CDA");
  }

  @Test
  void aPdfThatIsNotAPdfIsRefused() throws Exception {
    assertError(submit(secretariat, metadata(SECRETARIAT, DOCTOR), "hello".getBytes(StandardCharsets.UTF_8), null),
        422, "INVALID_PDF");
  }

  @Test
  void aTokenCannotSendForAnotherMailbox() throws Exception {
    String doctorSender = token(DOCTOR, "send");
    assertError(submit(doctorSender, metadata(SECRETARIAT, DOCTOR), PDF, null), 403, "FORBIDDEN_MAILBOX");
  }

  @Test
  void aReadOnlyTokenCannotSend() throws Exception {
    assertError(submit(secretariatReadOnly, metadata(SECRETARIAT, DOCTOR), PDF, null), 403, "FORBIDDEN_SCOPE");
  }

  @Test
  void aTokenCannotReadAnotherMailbox() throws Exception {
    assertError(get("/api/v1/mailboxes/" + DOCTOR + "/messages", secretariat), 403, "FORBIDDEN_MAILBOX");
    assertThat(get("/api/v1/mailboxes/" + SECRETARIAT + "/messages", secretariat).statusCode()).isEqualTo(200);
  }

  @Test
  void requestsWithoutAValidTokenAreUnauthenticated() throws Exception {
    assertError(get("/api/v1/mailboxes/" + DOCTOR + "/messages", null), 401, "UNAUTHENTICATED");
    assertError(get("/api/v1/mailboxes/" + DOCTOR + "/messages", doctor + "x"), 401, "UNAUTHENTICATED");
    assertError(get("/api/v1/mailboxes/" + DOCTOR + "/messages", "pont_nosuchid_secret"), 401, "UNAUTHENTICATED");
  }

  @Test
  void administrationNeedsTheAdminScope() throws Exception {
    assertError(get("/api/v1/admin/domains", secretariat), 403, "FORBIDDEN_SCOPE");
    assertError(post("/api/v1/admin/tokens", secretariat, "{\"mailbox\":\"" + SECRETARIAT + "\",\"scopes\":[\"send\"]}"),
        403, "FORBIDDEN_SCOPE");
  }

  @Test
  void anAdministratorAddsADomainAMailboxAndAWhitelistedDomain() throws Exception {
    assertThat(post("/api/v1/admin/domains", admin, "{\"domain\":\"clinique.test\"}").statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(get("/api/v1/admin/domains", admin).body()).get("domains").toString())
        .contains("clinique.test").contains("hopital.test");

    HttpResponse<String> made = post("/api/v1/admin/mailboxes", admin, "{\"address\":\"dpi@clinique.test\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    assertThat(JSON.readTree(made.body()).get("password").asText()).hasSizeGreaterThanOrEqualTo(20);
    assertThat(JSON.readTree(get("/api/v1/admin/mailboxes", admin).body()).get("mailboxes").toString()).contains("dpi@clinique.test");
    assertError(post("/api/v1/admin/mailboxes", admin, "{\"address\":\"dpi@clinique.test\"}"), 409, "MAILBOX_EXISTS");
    assertError(post("/api/v1/admin/mailboxes", admin, "{\"address\":\"x@nowhere.test\"}"), 400, "UNKNOWN_DOMAIN");

    // The whitelist is the relay's ANS file: a domain with its operator's certificate DN.
    String dn = "CN=mx.cabinet.test,O=Cabinet Test,C=FR";
    assertError(post("/api/v1/admin/whitelist", admin, "{\"domain\":\"cabinet.test\"}"), 400, "MISSING_FIELD");
    assertError(post("/api/v1/admin/whitelist", admin, "{\"domain\":\"cabinet.test\",\"operatorDn\":\"not a dn\"}"), 400, "INVALID_DN");
    HttpResponse<String> added = post("/api/v1/admin/whitelist", admin,
        "{\"domain\":\"Cabinet.test\",\"operatorDn\":\"" + dn + "\",\"description\":\"clinic\"}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(post("/api/v1/admin/whitelist", admin, "{\"domain\":\"cabinet.test\",\"operatorDn\":\"cn=mx.cabinet.test, o=Cabinet Test, c=FR\"}")
        .statusCode()).as("the same DN written differently is already listed").isEqualTo(200);
    JsonNode listed = JSON.readTree(get("/api/v1/admin/whitelist", admin).body());
    assertThat(listed.get("domains").toString()).contains("cabinet.test");
    assertThat(listed.get("entries").toString()).contains("\"domain\":\"cabinet.test\"", "\"operatorDn\":\"" + dn + "\"", "clinic");
    org.pont.gateway.directory.Whitelist file = new org.pont.gateway.directory.WhitelistLoader()
        .load(data.resolve("whitelist.xml"), java.util.Optional.empty());
    assertThat(file.isOperatorOf("cabinet.test", new javax.security.auth.x500.X500Principal(dn))).isTrue();
    assertThat(data.resolve("trusted-domains.txt")).doesNotExist();
    assertError(delete("/api/v1/admin/whitelist/cabinet.test?operatorDn="
        + java.net.URLEncoder.encode("CN=other,C=FR", StandardCharsets.UTF_8), admin), 404, "NOT_WHITELISTED");
    assertThat(delete("/api/v1/admin/whitelist/cabinet.test?operatorDn=" + java.net.URLEncoder.encode(dn, StandardCharsets.UTF_8), admin)
        .statusCode()).isEqualTo(204);
    assertThat(JSON.readTree(get("/api/v1/admin/whitelist", admin).body()).get("domains").toString()).doesNotContain("cabinet.test")
        .contains("hopital.test");
    assertError(delete("/api/v1/admin/whitelist/cabinet.test", admin), 404, "NOT_WHITELISTED");
  }

  @Test
  void tokensAreStoredHashedInOwnerOnlyFiles() throws Exception {
    Path tokens = data.resolve("api/tokens.tsv");
    String stored = Files.readString(tokens);
    String secret = secretariat.substring(secretariat.lastIndexOf('_') + 1);
    assertThat(stored).doesNotContain(secret).contains(SECRETARIAT);
    assertThat(Files.getPosixFilePermissions(tokens)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(data.resolve("admin-token.txt"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void anAdministratorReadingAMailboxSeesThePatientMasked() throws Exception {
    HttpResponse<String> r = submit(secretariat, metadata(SECRETARIAT, DOCTOR), PDF, null);
    long uid = awaitMessage(DOCTOR, doctor, JSON.readTree(r.body()).get("messageId").asText());
    JsonNode m = JSON.readTree(get("/api/v1/mailboxes/" + DOCTOR + "/messages/" + uid, admin).body());
    assertThat(m.at("/coordinationMessage/patient/masked").asBoolean()).isTrue();
    assertThat(m.at("/coordinationMessage/patient").toString()).doesNotContain(INS).doesNotContain("PAT-TROIS");
    assertThat(m.at("/coordinationMessage/subject").asText()).doesNotContainIgnoringCase("pat-trois");
    String list = get("/api/v1/mailboxes/" + DOCTOR + "/messages", admin).body();
    assertThat(list).contains("\"uid\":" + uid).doesNotContainIgnoringCase("pat-trois");
  }

  @Test
  void aLevel3CdaWithItsPdfIsSentAsIsWithTheCdaCodeHeader() throws Exception {
    byte[] cda = Files.readAllBytes(Path.of(System.getProperty("pont.testdata"), "cda", "LDL-SES_2022.01.xml"));
    HttpResponse<String> r = submit(secretariat, metadata(SECRETARIAT, DOCTOR), PDF, cda);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    long uid = awaitMessage(DOCTOR, doctor, JSON.readTree(r.body()).get("messageId").asText());
    JsonNode m = JSON.readTree(get("/api/v1/mailboxes/" + DOCTOR + "/messages/" + uid, doctor).body());
    assertThat(m.at("/signature/valid").asBoolean()).isTrue();
    assertThat(m.at("/headers/X-MSS-CODECDA/0").asText()).isEqualTo("11490-0");
    List<String> names = new ArrayList<>();
    m.get("attachments").forEach(a -> names.add(a.get("fileName").asText()));
    assertThat(names).contains("IHE_XDM.ZIP", "lettre.pdf");
  }

  @Test
  void aCdaAboutAnotherPatientIsRefused() throws Exception {
    byte[] cda = Files.readAllBytes(Path.of(System.getProperty("pont.testdata"), "cda", "LDL-SES_2022.01.xml"));
    ObjectNode meta = metadata(SECRETARIAT, DOCTOR);
    String other = "1840375114007";
    String key = String.format("%02d", 97 - new java.math.BigInteger(other).mod(java.math.BigInteger.valueOf(97)).intValue());
    ((ObjectNode) meta.get("patient")).put("ins", other + key);
    assertError(submit(secretariat, meta, null, cda), 422, "PATIENT_MISMATCH");
  }

  @Test
  void metadataMayAlsoComeAsAnUploadedJsonFile() throws Exception {
    String boundary = "pont" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    part(body, boundary, "Content-Disposition: form-data; name=\"metadata\"; filename=\"meta.json\"\r\nContent-Type: application/json",
        metadata(SECRETARIAT, DOCTOR).toString().getBytes(StandardCharsets.UTF_8));
    part(body, boundary, "Content-Disposition: form-data; name=\"pdf\"; filename=\"lettre.pdf\"\r\nContent-Type: application/pdf", PDF);
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Authorization", "Bearer " + secretariat)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }

  @Test
  void aMisspeltPartIsRefusedRatherThanIgnored() throws Exception {
    String boundary = "pont" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    part(body, boundary, "Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json",
        metadata(SECRETARIAT, DOCTOR).toString().getBytes(StandardCharsets.UTF_8));
    part(body, boundary, "Content-Disposition: form-data; name=\"pfd\"; filename=\"lettre.pdf\"\r\nContent-Type: application/pdf", PDF);
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Authorization", "Bearer " + secretariat)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertError(r, 400, "UNKNOWN_PART");
  }

  @Test
  void micronautsOwnRefusalsUseTheSameErrorShape() throws Exception {
    assertError(get("/api/v1/no-such-route", admin), 404, "NOT_FOUND");
    assertError(post("/api/v1/messages", secretariat, "{}"), 415, "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void theOpenApiDocumentIsServedWithoutAToken() throws Exception {
    HttpResponse<String> r = get("/api/v1/openapi.yaml", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("openapi: 3.0.3").contains("/api/v1/messages:");
  }

  @Test
  void prometheusMetricsCountAcceptedMessagesAndRefusals() throws Exception {
    submit(secretariat, metadata(SECRETARIAT, DOCTOR), PDF, null);
    assertError(submit(secretariat, metadata(SECRETARIAT, DOCTOR).put("documentType", "x"), PDF, null), 400, "UNKNOWN_DOCUMENT_TYPE");
    String monitoring = org.pont.gateway.security.TokenStore.in(data)
        .create("*", java.util.EnumSet.of(org.pont.gateway.security.Scope.METRICS)).bearer();
    HttpResponse<String> r = get("/prometheus", monitoring);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("pont_api_messages_accepted_total").contains("pont_api_refusals_total{reason=\"UNKNOWN_DOCUMENT_TYPE\"}");
    assertThat(get("/prometheus", admin).statusCode()).isEqualTo(200);
  }

  @Test
  void prometheusMetricsNeedTheMetricsOrAdminScope() throws Exception {
    assertError(get("/prometheus", null), 401, "UNAUTHENTICATED");
    assertError(get("/prometheus", "pont_nosuchid_secret"), 401, "UNAUTHENTICATED");
    assertError(get("/prometheus", secretariat), 403, "FORBIDDEN_SCOPE");
    for (String variant : List.of("/prometheus/", "/prometheus?format=text", "/prometheus/../prometheus")) {
      assertThat(get(variant, null).statusCode()).as(variant).isIn(401, 404);
    }
    // A metrics token reaches /prometheus and nothing else.
    String monitoring = org.pont.gateway.security.TokenStore.in(data)
        .create("*", java.util.EnumSet.of(org.pont.gateway.security.Scope.METRICS)).bearer();
    assertError(get("/api/v1/mailboxes/" + DOCTOR + "/messages", monitoring), 403, "FORBIDDEN_SCOPE");
    assertError(get("/api/v1/admin/domains", monitoring), 403, "FORBIDDEN_SCOPE");
  }

  @Test
  void anExpiredTokenIsRefusedWithItsOwnReason() throws Exception {
    org.pont.gateway.security.TokenStore.Created shortLived = org.pont.gateway.security.TokenStore.in(data)
        .create(DOCTOR, java.util.EnumSet.of(org.pont.gateway.security.Scope.READ), java.time.Duration.ofMillis(1));
    Thread.sleep(20);
    assertError(get("/api/v1/mailboxes/" + DOCTOR + "/messages", shortLived.bearer()), 401, "TOKEN_EXPIRED");
    // A wrong secret for the same id stays a plain UNAUTHENTICATED: the state is told only to the holder.
    assertError(get("/api/v1/mailboxes/" + DOCTOR + "/messages", shortLived.bearer() + "x"), 401, "UNAUTHENTICATED");
  }

  @Test
  void tokensAreMadeWithALifetimeAndAnAdministratorRevokesThem() throws Exception {
    HttpResponse<String> made = post("/api/v1/admin/tokens", admin,
        "{\"mailbox\":\"" + DOCTOR + "\",\"scopes\":[\"read\"],\"ttlDays\":2}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonNode t = JSON.readTree(made.body());
    java.time.Instant expires = java.time.Instant.parse(t.get("expires").asText());
    assertThat(expires).isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(2)).minusSeconds(60),
        java.time.Instant.now().plus(java.time.Duration.ofDays(2)));
    String bearer = t.get("token").asText();
    assertThat(get("/api/v1/mailboxes/" + DOCTOR + "/messages", bearer).statusCode()).isEqualTo(200);

    HttpResponse<String> revoked = delete("/api/v1/admin/tokens/" + t.get("id").asText(), admin);
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertError(get("/api/v1/mailboxes/" + DOCTOR + "/messages", bearer), 401, "TOKEN_REVOKED");
    JsonNode list = JSON.readTree(get("/api/v1/admin/tokens", admin).body());
    JsonNode listed = null;
    for (JsonNode x : list.get("tokens")) {
      if (x.get("id").asText().equals(t.get("id").asText())) {
        listed = x;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("state").asText()).isEqualTo("revoked");
    assertThat(listed.get("expires").asText()).isEqualTo(t.get("expires").asText());
    assertThat(list.toString()).doesNotContain(bearer.substring(bearer.lastIndexOf('_') + 1));
    assertError(delete("/api/v1/admin/tokens/nosuchtoken", admin), 404, "UNKNOWN_TOKEN");
    assertError(delete("/api/v1/admin/tokens/" + t.get("id").asText(), secretariat), 403, "FORBIDDEN_SCOPE");
    assertError(post("/api/v1/admin/tokens", admin, "{\"mailbox\":\"" + DOCTOR + "\",\"scopes\":[\"read\"],\"ttlDays\":0}"),
        400, "INVALID_TTL");
  }

  @Test
  void healthIsOpenAndSaysOnlyUpOrDown() throws Exception {
    HttpResponse<String> r = get("/health", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("UP");
    assertThat(r.body()).doesNotContain(data.toString()).doesNotContain("details").doesNotContain("diskSpace");
  }

  // --- helpers

  private String token(String mailbox, String... scopes) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("mailbox", mailbox);
    for (String s : scopes) {
      body.withArray("scopes").add(s);
    }
    HttpResponse<String> r = post("/api/v1/admin/tokens", admin, body.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String bearer = JSON.readTree(r.body()).get("token").asText();
    secrets.add(bearer.substring(bearer.lastIndexOf('_') + 1));
    return bearer;
  }

  static ObjectNode metadata(String sender, String... recipients) {
    ObjectNode m = JSON.createObjectNode();
    m.put("sender", sender);
    for (String r : recipients) {
      m.withArray("recipients").add(r);
    }
    ObjectNode p = m.putObject("patient");
    p.put("ins", INS).put("oid", INS_TEST_OID).put("familyName", "Pat-Trois").put("birthDate", "1979-03-28").put("sex", "F");
    p.putArray("givenNames").add("Dominique");
    m.put("documentType", "11490-0");
    m.put("title", "Lettre de liaison");
    m.put("subject", "Sortie de Mme Pat-Trois");
    m.put("body", "Bonjour, ci-joint la lettre de liaison.");
    return m;
  }

  private long awaitMessage(String mailbox, String token, String messageId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonNode list = JSON.readTree(get("/api/v1/mailboxes/" + mailbox + "/messages", token).body());
      for (JsonNode row : list.get("messages")) {
        long uid = row.get("uid").asLong();
        String raw = new String(getBytes("/api/v1/mailboxes/" + mailbox + "/messages/" + uid + "/raw", token).body(),
            StandardCharsets.UTF_8);
        if (raw.contains(messageId)) {
          return uid;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(messageId + " never reached " + mailbox);
  }

  private HttpResponse<String> submit(String token, ObjectNode metadata, byte[] pdf, byte[] cda) throws Exception {
    String boundary = "pont" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    part(body, boundary, "Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json",
        metadata.toString().getBytes(StandardCharsets.UTF_8));
    if (pdf != null) {
      part(body, boundary, "Content-Disposition: form-data; name=\"pdf\"; filename=\"lettre.pdf\"\r\nContent-Type: application/pdf", pdf);
    }
    if (cda != null) {
      part(body, boundary, "Content-Disposition: form-data; name=\"cda\"; filename=\"lettre.xml\"\r\nContent-Type: text/xml", cda);
    }
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void part(ByteArrayOutputStream out, String boundary, String headers, byte[] content) throws Exception {
    out.write(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(content);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> getBytes(String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<String> post(String path, String token, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> delete(String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> r, int status, String reason) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode n = JSON.readTree(r.body());
    assertThat(n.get("error").asText()).as(r.body()).isEqualTo(reason);
    assertThat(n.get("message").asText()).isNotBlank();
  }

  private static String jsonPointer(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
