package org.pont.gateway.security;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A registered API token, as stored: never the secret itself, only a salted PBKDF2 hash of it.
 *
 * @param id public identifier, the first part of the bearer value ({@code pont_<id>_<secret>})
 * @param mailbox the mailbox the token acts for, or {@code *} for an administrator or metrics token
 * @param expires when the token stops being accepted
 * @param revoked when an administrator revoked it, if they did (kept for the record)
 */
public record ApiToken(String id, String mailbox, Set<Scope> scopes, String salt, String hash, Instant created,
    Instant expires, Optional<Instant> revoked) {

  public static final String ANY_MAILBOX = "*";

  public ApiToken {
    Objects.requireNonNull(id, "id");
    mailbox = Objects.requireNonNull(mailbox, "mailbox").strip().toLowerCase(Locale.ROOT);
    scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(revoked, "revoked");
  }

  /** Whether the token is accepted at {@code now}: not revoked, not expired. */
  public State state(Instant now) {
    if (revoked.isPresent()) {
      return State.REVOKED;
    }
    return now.isBefore(expires) ? State.ACTIVE : State.EXPIRED;
  }

  /** A token's standing. */
  public enum State { ACTIVE, EXPIRED, REVOKED }

  /** The same token, revoked at {@code when}. */
  public ApiToken revokedAt(Instant when) {
    return new ApiToken(id, mailbox, scopes, salt, hash, created, expires, Optional.of(when));
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }

  /** Whether this token may act on {@code address}: its own mailbox, or any with admin scope. */
  public boolean owns(String address) {
    return has(Scope.ADMIN) || mailbox.equals(ANY_MAILBOX) || mailbox.equalsIgnoreCase(address.strip());
  }

  @Override
  public String toString() {
    return "ApiToken[" + id + " " + mailbox + " " + scopes + "]";
  }
}
