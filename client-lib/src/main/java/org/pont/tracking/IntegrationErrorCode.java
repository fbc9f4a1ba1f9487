package org.pont.tracking;

import java.util.Arrays;
import java.util.Optional;

/**
 * The error codes of the ANS integration acknowledgement ({@code processed/Error: <code>^<label>}),
 * 900 to 906. MSSANTE.md names 902 to 905; 900, 901 and 906 are in the range but their meaning
 * is not documented there, so they carry a generic label (see {@link #documented()}).
 */
public enum IntegrationErrorCode {
  /** Not documented in MSSANTE.md: generic label. */
  E900(900, "Erreur d'integration 900", false),
  /** Not documented in MSSANTE.md: generic label. */
  E901(901, "Erreur d'integration 901", false),
  /** The receiving software does not know the patient. */
  UNKNOWN_PATIENT(902, "Patient inconnu", true),
  /** The message carries no INS. */
  NO_INS(903, "INS absent", true),
  /** The INS does not match the receiver's record of the patient. */
  INS_MISMATCH(904, "INS discordant", true),
  /** The INS is incomplete. */
  INCOMPLETE_INS(905, "INS incomplet", true),
  /** Not documented in MSSANTE.md: generic label. */
  E906(906, "Erreur d'integration 906", false);

  private final int code;
  private final String label;
  private final boolean documented;

  IntegrationErrorCode(int code, String label, boolean documented) {
    this.code = code;
    this.label = label;
    this.documented = documented;
  }

  public int code() {
    return code;
  }

  /** The default label Pont writes (ASCII, so it fits a 7-bit report field). */
  public String label() {
    return label;
  }

  /** Whether MSSANTE.md names this code's meaning; false means the label is generic. */
  public boolean documented() {
    return documented;
  }

  public static Optional<IntegrationErrorCode> of(int code) {
    return Arrays.stream(values()).filter(c -> c.code == code).findFirst();
  }
}
