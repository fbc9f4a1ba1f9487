package org.pont.gateway.directory;

import org.pont.PontException;

/** A whitelist (liste blanche) that Pont refuses to load, with the reason a caller can branch on. */
public final class WhitelistException extends PontException {
  private static final long serialVersionUID = 1L;

  /** Why the whitelist was refused. */
  public enum Reason {
    /** The SHA-256 of the file differs from the published {@code checksum}. */
    CHECKSUM_MISMATCH,
    /** Not well-formed XML, wrong root or namespace, or a domain lacking its name. */
    MALFORMED,
    /** The document declares a DOCTYPE (DTD, entities): refused outright. */
    DTD_REFUSED,
    /** The document lists no domain: loading it would refuse all mail. */
    EMPTY,
    /** The file or URL could not be read. */
    UNREADABLE
  }

  private final Reason reason;

  public WhitelistException(Reason reason, String message) {
    this(reason, message, null);
  }

  public WhitelistException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
