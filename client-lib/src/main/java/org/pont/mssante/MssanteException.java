package org.pont.mssante;

import org.pont.PontException;

/** A coordination message that cannot be built or read as MSSanté expects, with the reason. */
public final class MssanteException extends PontException {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** Clinical documents without the patient they are about. */
    NO_PATIENT,
    /** A clinical document names no INS: MSSanté receivers identify the patient by INS. */
    NO_INS,
    /** The documents, the XDM metadata or the message are about more than one patient. */
    SEVERAL_PATIENTS,
    /** A CDA document's patient is not the message's patient (INS differ). */
    PATIENT_MISMATCH,
    /** A CDA document cannot be read. */
    INVALID_CDA,
    /** The IHE_XDM.ZIP attachment is refused (bomb, traversal, bad metadata...). */
    INVALID_XDM,
    /** The MIME structure cannot be read (broken multipart, unreadable part). */
    MALFORMED_MIME
  }

  private final Reason reason;

  public MssanteException(Reason reason, String message) {
    this(reason, message, null);
  }

  public MssanteException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
