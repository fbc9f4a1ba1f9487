package org.pont.xdm;

import org.pont.PontException;

/** An XDM package was refused (or could not be written); {@link #reason()} says why. */
public final class XdmException extends PontException {
  private static final long serialVersionUID = 1L;

  /** Why a package was refused. */
  public enum Reason {
    /** The file is not a zip at all. */
    NOT_A_ZIP,
    /** The zip is truncated or damaged (no central directory, bad CRC, broken deflate data). */
    CORRUPT_ZIP,
    /** No {@code IHE_XDM/<subset>/METADATA.XML} in the zip. */
    NO_METADATA,
    /** The zip holds several submission sets; Pont reads packages with exactly one (one patient per message). */
    MULTIPLE_SUBMISSION_SETS,
    /** METADATA.XML is not well-formed XML or lacks what XDM requires. */
    MALFORMED_METADATA,
    /** METADATA.XML declares a DOCTYPE (possible external entity or entity expansion attack). */
    XML_DTD_REFUSED,
    /** METADATA.XML describes a document that is not in the zip. */
    MISSING_DOCUMENT,
    /** A document's SHA-1 differs from the hash in METADATA.XML. */
    HASH_MISMATCH,
    /** A document's size differs from the size in METADATA.XML. */
    SIZE_MISMATCH,
    /** The documents and the submission set name different patients. */
    PATIENT_MISMATCH,
    /** An entry inflates far more than its compressed size (compression ratio over the limit). */
    ZIP_BOMB,
    /** An entry name or document URI escapes the package: "..", absolute path, backslash, drive letter. */
    PATH_TRAVERSAL,
    /** Two entries have the same name, ignoring case. */
    DUPLICATE_ENTRY,
    /** More entries than the limit. */
    TOO_MANY_ENTRIES,
    /** An entry, or the whole package, inflates beyond the size limit. */
    TOO_LARGE
  }

  private final Reason reason;

  public XdmException(Reason reason, String message) {
    this(reason, message, null);
  }

  public XdmException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
