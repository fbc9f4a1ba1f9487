package org.pont.gateway.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.pont.gateway.security.TokenStore;

/**
 * One small JSON file per message under {@code <data>/api/messages/}, named by the message id, plus
 * an index file per Message-ID (its SHA-256) pointing to the id. Files are replaced through a
 * temporary file and an atomic rename; updates of one store location are serialised in the JVM.
 */
public final class FileMessageStatusStore implements MessageStatusStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

  private final Path dir;
  private final Object lock;
  private final List<Listener> listeners;
  private final Clock clock;

  public FileMessageStatusStore(Path dir) {
    this(dir, List.of(), Clock.systemUTC());
  }

  FileMessageStatusStore(Path dir, List<Listener> listeners, Clock clock) {
    this.dir = dir.toAbsolutePath().normalize();
    this.lock = LOCKS.computeIfAbsent(this.dir, d -> new Object());
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
  }

  /** The store of the gateway whose data folder is {@code dataDir}. */
  public static FileMessageStatusStore in(Path dataDir) {
    return new FileMessageStatusStore(dataDir.resolve("api").resolve("messages"));
  }

  /** The same store, telling {@code listener} of every change (e.g. the webhook outbox). */
  public static FileMessageStatusStore in(Path dataDir, Listener listener) {
    return new FileMessageStatusStore(dataDir.resolve("api").resolve("messages"), List.of(listener), Clock.systemUTC());
  }

  @Override
  public MessageStatus create(String id, String messageId, String tokenId, String sender, List<String> recipients) {
    requireId(id);
    Instant now = clock.instant();
    Map<String, RecipientStatus> r = new LinkedHashMap<>();
    Event accepted = new Event(State.ACCEPTED, now, Optional.empty(), Source.PIPELINE, Optional.empty(), Optional.empty(), false, true);
    for (String rcpt : recipients) {
      r.put(rcpt.toLowerCase(Locale.ROOT), new RecipientStatus(State.ACCEPTED, Optional.empty(), now, List.of(accepted)));
    }
    MessageStatus status = new MessageStatus(id, messageId, tokenId, sender, now, r);
    synchronized (lock) {
      write(status);
      TokenStore.writeOwnerOnlyAtomically(indexFile(messageId), id.getBytes(StandardCharsets.UTF_8));
    }
    return status;
  }

  @Override
  public Optional<MessageStatus> find(String id) {
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
      throw new UncheckedIOException("cannot read message status " + f, e);
    }
  }

  @Override
  public Optional<MessageStatus> findByMessageId(String messageId) {
    Path index = indexFile(messageId);
    if (!Files.exists(index)) {
      return Optional.empty();
    }
    try {
      return find(Files.readString(index, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + index, e);
    }
  }

  @Override
  public Optional<Change> report(String id, String recipient, Report report) {
    Change change;
    synchronized (lock) {
      Optional<MessageStatus> current = find(id);
      if (current.isEmpty()) {
        return Optional.empty();
      }
      MessageStatus s = current.get();
      String key = recipient.strip().toLowerCase(Locale.ROOT);
      RecipientStatus was = s.recipients().get(key);
      if (was == null) {
        return Optional.empty();
      }
      Optional<Event> event = Reconciliation.apply(was, report, clock.instant());
      if (event.isEmpty()) {
        return Optional.empty();
      }
      Event e = event.get();
      List<Event> timeline = new ArrayList<>(was.timeline());
      timeline.add(e);
      RecipientStatus now = e.changed()
          ? new RecipientStatus(e.state(), e.state().isNegative() ? e.reason() : Optional.empty(), e.at(), timeline)
          : new RecipientStatus(was.state(), was.reason(), was.updated(), timeline);
      Map<String, RecipientStatus> r = new LinkedHashMap<>(s.recipients());
      r.put(key, now);
      MessageStatus updated = new MessageStatus(s.id(), s.messageId(), s.tokenId(), s.sender(), s.submitted(), r);
      write(updated);
      change = new Change(updated, key, was.state(), e);
    }
    if (change.event().changed()) {
      for (Listener l : listeners) {
        try {
          l.changed(change);
        } catch (RuntimeException ex) {
          // the status is written; a listener's failure (webhook outbox) must not undo or block it
          org.slf4j.LoggerFactory.getLogger(FileMessageStatusStore.class)
              .warn("status listener failed for message {}: {}", id, ex.toString());
        }
      }
    }
    return Optional.of(change);
  }

  @Override
  public List<MessageStatus> open() {
    List<MessageStatus> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        find(name.substring(0, name.length() - ".json".length())).filter(m -> m.recipients().values().stream()
            .anyMatch(r -> !r.state().isNegative() && r.state() != State.INTEGRATED)).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list message statuses in " + dir, e);
    }
    return out;
  }

  private void write(MessageStatus s) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", s.id());
    root.put("messageId", s.messageId());
    root.put("tokenId", s.tokenId());
    root.put("sender", s.sender());
    root.put("submitted", s.submitted().toString());
    ObjectNode rs = root.putObject("recipients");
    s.recipients().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      ObjectNode n = rs.putObject(e.getKey());
      n.put("state", e.getValue().state().label());
      e.getValue().reason().ifPresent(v -> n.put("reason", v));
      n.put("updated", e.getValue().updated().toString());
      ArrayNode events = n.putArray("timeline");
      for (Event ev : e.getValue().timeline()) {
        ObjectNode x = events.addObject();
        x.put("state", ev.state().label());
        x.put("at", ev.at().toString());
        ev.reason().ifPresent(v -> x.put("reason", v));
        x.put("source", ev.source().label());
        ev.notificationId().ifPresent(v -> x.put("notificationId", v));
        ev.integrationCode().ifPresent(v -> x.put("integrationCode", v));
        if (ev.late()) {
          x.put("late", true);
        }
        if (!ev.changed()) {
          x.put("changed", false);
        }
      }
    });
    try {
      TokenStore.writeOwnerOnlyAtomically(dir.resolve(s.id() + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageStatus read(JsonNode n) {
    Map<String, RecipientStatus> r = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.get("recipients").properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      List<Event> timeline = new ArrayList<>();
      JsonNode events = v.get("timeline");
      if (events != null) {
        for (JsonNode x : events) {
          timeline.add(new Event(state(x.get("state").asText()), Instant.parse(x.get("at").asText()),
              Optional.ofNullable(x.get("reason")).map(JsonNode::asText),
              Source.valueOf(x.get("source").asText().toUpperCase(Locale.ROOT)),
              Optional.ofNullable(x.get("notificationId")).map(JsonNode::asText),
              Optional.ofNullable(x.get("integrationCode")).map(JsonNode::asInt),
              x.path("late").asBoolean(false), x.path("changed").asBoolean(true)));
        }
      }
      r.put(e.getKey(), new RecipientStatus(state(v.get("state").asText()),
          Optional.ofNullable(v.get("reason")).map(JsonNode::asText), Instant.parse(v.get("updated").asText()), timeline));
    }
    return new MessageStatus(n.get("id").asText(), n.get("messageId").asText(), n.get("tokenId").asText(),
        n.get("sender").asText(), Instant.parse(n.get("submitted").asText()), r);
  }

  private static State state(String label) {
    return State.fromLabel(label).orElseThrow(() -> new IllegalStateException("unknown state in a status file: " + label));
  }

  private Path indexFile(String messageId) {
    String bare = messageId.strip();
    if (bare.startsWith("<") && bare.endsWith(">")) {
      bare = bare.substring(1, bare.length() - 1);
    }
    return dir.resolve("by-message-id").resolve(sha256(bare));
  }

  private static String sha256(String value) {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void requireId(String id) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a message id is 1-64 letters, digits or dashes: " + id);
    }
  }
}
