package org.pont.gateway.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.pont.gateway.security.TokenStore;
import org.pont.gateway.status.MessageStatusStore;

/**
 * Where the mail pipeline and the status store leave webhook events: one JSON file per event under
 * {@code <data>/webhooks/events/}, written atomically, which the {@link WebhookDispatcher} turns
 * into deliveries. A file, not an in-memory queue, because the producers run inside James (Guice)
 * and the dispatcher in Micronaut, and because an event must survive a restart.
 *
 * <p>Payloads carry identifiers and types only — gateway id, Message-ID, mailbox addresses,
 * states, the ANS integration code — never a subject, a body, a reason text (a receiver's free
 * text may name the patient) or anything about the patient. The application reads the rest
 * through the REST API with its token.
 */
public final class WebhookOutbox implements MessageStatusStore.Listener {

  /** Event type: a message landed in a local mailbox. */
  public static final String RECEIVED = "message.received";
  /** Event type: a recipient's status of a submitted message changed (timeouts included). */
  public static final String STATUS = "message.status";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

  private final Path events;
  private final Path subscriptions;
  private final Clock clock;

  WebhookOutbox(Path events, Path subscriptions, Clock clock) {
    this.events = events;
    this.subscriptions = subscriptions;
    this.clock = clock;
  }

  /** The outbox of the gateway whose data folder is {@code dataDir}. */
  public static WebhookOutbox in(Path dataDir) {
    return new WebhookOutbox(eventsDir(dataDir), WebhookStore.dir(dataDir), Clock.systemUTC());
  }

  static Path eventsDir(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve("webhooks").resolve("events");
  }

  @Override
  public void changed(MessageStatusStore.Change change) {
    MessageStatusStore.Event e = change.event();
    ObjectNode data = JSON.createObjectNode();
    data.put("id", change.message().id());
    data.put("messageId", change.message().messageId());
    data.put("sender", change.message().sender());
    data.put("recipient", change.recipient());
    data.put("status", e.state().label());
    data.put("previousStatus", change.previous().label());
    data.put("source", e.source().label());
    data.put("late", e.late());
    e.integrationCode().ifPresent(c -> data.put("integrationCode", c));
    write(STATUS, change.message().sender(), Optional.of(change.message().tokenId()), data);
  }

  /**
   * A message reached the local mailbox {@code mailbox}.
   *
   * @param notification {@code mdn} or {@code dsn} when the message is a delivery or disposition notification
   */
  public void received(String mailbox, Optional<String> messageId, Optional<String> sender, Optional<String> notification) {
    ObjectNode data = JSON.createObjectNode();
    data.put("mailbox", mailbox);
    messageId.ifPresent(v -> data.put("messageId", v));
    sender.ifPresent(v -> data.put("sender", v));
    notification.ifPresent(v -> data.put("notification", v));
    write(RECEIVED, mailbox, Optional.empty(), data);
  }

  /** {@code mailbox} scopes the event: only subscriptions covering it (or an admin's) receive it. */
  private void write(String type, String mailbox, Optional<String> tokenId, ObjectNode data) {
    if (!anySubscription()) {
      return; // nobody listens: no file to write and delete for every message
    }
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    ObjectNode root = JSON.createObjectNode();
    root.put("id", id);
    root.put("type", type);
    root.put("occurredAt", now.toString());
    root.put("mailbox", mailbox.toLowerCase(java.util.Locale.ROOT));
    tokenId.ifPresent(t -> root.put("tokenId", t));
    root.set("data", data);
    try {
      // the name sorts in the order the events happened in this JVM (James and Micronaut share it)
      long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
      String name = String.format("%020d-%s.json", SEQUENCE.updateAndGet(last -> Math.max(last + 1, micros)), id);
      TokenStore.writeOwnerOnlyAtomically(events.resolve(name), JSON.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean anySubscription() {
    if (!java.nio.file.Files.isDirectory(subscriptions)) {
      return false;
    }
    try (java.nio.file.DirectoryStream<Path> files = java.nio.file.Files.newDirectoryStream(subscriptions, "*.json")) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      return true; // when in doubt, keep the event
    }
  }
}
