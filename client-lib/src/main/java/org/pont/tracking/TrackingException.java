package org.pont.tracking;

import java.util.Objects;
import org.pont.PontException;

/** A notification cannot be built or requested, with the reason. */
public final class TrackingException extends PontException {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** The message must not be answered with a notification (it is one, is automatic, has a null return path...). */
    LOOP_PREVENTED,
    /** The original message does not say where to send the notification, or lacks a field the report needs. */
    MISSING_FIELD,
    /** The MIME structure could not be written or read. */
    MALFORMED_MIME
  }

  private final Reason reason;

  public TrackingException(Reason reason, String message) {
    this(reason, message, null);
  }

  public TrackingException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
