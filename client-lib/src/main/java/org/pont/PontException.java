package org.pont;

/**
 * Root of Pont's checked exceptions: thrown where the caller can act on the failure (pick another
 * recipient, renew a certificate, fix an input). Each subtype carries a typed reason so that
 * callers branch on it rather than on message text.
 */
public abstract class PontException extends Exception {
  private static final long serialVersionUID = 1L;

  protected PontException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The machine-readable reason, e.g. {@code RECIPIENT_CERTIFICATE_EXPIRED}. */
  public abstract Enum<?> reason();
}
