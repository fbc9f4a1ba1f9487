package org.pont.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.security.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook callbacks. Every poll interval it (1) turns each event of the
 * {@link WebhookOutbox} into one delivery file per subscription that covers it, under
 * {@code <data>/webhooks/deliveries/}, then deletes the event, and (2) POSTs each due delivery
 * as JSON with the JDK {@link HttpClient}: signed ({@value #SIGNATURE_HEADER}:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}), a 2xx answer ends it,
 * anything else (or no answer) schedules a retry after {@code retryBase × 2^(attempt-1)} (at most
 * an hour), and after {@code maxAttempts} the delivery moves to {@code <data>/webhooks/failed/}
 * with its last error. Everything pending is on disk, so a restart loses nothing; delivery is at
 * least once (a crash between a callback and the file's removal repeats it): receivers dedupe on
 * the event {@code id}. Callbacks are sent one at a time, in event order.
 */
@Context
public final class WebhookDispatcher {

  public static final String SIGNATURE_HEADER = "X-Pont-Signature";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_BACKOFF = Duration.ofHours(1);

  private final Path events;
  private final Path deliveries;
  private final Path failed;
  private final WebhookStore subscriptions;
  private final TrackingSettings settings;
  private final Clock clock;
  private final HttpClient http;
  private ScheduledExecutorService scheduler;

  public WebhookDispatcher(GatewaySettings gateway, WebhookStore subscriptions, TrackingSettings settings) {
    this(gateway.dataDir(), subscriptions, settings, Clock.systemUTC());
  }

  WebhookDispatcher(Path dataDir, WebhookStore subscriptions, TrackingSettings settings, Clock clock) {
    Path root = dataDir.toAbsolutePath().normalize().resolve("webhooks");
    this.events = WebhookOutbox.eventsDir(dataDir);
    this.deliveries = root.resolve("deliveries");
    this.failed = root.resolve("failed");
    this.subscriptions = subscriptions;
    this.settings = settings;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.callTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @PostConstruct
  void start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pont-webhooks");
      t.setDaemon(true);
      return t;
    });
    long every = settings.pollInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() throws InterruptedException {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** One round: fan events out, send what is due. Never throws (the scheduler would stop). */
  void tick() {
    try {
      fanOut();
      deliverDue();
    } catch (RuntimeException | IOException e) {
      LOG.warn("webhook round failed, retried next round: {}", e.toString());
    }
  }

  /** How many callbacks wait (for their first try or a retry) and how many failed for good, per subscription. */
  public record Counts(int pending, int failed) {}

  public Counts counts(String subscriptionId) {
    return new Counts(count(deliveries, subscriptionId), count(failed, subscriptionId));
  }

  private void fanOut() throws IOException {
    for (Path e : sorted(events)) {
      JsonNode event;
      try {
        event = JSON.readTree(e.toFile());
      } catch (IOException ex) {
        LOG.warn("unreadable webhook event {} moved aside: {}", e.getFileName(), ex.toString());
        Files.createDirectories(failed);
        Files.move(e, failed.resolve("event-" + e.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        continue;
      }
      String type = event.get("type").asText();
      String mailbox = event.path("mailbox").asText("");
      ObjectNode payload = JSON.createObjectNode();
      payload.put("id", event.get("id").asText());
      payload.put("type", type);
      payload.put("occurredAt", event.get("occurredAt").asText());
      payload.set("data", event.get("data"));
      String base = e.getFileName().toString().replace(".json", "");
      for (WebhookStore.Subscription s : subscriptions.all()) {
        if (!s.covers(type, mailbox)) {
          continue;
        }
        ObjectNode d = JSON.createObjectNode();
        d.put("subscription", s.id());
        d.put("attempts", 0);
        d.put("nextAttemptAt", clock.instant().toString());
        d.set("payload", payload.deepCopy().put("subscription", s.id()));
        // the name is derived from the event and the subscription: redoing a fan-out after a crash rewrites the same file
        TokenStore.writeOwnerOnlyAtomically(deliveries.resolve(base + "_" + s.id() + ".json"), JSON.writeValueAsBytes(d));
      }
      Files.deleteIfExists(e);
    }
  }

  private void deliverDue() throws IOException {
    for (Path f : sorted(deliveries)) {
      ObjectNode d;
      try {
        d = (ObjectNode) JSON.readTree(f.toFile());
      } catch (IOException | ClassCastException ex) {
        LOG.warn("unreadable webhook delivery {} moved aside: {}", f.getFileName(), ex.toString());
        Files.createDirectories(failed);
        Files.move(f, failed.resolve("unreadable-" + f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        continue;
      }
      Instant due = Instant.parse(d.get("nextAttemptAt").asText());
      Instant now = clock.instant();
      if (due.isAfter(now)) {
        continue;
      }
      Optional<WebhookStore.Subscription> sub = subscriptions.find(d.get("subscription").asText());
      if (sub.isEmpty()) {
        Files.deleteIfExists(f); // unsubscribed: nobody to tell
        continue;
      }
      byte[] body = JSON.writeValueAsBytes(d.get("payload"));
      String error = post(sub.get(), d.get("payload"), body);
      if (error == null) {
        Files.deleteIfExists(f);
        continue;
      }
      int attempts = d.get("attempts").asInt() + 1;
      d.put("attempts", attempts);
      d.put("lastError", error);
      d.put("lastAttemptAt", now.toString());
      if (attempts >= settings.maxAttempts()) {
        d.put("failedAt", now.toString());
        TokenStore.writeOwnerOnlyAtomically(failed.resolve(f.getFileName()), JSON.writeValueAsBytes(d));
        Files.deleteIfExists(f);
        LOG.warn("webhook {} gave up on event {} after {} attempts: {}", sub.get().id(), d.at("/payload/id").asText(), attempts, error);
      } else {
        Duration wait = settings.retryBase().multipliedBy(1L << Math.min(attempts - 1, 20));
        d.put("nextAttemptAt", now.plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait).toString());
        TokenStore.writeOwnerOnlyAtomically(f, JSON.writeValueAsBytes(d));
      }
    }
  }

  /** @return null on a 2xx answer, else what went wrong */
  private String post(WebhookStore.Subscription s, JsonNode payload, byte[] body) {
    String t = Long.toString(clock.instant().getEpochSecond());
    HttpRequest request = HttpRequest.newBuilder(s.url())
        .timeout(settings.callTimeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", "Pont-webhooks")
        .header("X-Pont-Event", payload.get("type").asText())
        .header("X-Pont-Delivery", payload.get("id").asText())
        .header("X-Pont-Webhook", s.id())
        .header(SIGNATURE_HEADER, "t=" + t + ",v1=" + sign(s.secret(), t, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    try {
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode();
    } catch (IOException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Hex HMAC-SHA256 of {@code t + "." + body} under the subscription's secret. */
  public static String sign(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> sorted(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      files.forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  private static int count(Path dir, String subscriptionId) {
    try {
      return (int) sorted(dir).stream().filter(p -> p.getFileName().toString().endsWith("_" + subscriptionId + ".json")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
