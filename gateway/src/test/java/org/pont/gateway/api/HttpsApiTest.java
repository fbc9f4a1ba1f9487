package org.pont.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.PkiFolder;
import org.pont.gateway.Gateway;

/** By default the API answers over TLS only, with the domain's test-PKI server certificate. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsApiTest {

  private Path data;
  private Gateway gateway;

  @BeforeAll
  void start(@TempDir Path dir) {
    data = dir.resolve("data");
    gateway = Gateway.start(Map.of(
        "pont.data", data.toString(), "pont.storage", "memory",
        "pont.ports.smtp", "0", "pont.ports.submission", "0", "pont.ports.imap", "0", "pont.ports.imaps", "0",
        "micronaut.server.ssl.port", "-1"), Optional.empty());
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void theApiAnswersOverTlsWithACertificateFromTheGatewayPki() throws Exception {
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
    String admin = Files.readString(data.resolve("admin-token.txt")).strip();
    // Host name checked too: the test PKI's TLS server certificate names 127.0.0.1.
    HttpClient client = HttpClient.newBuilder().sslContext(ctx).build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + gateway.httpPort() + "/api/v1/admin/domains"))
        .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("hopital.test");
    assertThat(r.sslSession()).isPresent();
    assertThat(r.sslSession().get().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
  }
}
