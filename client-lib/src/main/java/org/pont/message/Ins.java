package org.pont.message;

import java.util.Objects;

/**
 * A patient's INS (Identifiant National de Santé): a 13-character matricule (the NIR or NIA)
 * followed by its 2-digit control key, and the kind of identifier its OID names.
 *
 * <p>Instances are always valid: {@link #of(String, InsKind)} checks the format and the key
 * (key = 97 − (number mod 97), Corsica's {@code 2A}/{@code 2B} counted as in the NIR rule).
 */
public record Ins(String value, InsKind kind) {

  public Ins {
    Objects.requireNonNull(kind, "kind");
    String problem = InsKey.problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Parses a 15-character INS (13 characters + key), refusing a wrong format or key with the reason. */
  public static Ins of(String value, InsKind kind) {
    return new Ins(value == null ? null : value.strip().toUpperCase(java.util.Locale.ROOT), kind);
  }

  /** The 13 characters without the key. */
  public String matricule() {
    return value.substring(0, 13);
  }

  /** The 2-digit control key. */
  public String key() {
    return value.substring(13);
  }

  @Override
  public String toString() {
    // Patient identifiers never reach logs through toString: show the kind and a masked value.
    return "Ins[" + kind + " " + value.substring(0, 1) + "************" + value.substring(13) + "]";
  }
}
