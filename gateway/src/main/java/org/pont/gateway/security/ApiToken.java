package org.pont.gateway.security;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A registered API token, as stored: never the secret itself, only a salted PBKDF2 hash of it.
 *
 * @param id public identifier, the first part of the bearer value ({@code pont_<id>_<secret>})
 * @param mailbox the mailbox the token acts for, or {@code *} for an administrator token
 */
public record ApiToken(String id, String mailbox, Set<Scope> scopes, String salt, String hash, Instant created) {

  public static final String ANY_MAILBOX = "*";

  public ApiToken {
    Objects.requireNonNull(id, "id");
    mailbox = Objects.requireNonNull(mailbox, "mailbox").strip().toLowerCase(Locale.ROOT);
    scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(created, "created");
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
