package org.pont.gateway.security;

import java.util.Locale;

/** What an API token may do. */
public enum Scope {
  /** Submit messages from the token's mailboxes. */
  SEND,
  /** Read the token's mailboxes and the status of messages it sent. */
  READ,
  /** Administer domains, mailboxes, whitelist and tokens; reaches every mailbox. */
  ADMIN,
  /** Scrape {@code /prometheus} and nothing else (a monitoring system's token). */
  METRICS;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Scope parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a scope is send, read, admin or metrics, not '" + value + "'", e);
    }
  }
}
