package org.pont.transport;

/**
 * TLS could not be set up: the server's certificate does not chain to the configured trust
 * anchors, has expired, does not name the host, or the server does not offer STARTTLS. Pont never
 * falls back to a clear-text connection.
 */
public final class TlsException extends TransportException {
  private static final long serialVersionUID = 1L;

  public TlsException(String message, Throwable cause) {
    super(Reason.TLS_FAILED, message, cause);
  }
}
