package org.pont.transport;

import org.pont.PontException;

/**
 * A mail server could not be used: {@link #reason()} says why and {@link #isRetryable()} whether
 * trying again later may succeed. Callers that need to tell the cases apart catch the subtypes:
 *
 * <ul>
 *   <li>{@link AuthenticationException} — the server refused the user or password (never retry
 *       with the same credentials);
 *   <li>{@link TlsException} — the TLS handshake failed: untrusted or expired certificate, host
 *       name mismatch, STARTTLS not offered (a configuration or security problem, never retried);
 *   <li>{@link ServerUnreachableException} — connection refused, timed out or dropped (retryable).
 * </ul>
 *
 * Anything else (a recipient refused, a protocol error) is a plain {@code TransportException}.
 */
public class TransportException extends PontException {
  private static final long serialVersionUID = 1L;

  /** Why a transport operation failed. */
  public enum Reason {
    /** The server refused the credentials. */
    AUTHENTICATION_FAILED,
    /** TLS could not be established or the server's certificate was not trusted. */
    TLS_FAILED,
    /** The server could not be reached, or the connection dropped or timed out. */
    UNREACHABLE,
    /** The server refused the message or one of its recipients. */
    REJECTED,
    /** The server answered something the client could not use (folder missing, bad response). */
    PROTOCOL
  }

  private final Reason reason;

  public TransportException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  @Override
  public Reason reason() {
    return reason;
  }

  /** Whether the same call may succeed later without any change (only for {@link Reason#UNREACHABLE}). */
  public boolean isRetryable() {
    return reason == Reason.UNREACHABLE;
  }
}
