package org.pont.index;

import org.pont.PontException;

/**
 * The local message index could not be used. {@link Reason#CORRUPT}: the folder holds a damaged or
 * incompatible index; call {@link MessageIndex#recreate} (or {@code MailboxSync.rebuild}) to start
 * over from the mailbox. {@link Reason#LOCKED}: another process has the index open.
 */
public final class IndexException extends PontException {
  private static final long serialVersionUID = 1L;

  /** Why the index failed. */
  public enum Reason {
    /** The index files are damaged, truncated, or written by an incompatible version. */
    CORRUPT,
    /** Another writer (another process or instance) holds the index lock. */
    LOCKED,
    /** Reading or writing the index folder failed (disk full, permissions). */
    IO
  }

  private final Reason reason;

  public IndexException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
