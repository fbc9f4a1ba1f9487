package org.pont.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.TestPki;
import org.pont.cli.PontCliAccess;
import org.pont.gateway.Gateway;
import org.pont.gateway.PkiHttps;
import org.pont.gateway.audit.AuditEvent;
import org.pont.gateway.audit.AuditQuery;
import org.pont.gateway.audit.FileAuditLog;
import org.pont.gateway.security.Scope;
import org.pont.gateway.security.TokenStore;

/**
 * The directory inside a running gateway (in memory, one for the class): imports by REST and by
 * {@code pont directory import} into the same folder while the gateway runs, searches over HTTPS,
 * certificates served as PEM, and outbound mail encrypted with a certificate the directory holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectoryApiTest {

  static final String SECRETARIAT = "secretariat@hopital.test";
  static final String KINE = "dr.kine@cabinet.test";
  static final String HIDDEN = "anne.discrete@cabinet.test";
  static final ObjectMapper JSON = new ObjectMapper();
  static final char[] PKI_PASSWORD = "directory-test-password".toCharArray();

  private Path data;
  private TestPki pki;
  private Gateway gateway;
  private HttpClient http;
  private String base;
  private String admin;
  private String secretariat;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    data = dir.resolve("data");
    // The gateway's PKI, with a practitioner of another operator whose encryption certificate the directory will carry.
    pki = TestPki.builder().domain("hopital.test").domain("cabinet.test").person(KINE).build();
    pki.writeTo(data.resolve("pki"), PKI_PASSWORD);
    Files.writeString(data.resolve("pki/password.txt"), new String(PKI_PASSWORD) + "\n");
    gateway = Gateway.start(Map.of(
        "pont.data", data.toString(), "pont.storage", "memory",
        "pont.ports.smtp", "0", "pont.ports.submission", "0", "pont.ports.imap", "0", "pont.ports.imaps", "0",
        "micronaut.server.port", "-1"), Optional.empty());
    http = PkiHttps.client(data);
    base = gateway.apiUri().toString();
    admin = Files.readString(data.resolve("admin-token.txt")).strip();
    secretariat = TokenStore.in(data).create(SECRETARIAT, EnumSet.of(Scope.SEND, Scope.READ)).bearer();

    // 1. An import through REST makes the index; a search opens the gateway's reader on it.
    HttpResponse<String> r = post("/api/v1/directory/import", admin, "application/fhir+json", fixture("annuaire-bundle.json"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("imported").asInt()).isEqualTo(4);
    assertThat(search("q=anais", secretariat).get("total").asInt()).isEqualTo(1);
    // 2. Then pont directory import writes the same folder while the gateway runs.
    Path extraction = dir.resolve("cabinet.txt");
    Files.writeString(extraction, cabinetExtraction());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = PontCliAccess.run(new PrintWriter(out, true), new PrintWriter(err, true),
        "directory", "import", extraction.toString(), "--data", data.toString());
    assertThat(status).as(err.toString()).isZero();
    assertThat(out.toString()).contains("imported 3 entries");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void anImportByTheCliWhileTheGatewayRunsIsSeenByTheNextSearch() throws Exception {
    JsonNode found = search("q=" + enc("Gaëlle Kiné"), secretariat);
    assertThat(found.get("total").asInt()).isEqualTo(1);
    assertThat(found.at("/entries/0/displayName").asText()).isEqualTo("Gaëlle KINÉ");
    assertThat(found.at("/entries/0/mailboxes/0/address").asText()).isEqualTo(KINE);
    assertThat(found.at("/entries/0/mailboxes/0/encryptionCertificates").asInt()).isEqualTo(1);
  }

  @Test
  void searchIsAccentInsensitiveTypoTolerantFilteredAndPaged() throws Exception {
    assertThat(names(search("q=gaelle", secretariat))).containsExactly("Gaëlle KINÉ");
    assertThat(names(search("q=kinne", secretariat))).containsExactly("Gaëlle KINÉ");
    assertThat(names(search("profession=" + enc("masseur-kinésithérapeute") + "&city=quimper", secretariat)))
        .containsExactly("Gaëlle KINÉ");
    assertThat(names(search("mailbox=" + enc("@cds-remparts.test"), secretariat)))
        .containsExactlyInAnyOrder("Anaïs Le Goff", "Centre de santé des Remparts");
    assertThat(names(search("mailbox=" + enc("@cds-remparts.test") + "&type=org", secretariat)))
        .containsExactly("Centre de santé des Remparts");
    assertThat(names(search("type=CAB", secretariat))).containsExactly("Cabinet de kinésithérapie de l'Odet");
    JsonNode page2 = search("mailbox=" + enc("@cds-remparts.test") + "&pageSize=1&page=2", secretariat);
    assertThat(page2.get("total").asInt()).isEqualTo(2);
    assertThat(page2.get("page").asInt()).isEqualTo(2);
    assertThat(page2.get("entries")).hasSize(1);
    assertError(get("/api/v1/directory?type=XYZ", secretariat), 400, "INVALID_TYPE");
    assertError(get("/api/v1/directory?page=0", secretariat), 400, "INVALID_PAGE");
  }

  @Test
  void listeRougeEntriesAreNeverReturnedAndTheirCertificatesNotServed() throws Exception {
    assertThat(search("q=discrete", secretariat).get("total").asInt()).isZero();
    assertThat(search("mailbox=" + enc(HIDDEN), secretariat).get("total").asInt()).isZero();
    assertThat(search("q=discret", admin).get("total").asInt()).isZero(); // not even for an administrator
    assertError(get("/api/v1/directory/certificates/" + HIDDEN, secretariat), 404, "UNKNOWN_ADDRESS");
    assertThat(search("", secretariat).toString()).doesNotContain("discret").doesNotContain("Camille");
  }

  @Test
  void theCertificatesOfAPublishedMailboxComeAsPem() throws Exception {
    HttpResponse<String> r = get("/api/v1/directory/certificates/" + KINE, secretariat);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-pem-file");
    assertThat(r.body()).startsWith("-----BEGIN CERTIFICATE-----");
    X509Certificate served = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.US_ASCII)));
    assertThat(served).isEqualTo(pki.person(KINE).encryption().certificate());
    assertError(get("/api/v1/directory/certificates/secretariat@cabinet-odet.test", secretariat), 404, "NO_VALID_CERTIFICATE");
    assertError(get("/api/v1/directory/certificates/nobody@nowhere.test", secretariat), 404, "UNKNOWN_ADDRESS");
  }

  @Test
  void searchNeedsAUserTokenAndImportNeedsAdmin() throws Exception {
    assertError(get("/api/v1/directory?q=anais", null), 401, "UNAUTHENTICATED");
    String monitoring = TokenStore.in(data).create("*", EnumSet.of(Scope.METRICS)).bearer();
    assertError(get("/api/v1/directory?q=anais", monitoring), 403, "FORBIDDEN_SCOPE");
    assertError(post("/api/v1/directory/import", secretariat, "text/plain", "Adresse BAL\nx@y.test\n"), 403, "FORBIDDEN_SCOPE");
    assertError(post("/api/v1/directory/import", admin, "application/json", "{not json"), 400, "INVALID_JSON");
    assertError(post("/api/v1/directory/import", admin, "text/plain", "Nom|Prenom\nA|B\n"), 400, "NOTHING_TO_IMPORT");
  }

  @Test
  void aRestImportWaitsForAnotherProcessesWriterInsteadOfFailing() throws Exception {
    String line = "Type de BAL|Adresse BAL|Identifiant PP|Type d'identifiant PP|Nom d'exercice|Prénom d'exercice|Libellé profession\n"
        + "PER|ines.attente@cabinet.test|10000000999|8|ATTENTE|Inès|Infirmier\n";
    CompletableFuture<HttpResponse<String>> pending;
    // What pont directory import holds while it writes: the index's write lock.
    try (FSDirectory dir = FSDirectory.open(data.resolve("directory"));
        IndexWriter other = new IndexWriter(dir, new IndexWriterConfig())) {
      pending = CompletableFuture.supplyAsync(() -> {
        try {
          return post("/api/v1/directory/import", admin, "text/plain", line);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(700);
      assertThat(pending).as("waits while another writer holds the lock").isNotDone();
      long t0 = System.nanoTime();
      assertThat(search("q=anais", secretariat).get("total").asInt()).as("searches go on meanwhile").isEqualTo(1);
      assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
      assertThat(pending).isNotDone();
    }
    HttpResponse<String> r = pending.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(names(search("q=attente", secretariat))).containsExactly("Inès ATTENTE");
  }

  @Test
  void mailToARecipientWhoseCertificateIsInTheDirectoryLeavesEncrypted() throws Exception {
    HttpResponse<String> r = submit(RestApiTest.metadata(SECRETARIAT, KINE));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    String messageId = JSON.readTree(r.body()).get("messageId").asText();

    // No PEM file in <data>/certificates: only the directory knows the certificate.
    assertThat(Files.exists(data.resolve("certificates").resolve(KINE + ".pem"))).isFalse();
    // QUEUED: in the relay queue as it will leave (no peer answers here, so never RELAYED).
    AuditEvent queued = awaitAudit(KINE, messageId, AuditEvent.Type.QUEUED);
    assertThat(queued.verdict()).contains("signed+encrypted");
  }

  @Test
  void mailToARemoteRecipientTheDirectoryDoesNotKnowIsRefused() throws Exception {
    String unknown = "inconnu@cabinet.test";
    HttpResponse<String> r = submit(RestApiTest.metadata(SECRETARIAT, unknown));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    String id = JSON.readTree(r.body()).get("id").asText();
    JsonNode status = null;
    for (int i = 0; i < 150; i++) {
      status = JSON.readTree(get("/api/v1/messages/" + id, secretariat).body());
      if (status.get("status").asText().equals("failed")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("failed");
    assertThat(status.toString()).contains("ENCRYPTION_REQUIRED");
  }

  // --- helpers

  /** A pipe-delimited extraction: the cabinet, its practitioner with her certificate, a liste-rouge colleague. */
  private String cabinetExtraction() throws Exception {
    String cert = Base64.getEncoder().encodeToString(pki.person(KINE).encryption().certificate().getEncoded());
    return String.join("\n",
        "Type de BAL|Adresse BAL|Type d'identifiant PP|Identifiant PP|Nom d'exercice|Prénom d'exercice|Libellé profession"
            + "|Raison sociale structure|Identification Structure|Code postal (coord. structure)|Libellé commune (coord. structure)"
            + "|Liste rouge|Certificat chiffrement",
        "PER|" + KINE + "|8|10000000777|KINÉ|Gaëlle|Masseur-kinésithérapeute|Cabinet de kinésithérapie de l'Odet||29000|Quimper|N|" + cert,
        "PER|" + HIDDEN + "|8|10000000778|DISCRETE|Anne|Masseur-kinésithérapeute|Cabinet de kinésithérapie de l'Odet||29000|Quimper|O|" + cert,
        "CAB|secretariat@cabinet-odet.test|||||| Cabinet de kinésithérapie de l'Odet|SIRET-12345678900011|29000|Quimper|N|",
        "");
  }

  private AuditEvent awaitAudit(String recipient, String messageId, AuditEvent.Type type) throws Exception {
    FileAuditLog log = new FileAuditLog(data.resolve("audit"));
    for (int i = 0; i < 150; i++) {
      List<AuditEvent> events = log.query(AuditQuery.between(Instant.now().minusSeconds(600), Instant.now().plusSeconds(60))
          .recipient(recipient));
      Optional<AuditEvent> e = events.stream()
          .filter(x -> x.type() == type && x.messageId().map(messageId::equals).orElse(false)).findFirst();
      if (e.isPresent()) {
        return e.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + type + " audit event for " + messageId + " to " + recipient);
  }

  private static String fixture(String name) throws Exception {
    return Files.readString(Path.of(DirectoryApiTest.class.getClassLoader().getResource("directory/" + name).toURI()));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static List<String> names(JsonNode page) {
    List<String> out = new java.util.ArrayList<>();
    page.get("entries").forEach(e -> out.add(e.get("displayName").asText()));
    return out;
  }

  private JsonNode search(String query, String token) throws Exception {
    HttpResponse<String> r = get("/api/v1/directory" + (query.isEmpty() ? "" : "?" + query), token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token, String contentType, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> submit(com.fasterxml.jackson.databind.node.ObjectNode metadata) throws Exception {
    String boundary = "pont" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.write(metadata.toString().getBytes(StandardCharsets.UTF_8));
    body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"lettre.pdf\"\r\n"
        + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(RestApiTest.PDF);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Authorization", "Bearer " + secretariat)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> r, int status, String reason) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(JSON.readTree(r.body()).get("error").asText()).as(r.body()).isEqualTo(reason);
  }
}
