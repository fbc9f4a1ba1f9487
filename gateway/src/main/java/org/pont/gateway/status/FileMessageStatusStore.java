package org.pont.gateway.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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

  public FileMessageStatusStore(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.lock = LOCKS.computeIfAbsent(this.dir, d -> new Object());
  }

  /** The store of the gateway whose data folder is {@code dataDir}. */
  public static FileMessageStatusStore in(Path dataDir) {
    return new FileMessageStatusStore(dataDir.resolve("api").resolve("messages"));
  }

  @Override
  public MessageStatus create(String id, String messageId, String tokenId, String sender, List<String> recipients) {
    requireId(id);
    Instant now = Instant.now();
    Map<String, RecipientStatus> r = new LinkedHashMap<>();
    for (String rcpt : recipients) {
      r.put(rcpt.toLowerCase(Locale.ROOT), new RecipientStatus(State.ACCEPTED, Optional.empty(), now));
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
  public boolean update(String id, String recipient, State state, Optional<String> reason) {
    synchronized (lock) {
      Optional<MessageStatus> current = find(id);
      if (current.isEmpty()) {
        return false;
      }
      MessageStatus s = current.get();
      String key = recipient.toLowerCase(Locale.ROOT);
      RecipientStatus was = s.recipients().get(key);
      if (was != null && State.mayMove(was.state(), state)) {
        Map<String, RecipientStatus> r = new LinkedHashMap<>(s.recipients());
        r.put(key, new RecipientStatus(state, reason, Instant.now()));
        write(new MessageStatus(s.id(), s.messageId(), s.tokenId(), s.sender(), s.submitted(), r));
      }
      return true;
    }
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
      r.put(e.getKey(), new RecipientStatus(State.valueOf(v.get("state").asText().toUpperCase(Locale.ROOT)),
          Optional.ofNullable(v.get("reason")).map(JsonNode::asText), Instant.parse(v.get("updated").asText())));
    }
    return new MessageStatus(n.get("id").asText(), n.get("messageId").asText(), n.get("tokenId").asText(),
        n.get("sender").asText(), Instant.parse(n.get("submitted").asText()), r);
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
