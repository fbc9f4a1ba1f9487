package org.pont.gateway.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.pont.gateway.security.TokenStore;

/**
 * Remembers, per API token and client key, which message a submission made and a digest of what
 * was submitted: {@code <data>/api/idempotency/<sha256(token id, key)>} holds {@code id digest
 * message-id state}. Written ahead: {@code pending} before the message is handed to James, then
 * {@code queued} once James holds it, each atomically. A crash between the two leaves {@code
 * pending}: the client's retry then submits the message again under the same id and Message-ID,
 * so at worst the recipient gets two copies a client can tell are one (same Message-ID), never two
 * different messages nor none. Entries written before the state existed ({@code id digest}) count
 * as queued.
 */
final class IdempotencyStore {

  /**
   * A submission made under a key.
   *
   * @param messageId its Message-ID, empty only in entries written before it was kept
   * @param queued whether James is known to hold it
   */
  record Entry(String id, String digest, Optional<String> messageId, boolean queued) {

    static Entry pending(String id, String digest, String messageId) {
      return new Entry(id, digest, Optional.ofNullable(messageId).filter(m -> !m.isBlank()), false);
    }

    Entry asQueued() {
      return new Entry(id, digest, messageId, true);
    }
  }

  private final Path dir;
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  IdempotencyStore(Path dataDir) {
    this.dir = dataDir.resolve("api").resolve("idempotency");
  }

  /** A lock to hold while checking then recording one key, so two racing requests make one message. */
  Object lock(String tokenId, String key) {
    return locks.computeIfAbsent(name(tokenId, key), k -> new Object());
  }

  Optional<Entry> find(String tokenId, String key) {
    Path f = dir.resolve(name(tokenId, key));
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      String[] parts = Files.readString(f, StandardCharsets.UTF_8).strip().split(" ");
      if (parts.length < 4) {
        return Optional.of(new Entry(parts[0], parts[1], Optional.empty(), true));
      }
      return Optional.of(new Entry(parts[0], parts[1], Optional.of(parts[2]).filter(m -> !m.equals("-")), "queued".equals(parts[3])));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  void record(String tokenId, String key, Entry entry) {
    TokenStore.writeOwnerOnlyAtomically(dir.resolve(name(tokenId, key)),
        (entry.id() + " " + entry.digest() + " " + entry.messageId().orElse("-") + " "
            + (entry.queued() ? "queued" : "pending") + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static String name(String tokenId, String key) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest((tokenId + "\n" + key).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
