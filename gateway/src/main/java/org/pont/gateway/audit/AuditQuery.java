package org.pont.gateway.audit;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which audit events to return: a time range [from, to) and optionally one sender or one recipient
 * (addresses compared case-insensitively), at most {@code limit} events, oldest first.
 */
public record AuditQuery(Instant from, Instant to, Optional<String> sender, Optional<String> recipient, int limit) {

  public AuditQuery {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(recipient, "recipient");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("the query's end (" + to + ") is before its start (" + from + ")");
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, not " + limit);
    }
  }

  public static AuditQuery between(Instant from, Instant to) {
    return new AuditQuery(from, to, Optional.empty(), Optional.empty(), 1000);
  }

  public AuditQuery sender(String address) {
    return new AuditQuery(from, to, Optional.of(address), recipient, limit);
  }

  public AuditQuery recipient(String address) {
    return new AuditQuery(from, to, sender, Optional.of(address), limit);
  }

  public AuditQuery limit(int max) {
    return new AuditQuery(from, to, sender, recipient, max);
  }

  boolean matches(AuditEvent e) {
    if (e.time().isBefore(from) || !e.time().isBefore(to)) {
      return false;
    }
    if (sender.isPresent() && !e.sender().equalsIgnoreCase(sender.get())) {
      return false;
    }
    return recipient.isEmpty()
        || e.recipients().stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals(recipient.get().toLowerCase(Locale.ROOT)));
  }
}
