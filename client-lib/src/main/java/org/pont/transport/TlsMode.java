package org.pont.transport;

/** How a connection is protected. There is no clear-text mode. */
public enum TlsMode {
  /** Connect in clear, then require STARTTLS before anything else (ports 587 and 143); fails if not offered. */
  STARTTLS,
  /** TLS from the first byte (ports 465 and 993). */
  IMPLICIT
}
