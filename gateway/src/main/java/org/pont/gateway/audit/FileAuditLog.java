package org.pont.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail as JSON lines, one file per UTC day ({@code audit-2026-11-22.jsonl}), opened in
 * append mode for each event and written with one write call, so a crash loses at most the event
 * being written and never rewrites an earlier one. A line that cannot be parsed (a torn last line
 * after a crash) is skipped by queries with a warning.
 */
public final class FileAuditLog implements AuditLog {

  private static final Logger LOG = LoggerFactory.getLogger(FileAuditLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "audit-";
  private static final String SUFFIX = ".jsonl";

  private final Path dir;
  private final Object lock = new Object();

  public FileAuditLog(Path dir) {
    this.dir = dir;
  }

  public Path fileFor(LocalDate day) {
    return dir.resolve(PREFIX + day + SUFFIX);
  }

  @Override
  public void record(AuditEvent event) {
    byte[] line = (toJson(event) + "\n").getBytes(StandardCharsets.UTF_8);
    Path file = fileFor(LocalDate.ofInstant(event.time(), ZoneOffset.UTC));
    synchronized (lock) {
      try {
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
            StandardOpenOption.WRITE)) {
          ByteBuffer buf = ByteBuffer.wrap(line);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to the audit log " + file, e);
      }
    }
  }

  @Override
  public List<AuditEvent> query(AuditQuery query) {
    List<AuditEvent> out = new ArrayList<>();
    LocalDate first = LocalDate.ofInstant(query.from(), ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(query.to(), ZoneOffset.UTC);
    for (LocalDate day = first; !day.isAfter(last) && out.size() < query.limit(); day = day.plusDays(1)) {
      Path file = fileFor(day);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null && out.size() < query.limit()) {
          if (line.isBlank()) {
            continue;
          }
          AuditEvent e;
          try {
            e = fromJson(line);
          } catch (IOException | RuntimeException ex) {
            LOG.warn("Skipping an unreadable line of {}: {}", file, ex.toString());
            continue;
          }
          if (query.matches(e)) {
            out.add(e);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the audit log " + file, e);
      }
    }
    return out;
  }

  static String toJson(AuditEvent e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("time", e.time().toString());
    n.put("event", e.type().name());
    e.messageId().ifPresent(id -> n.put("messageId", id));
    n.put("sender", e.sender());
    ArrayNode to = n.putArray("recipients");
    e.recipients().forEach(to::add);
    ArrayNode types = n.putArray("documentTypes");
    e.documentTypes().forEach(types::add);
    e.verdict().ifPresent(v -> n.put("verdict", v));
    e.reason().ifPresent(v -> n.put("reason", v));
    return n.toString();
  }

  static AuditEvent fromJson(String line) throws IOException {
    JsonNode n = JSON.readTree(line);
    List<String> to = new ArrayList<>();
    n.path("recipients").forEach(x -> to.add(x.asText()));
    List<String> types = new ArrayList<>();
    n.path("documentTypes").forEach(x -> types.add(x.asText()));
    return new AuditEvent(
        Instant.parse(n.get("time").asText()),
        AuditEvent.Type.valueOf(n.get("event").asText()),
        text(n, "messageId"),
        n.get("sender").asText(),
        to,
        types,
        text(n, "verdict"),
        text(n, "reason"));
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }
}
