package org.pont.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.gateway.status.MessageStatusStore.State;

/** The dispatcher's files: what is pending survives a restart (a new dispatcher on the same folder). */
class WebhookDispatcherTest {

  @TempDir
  Path data;

  static TrackingSettings settings() {
    return new TrackingSettings(Duration.ofHours(24), State.READ, Duration.ofMinutes(1), true,
        Duration.ofMillis(100), Duration.ofMillis(1), 5, Duration.ofSeconds(5));
  }

  @Test
  void aCallbackPendingWhenTheGatewayStopsIsSentByTheNextOne() throws Exception {
    // the receiver is down (503) while the first gateway runs, up (200) for the second
    java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean(false);
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", x -> {
      byte[] body = x.getRequestBody().readAllBytes();
      if (up.get()) {
        bodies.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
      }
      x.sendResponseHeaders(up.get() ? 200 : 503, -1);
      x.close();
    });
    receiver.start();
    try {
      WebhookStore store = WebhookStore.in(data);
      WebhookStore.Subscription s = store.create(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"),
          Set.of(WebhookOutbox.RECEIVED), "dr.martin@hopital.test", "t1");
      WebhookOutbox.in(data).received("dr.martin@hopital.test", Optional.of("<m1@hopital.test>"), Optional.empty(), Optional.empty());

      WebhookDispatcher first = new WebhookDispatcher(data, store, settings(), java.time.Clock.systemUTC());
      first.tick();
      assertThat(first.counts(s.id())).isEqualTo(new WebhookDispatcher.Counts(1, 0));
      assertThat(Files.readString(onlyFile(data.resolve("webhooks/deliveries")))).contains("\"attempts\":1").contains("HTTP 503");

      up.set(true);
      WebhookDispatcher second = new WebhookDispatcher(data, WebhookStore.in(data), settings(), java.time.Clock.systemUTC());
      Thread.sleep(20); // past the 1 ms back-off
      second.tick();
      assertThat(bodies).singleElement().satisfies(b -> assertThat(b).contains("<m1@hopital.test>").contains("message.received"));
      assertThat(second.counts(s.id())).isEqualTo(new WebhookDispatcher.Counts(0, 0));
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void withoutASubscriptionNoEventIsWritten() {
    WebhookOutbox.in(data).received("dr.martin@hopital.test", Optional.of("<m2@hopital.test>"), Optional.empty(), Optional.empty());
    assertThat(data.resolve("webhooks/events")).doesNotExist();
  }

  @Test
  void onlyHttpAndHttpsUrlsAreAccepted() {
    assertThat(WebhookStore.checkUrl("https://agenda.cabinet.test/pont").getHost()).isEqualTo("agenda.cabinet.test");
    for (String bad : List.of("file:///etc/passwd", "ftp://x.test/", "jar:file:/x!/", "http:///nohost", "https://u:p@x.test/", "nonsense")) {
      assertThatThrownBy(() -> WebhookStore.checkUrl(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void durationsAreIsoOrShort() {
    assertThat(TrackingSettings.duration("PT24H", "x")).isEqualTo(Duration.ofHours(24));
    assertThat(TrackingSettings.duration("500ms", "x")).isEqualTo(Duration.ofMillis(500));
    assertThat(TrackingSettings.duration("2d", "x")).isEqualTo(Duration.ofDays(2));
    assertThatThrownBy(() -> TrackingSettings.duration("soon", "pont.tracking.timeout")).hasMessageContaining("pont.tracking.timeout");
    assertThatThrownBy(() -> new TrackingSettings(Duration.ofHours(1), State.RELAYED, Duration.ofMinutes(1), true,
        Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ofSeconds(1))).hasMessageContaining("pont.tracking.await");
  }

  private static Path onlyFile(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".json")).reduce((a, b) -> {
        throw new AssertionError("more than one file in " + dir);
      }).orElseThrow();
    }
  }
}
