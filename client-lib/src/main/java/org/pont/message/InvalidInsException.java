package org.pont.message;

import org.pont.PontException;

/**
 * An INS could not be accepted (typed, copied or received in XDM/CDA metadata); {@link #reason()}
 * tells a caller whether to ask the user to re-type it, or to refuse a document from an unknown
 * identity domain. Messages never contain the INS itself.
 */
public final class InvalidInsException extends PontException {
  private static final long serialVersionUID = 1L;

  /** Why an INS was refused. */
  public enum Reason {
    /** No value was given. */
    MISSING,
    /** Not 15 characters (13-character matricule + 2-digit key). */
    WRONG_LENGTH,
    /** Characters other than digits (and 2A/2B for Corsica), or an impossible first digit. */
    WRONG_FORMAT,
    /** The control key does not match the matricule: a typing or copying error. */
    WRONG_KEY,
    /** The assigning authority OID is not one of the INS OIDs (NIR, NIA, and their test OIDs). */
    UNKNOWN_OID,
    /** The HL7 CX string is not of the form {@code INS^^^&OID&ISO^NH}. */
    MALFORMED_CX
  }

  private final Reason reason;

  public InvalidInsException(Reason reason, String message) {
    super(message, null);
    this.reason = reason;
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
