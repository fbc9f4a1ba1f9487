package org.pont.gateway.directory;

import java.util.Locale;
import java.util.Objects;

/**
 * A national identifier of a professional or organisation.
 *
 * @param kind which register issued it
 * @param value the identifier as issued (e.g. an 11-digit RPPS number)
 */
public record Identifier(Kind kind, String value) {
  /** The registers Pont knows; {@code OTHER} for local or unknown identifier systems. */
  public enum Kind { RPPS, ADELI, FINESS, SIRET, SIREN, OTHER }

  public Identifier {
    Objects.requireNonNull(kind, "kind");
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("identifier value must not be blank");
    }
    value = value.strip();
  }

  /** {@code RPPS:10001234567}: the key the directory index stores entries under. */
  public String key() {
    return kind + ":" + value;
  }

  /**
   * The kind for a "Type d'identifiant PP" code of the ANS extractions (8 = RPPS, 0 = ADELI;
   * the national identifier is then prefixed with that digit) or a name such as {@code FINESS}.
   */
  public static Kind kindOf(String code) {
    String c = code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
    return switch (c) {
      case "8", "RPPS" -> Kind.RPPS;
      case "0", "ADELI" -> Kind.ADELI;
      case "FINESS", "1", "3" -> Kind.FINESS;
      case "SIRET", "5" -> Kind.SIRET;
      case "SIREN", "2" -> Kind.SIREN;
      default -> Kind.OTHER;
    };
  }
}
