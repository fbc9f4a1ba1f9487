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
 * was submitted: {@code <data>/api/idempotency/<sha256(token id, key)>} holds {@code id digest}.
 * Written atomically after the message is accepted.
 */
final class IdempotencyStore {

  /** A submission already made under a key. */
  record Entry(String id, String digest) {}

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
      return Optional.of(new Entry(parts[0], parts[1]));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  void record(String tokenId, String key, Entry entry) {
    TokenStore.writeOwnerOnlyAtomically(dir.resolve(name(tokenId, key)),
        (entry.id() + " " + entry.digest() + "\n").getBytes(StandardCharsets.UTF_8));
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
