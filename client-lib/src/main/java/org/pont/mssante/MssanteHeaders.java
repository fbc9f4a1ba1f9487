package org.pont.mssante;

/**
 * The MSSanté header and subject conventions (MSSANTE.md: reported by third parties quoting the ANS
 * référentiels, so kept in one place).
 */
public final class MssanteHeaders {
  /** LOINC (or TRE) code of each CDA document, one header per document, only with an XDM. */
  public static final String CODE_CDA = "X-MSS-CODECDA";
  /** Present ({@value #INS_PRESENT}) when the documents identify the patient by INS; never the INS itself. */
  public static final String INS = "X-MSS-INS";
  /** The sending software's identifier, on every message. */
  public static final String SOFTWARE = "X-MSS-NIL";
  /** Patient messaging; {@code FIN} forbids replies. */
  public static final String PATIENT_MESSAGING = "X-MSS-MES";
  public static final String INS_PRESENT = "true";
  /** Subject prefix announcing an XDM attachment; user interfaces hide it. */
  public static final String XDM_SUBJECT_PREFIX = "XDM/1.0/DDM";
  /** The attachment name receivers look for. */
  public static final String XDM_FILE_NAME = "IHE_XDM.ZIP";

  private MssanteHeaders() {}
}
