package org.pont.gateway.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * API tokens kept in {@code <data>/api/tokens.tsv} (owner-only): one line per token with its id,
 * mailbox, scopes, salt, PBKDF2-HMAC-SHA256 hash, creation, expiry and revocation times. Every
 * token expires ({@link #DEFAULT_TTL} unless told otherwise); lines written before expiry existed
 * expire {@link #DEFAULT_TTL} after their creation. Revoked tokens stay listed. The file is
 * rewritten whole through a temporary file and an atomic rename, so a crash leaves the old or the
 * new list, never half.
 * Bearer values look like {@code pont_<id>_<secret>}; the secret is shown once, never stored.
 */
public final class TokenStore {

  static final String PREFIX = "pont_";
  /** How long a token lives unless its creator says otherwise. */
  public static final java.time.Duration DEFAULT_TTL = java.time.Duration.ofDays(90);
  private static final String NONE = "-";
  private static final int ITERATIONS = 120_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private final Object lock;
  /** Verified bearer values, by the SHA-256 of the bearer value, so PBKDF2 runs once per token. */
  private final Map<String, String> verified = new ConcurrentHashMap<>();

  private TokenStore(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.lock = LOCKS.computeIfAbsent(this.file, f -> new Object());
  }

  /** The store of the gateway whose data folder is {@code dataDir}. */
  public static TokenStore in(Path dataDir) {
    return new TokenStore(dataDir.resolve("api").resolve("tokens.tsv"));
  }

  /** A newly created token: the bearer value to hand over once, and what was stored. */
  public record Created(String bearer, ApiToken token) {
    @Override
    public String toString() {
      return "Created[" + token + "]";
    }
  }

  /** A token living {@link #DEFAULT_TTL}. */
  public Created create(String mailbox, Set<Scope> scopes) {
    return create(mailbox, scopes, DEFAULT_TTL);
  }

  /** A token accepted for {@code ttl} from now. */
  public Created create(String mailbox, Set<Scope> scopes, java.time.Duration ttl) {
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("a token needs at least one scope (send, read, admin, metrics)");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a token's lifetime must be positive, not " + ttl);
    }
    Instant now = Instant.now();
    String id = random(9);
    String secret = random(24);
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    ApiToken token = new ApiToken(id, mailbox, EnumSet.copyOf(scopes), HexFormat.of().formatHex(salt),
        HexFormat.of().formatHex(pbkdf2(secret, salt)), now, now.plus(ttl), Optional.empty());
    synchronized (lock) {
      List<ApiToken> all = new ArrayList<>(list());
      all.add(token);
      write(all);
    }
    return new Created(PREFIX + id + "_" + secret, token);
  }

  /**
   * Revokes the token {@code id} from now on; false when there is no such token. Revoking twice
   * keeps the first time.
   */
  public boolean revoke(String id) {
    synchronized (lock) {
      List<ApiToken> all = new ArrayList<>(list());
      for (int i = 0; i < all.size(); i++) {
        ApiToken t = all.get(i);
        if (t.id().equals(id)) {
          if (t.revoked().isEmpty()) {
            all.set(i, t.revokedAt(Instant.now()));
            write(all);
          }
          return true;
        }
      }
      return false;
    }
  }

  public boolean isEmpty() {
    return list().isEmpty();
  }

  /**
   * The token a bearer value stands for, if it is one of ours and its secret matches, whatever its
   * {@link ApiToken#state state}: the caller tells an expired or revoked token from a wrong one.
   */
  public Optional<ApiToken> authenticate(String bearer) {
    if (bearer == null || !bearer.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String rest = bearer.substring(PREFIX.length());
    int sep = rest.indexOf('_');
    if (sep <= 0) {
      return Optional.empty();
    }
    String id = rest.substring(0, sep);
    String secret = rest.substring(sep + 1);
    Optional<ApiToken> token = list().stream().filter(t -> t.id().equals(id)).findFirst();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    String fingerprint = sha256(bearer);
    if (id.equals(verified.get(fingerprint))) {
      return token;
    }
    byte[] expected = HexFormat.of().parseHex(token.get().hash());
    byte[] actual = pbkdf2(secret, HexFormat.of().parseHex(token.get().salt()));
    if (!MessageDigest.isEqual(expected, actual)) {
      return Optional.empty();
    }
    verified.put(fingerprint, id);
    return token;
  }

  public List<ApiToken> list() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<ApiToken> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : f[2].split(",")) {
          scopes.add(Scope.parse(s));
        }
        Instant created = Instant.parse(f[5]);
        Instant expires = f.length > 6 ? Instant.parse(f[6]) : created.plus(DEFAULT_TTL);
        Optional<Instant> revoked = f.length > 7 && !f[7].equals(NONE) ? Optional.of(Instant.parse(f[7])) : Optional.empty();
        out.add(new ApiToken(f[0], f[1], scopes, f[3], f[4], created, expires, revoked));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API tokens in " + file, e);
    }
  }

  private void write(List<ApiToken> tokens) {
    StringBuilder sb = new StringBuilder(
        "# Pont API tokens: id, mailbox, scopes, salt, PBKDF2-HMAC-SHA256 hash, created, expires, revoked\n");
    for (ApiToken t : tokens) {
      sb.append(String.join("\t", t.id(), t.mailbox(),
          t.scopes().stream().map(Scope::label).sorted().collect(Collectors.joining(",")),
          t.salt(), t.hash(), t.created().toString(), t.expires().toString(),
          t.revoked().map(Instant::toString).orElse(NONE))).append('\n');
    }
    writeOwnerOnlyAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a file readable by its owner only, through a temporary file and an atomic rename. */
  public static void writeOwnerOnlyAtomically(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + "." + random(6) + ".tmp");
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp);
      }
      Files.write(tmp, content, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static byte[] pbkdf2(String secret, byte[] salt) {
    try {
      PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, ITERATIONS, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is unavailable", e);
    }
  }

  static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('_', 'Z').replace('-', 'Y');
  }
}
