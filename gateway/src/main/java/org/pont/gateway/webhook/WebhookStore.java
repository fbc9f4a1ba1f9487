package org.pont.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.pont.gateway.security.ApiToken;
import org.pont.gateway.security.TokenStore;

/**
 * Webhook subscriptions, one owner-only JSON file each under {@code <data>/webhooks/subscriptions/}.
 * The file holds the signing secret (the gateway needs it to sign every callback); the API shows
 * it once, at creation, and nothing logs it.
 */
public final class WebhookStore {

  /** The event types a subscription may ask for. */
  public static final Set<String> EVENTS = Set.of(WebhookOutbox.RECEIVED, WebhookOutbox.STATUS);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ID = Pattern.compile("[a-f0-9-]{36}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One subscription.
   *
   * @param mailbox the mailbox whose events it receives, or {@code *} for every mailbox (admin only)
   * @param tokenId the token that created it
   */
  public record Subscription(String id, URI url, Set<String> events, String mailbox, String tokenId, Instant created,
      String secret) {
    public Subscription {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(url, "url");
      events = Set.copyOf(events);
      Objects.requireNonNull(mailbox, "mailbox");
      Objects.requireNonNull(tokenId, "tokenId");
      Objects.requireNonNull(created, "created");
      Objects.requireNonNull(secret, "secret");
    }

    /** Whether an event of this type about this mailbox goes to this subscription. */
    public boolean covers(String type, String eventMailbox) {
      return events.contains(type) && (mailbox.equals(ApiToken.ANY_MAILBOX) || mailbox.equalsIgnoreCase(eventMailbox));
    }

    @Override
    public String toString() {
      return "Subscription[" + id + " " + url + " " + events + " " + mailbox + "]"; // never the secret
    }
  }

  private final Path dir;

  WebhookStore(Path dir) {
    this.dir = dir;
  }

  public static WebhookStore in(Path dataDir) {
    return new WebhookStore(dir(dataDir));
  }

  static Path dir(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve("webhooks").resolve("subscriptions");
  }

  /**
   * Checks a callback address: {@code http} or {@code https} with a host, nothing else (no
   * {@code file:}, {@code ftp:}, {@code jar:}...), no credentials in it.
   *
   * @throws IllegalArgumentException with the reason
   */
  public static URI checkUrl(String value) {
    URI u;
    try {
      u = new URI(Objects.requireNonNull(value, "url").strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getMessage());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("a webhook URL is http or https, not '" + (scheme.isEmpty() ? value : scheme) + "'");
    }
    if (u.getHost() == null || u.getHost().isBlank()) {
      throw new IllegalArgumentException("a webhook URL needs a host");
    }
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException("a webhook URL must not carry credentials; check the signature header instead");
    }
    return u;
  }

  /** Records a new subscription with a fresh secret (returned in it, once). */
  public Subscription create(URI url, Set<String> events, String mailbox, String tokenId) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    Subscription s = new Subscription(UUID.randomUUID().toString(), url, events, mailbox.strip().toLowerCase(Locale.ROOT),
        tokenId, Instant.now(), "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key));
    ObjectNode n = JSON.createObjectNode();
    n.put("id", s.id());
    n.put("url", s.url().toString());
    s.events().stream().sorted().forEach(e -> n.withArray("events").add(e));
    n.put("mailbox", s.mailbox());
    n.put("tokenId", s.tokenId());
    n.put("created", s.created().toString());
    n.put("secret", s.secret());
    try {
      TokenStore.writeOwnerOnlyAtomically(dir.resolve(s.id() + ".json"), JSON.writeValueAsBytes(n));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s;
  }

  public Optional<Subscription> find(String id) {
    if (!ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Path f = dir.resolve(id + ".json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(read(JSON.readTree(f.toFile())));
    } catch (IOException e) {
      if (!Files.exists(f)) {
        return Optional.empty(); // deleted while we read it
      }
      throw new UncheckedIOException("cannot read webhook subscription " + f, e);
    }
  }

  /** Every subscription, oldest first. */
  public List<Subscription> all() {
    List<Subscription> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        find(name.substring(0, name.length() - 5)).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list webhook subscriptions in " + dir, e);
    }
    out.sort(Comparator.comparing(Subscription::created));
    return out;
  }

  /** @return false when there was no such subscription */
  public boolean delete(String id) {
    if (!ID.matcher(id).matches()) {
      return false;
    }
    try {
      return Files.deleteIfExists(dir.resolve(id + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Subscription read(JsonNode n) {
    List<String> events = new ArrayList<>();
    n.get("events").forEach(e -> events.add(e.asText()));
    return new Subscription(n.get("id").asText(), URI.create(n.get("url").asText()), Set.copyOf(events),
        n.get("mailbox").asText(), n.get("tokenId").asText(), Instant.parse(n.get("created").asText()), n.get("secret").asText());
  }
}
