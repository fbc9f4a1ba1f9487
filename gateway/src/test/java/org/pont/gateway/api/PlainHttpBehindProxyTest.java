package org.pont.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.gateway.Gateway;

/**
 * The one plain-HTTP set-up: pont.api.plain-http=true on loopback, for a TLS-terminating reverse
 * proxy on the same host. Tokens and metrics rules are unchanged.
 */
class PlainHttpBehindProxyTest {

  @Test
  void plainHttpOnLoopbackAnswersWhenAskedFor(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (Gateway gateway = Gateway.start(Map.of(
        "pont.data", data.toString(), "pont.storage", "memory",
        "pont.ports.smtp", "0", "pont.ports.submission", "0", "pont.ports.imap", "0", "pont.ports.imaps", "0",
        "micronaut.server.port", "-1", "pont.api.plain-http", "true"), Optional.empty())) {
      assertThat(gateway.apiUri().getScheme()).isEqualTo("http");
      assertThat(gateway.apiUri().getHost()).isEqualTo("127.0.0.1");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(gateway.apiUri().resolve("/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(gateway.apiUri().resolve("/prometheus")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(401);
      String admin = Files.readString(data.resolve("admin-token.txt")).strip();
      HttpResponse<String> domains = http.send(HttpRequest.newBuilder(URI.create(gateway.apiUri() + "/api/v1/admin/domains"))
          .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(domains.statusCode()).isEqualTo(200);
    }
  }
}
