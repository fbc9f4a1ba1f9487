package org.pont.transport;

/** The server refused the user name or password (or token); retrying with the same credentials is pointless. */
public final class AuthenticationException extends TransportException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message, Throwable cause) {
    super(Reason.AUTHENTICATION_FAILED, message, cause);
  }
}
