package org.pont.message;

import java.util.Locale;
import java.util.Objects;
import org.pont.message.InvalidInsException.Reason;

/**
 * A patient's INS (Identifiant National de Santé): a 13-character matricule (the NIR or NIA)
 * followed by its 2-digit control key, and the kind of identifier its OID names.
 *
 * <p>Instances are always valid: the constructor checks the format and the key (key = 97 −
 * (number mod 97), Corsica's {@code 2A}/{@code 2B} counted as in the NIR rule) and throws
 * {@link IllegalArgumentException} for programming errors; input from people or other systems
 * goes through {@link #parse(String, InsKind)}, {@link #parse(String, String)} or
 * {@link #parseCx(String)}, which throw a checked {@link InvalidInsException} with a typed reason.
 */
public record Ins(String value, InsKind kind) {

  /** HL7 v2 identifier type code of a national health identifier in a CX value. */
  public static final String CX_TYPE_CODE = "NH";

  public Ins {
    Objects.requireNonNull(kind, "kind");
    InvalidInsException problem = InsKey.problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem.getMessage());
    }
  }

  /** Parses a 15-character INS (13 characters + key), refusing a wrong format or key with the reason. */
  public static Ins of(String value, InsKind kind) {
    return new Ins(normalise(value), kind);
  }

  /** Like {@link #of} for untrusted input: a wrong INS is a checked, typed refusal. */
  public static Ins parse(String value, InsKind kind) throws InvalidInsException {
    Objects.requireNonNull(kind, "kind");
    String v = normalise(value);
    InvalidInsException problem = InsKey.problem(v);
    if (problem != null) {
      throw problem;
    }
    return new Ins(v, kind);
  }

  /** An INS and the OID of its assigning authority (as in a CDA {@code id root/extension}). */
  public static Ins parse(String value, String oid) throws InvalidInsException {
    InsKind kind = InsKind.fromOid(oid == null ? "" : oid.strip()).orElseThrow(() -> new InvalidInsException(
        Reason.UNKNOWN_OID, "'" + oid + "' is not an INS assigning authority (expected one of "
            + java.util.Arrays.stream(InsKind.values()).map(InsKind::oid).toList() + ")"));
    return parse(value, kind);
  }

  /**
   * Parses the HL7 CX form XDM metadata carries, {@code 248039263001064^^^&1.2.250.1.213.1.4.10&ISO^NH}.
   * The identifier type code may be absent; when present it must be {@code NH}.
   */
  public static Ins parseCx(String cx) throws InvalidInsException {
    if (cx == null || cx.isBlank()) {
      throw new InvalidInsException(Reason.MISSING, "patient identifier (CX) is missing");
    }
    String[] components = cx.strip().split("\\^", -1);
    if (components.length < 4 || components.length > 5) {
      throw malformed("expected 4 or 5 '^'-separated components, got " + components.length);
    }
    if (!components[1].isEmpty() || !components[2].isEmpty()) {
      throw malformed("components 2 and 3 (check digit, its scheme) must be empty");
    }
    String[] authority = components[3].split("&", -1);
    if (authority.length != 3 || !authority[2].equals("ISO") || authority[1].isEmpty()) {
      throw malformed("the assigning authority must be '&<OID>&ISO'");
    }
    if (components.length == 5 && !components[4].isEmpty() && !components[4].equals(CX_TYPE_CODE)) {
      throw malformed("identifier type code must be " + CX_TYPE_CODE + " for an INS, got '" + components[4] + "'");
    }
    return parse(components[0], authority[1]);
  }

  /** The HL7 CX form for XDM {@code patientId}: {@code <INS>^^^&<OID>&ISO^NH}. */
  public String toCx() {
    return value + "^^^&" + kind.oid() + "&ISO^" + CX_TYPE_CODE;
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

  private static String normalise(String value) {
    return value == null ? null : value.strip().toUpperCase(Locale.ROOT);
  }

  private static InvalidInsException malformed(String why) {
    // The CX itself is not quoted: it carries the patient identifier.
    return new InvalidInsException(Reason.MALFORMED_CX, "patient identifier is not an INS in CX form (INS^^^&OID&ISO^NH): " + why);
  }
}
