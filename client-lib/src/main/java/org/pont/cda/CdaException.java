package org.pont.cda;

import org.pont.PontException;

/**
 * A CDA document could not be read, built or validated; {@link #reason()} says which part of the
 * input to fix. Messages name the missing or wrong element, never patient data.
 */
public final class CdaException extends PontException {
  private static final long serialVersionUID = 1L;

  /** Why a CDA operation failed. */
  public enum Reason {
    /** The bytes are not well-formed XML. */
    MALFORMED_XML,
    /** The document declares a DOCTYPE or entities, which Pont refuses (XXE, entity expansion). */
    DOCTYPE_REFUSED,
    /** Well-formed XML, but the root is not an HL7 v3 {@code ClinicalDocument}. */
    NOT_A_CDA,
    /** A mandatory header element (id, code, effectiveTime, patient, author, custodian...) is absent. */
    MISSING_HEADER,
    /** An element is present with an unusable value (bad date, bad base64 body, unknown body type). */
    INVALID_VALUE,
    /** The inputs given to a builder cannot make a valid document. */
    INVALID_INPUT,
    /** No schematron can be found for the document, or the schematron folder is not an ANS one. */
    SCHEMATRON_NOT_FOUND,
    /** A schematron file does not compile (broken include, XSLT error) or its run failed. */
    SCHEMATRON_BROKEN
  }

  private final Reason reason;

  public CdaException(Reason reason, String message) {
    this(reason, message, null);
  }

  public CdaException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
