package org.pont.tracking;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The error of an ANS integration acknowledgement, as it travels in the MDN disposition modifier
 * {@code Error: <code>^<label>}. The label is the receiver's own text; {@link #known()} maps the
 * code to the 900–906 range when it is in it.
 */
public record IntegrationError(int code, String label) {
  private static final Pattern MODIFIER = Pattern.compile("(?i)error\\s*:\\s*(\\d{3})\\s*(?:\\^(.*))?", Pattern.DOTALL);

  public IntegrationError {
    Objects.requireNonNull(label, "label");
    if (code < 100 || code > 999) {
      throw new IllegalArgumentException("integration error code must have three digits: " + code);
    }
    if (label.contains("\r") || label.contains("\n")) {
      throw new IllegalArgumentException("integration error label must be one line: '" + label + "'");
    }
  }

  /** The error with Pont's default label for the code. */
  public static IntegrationError of(IntegrationErrorCode code) {
    return new IntegrationError(code.code(), code.label());
  }

  public Optional<IntegrationErrorCode> known() {
    return IntegrationErrorCode.of(code);
  }

  /** The disposition modifier, e.g. {@code Error: 902^Patient inconnu}. */
  public String modifier() {
    return "Error: " + code + "^" + label;
  }

  /** Reads a modifier such as {@code Error: 902^Patient inconnu}; empty if it is not one. */
  public static Optional<IntegrationError> fromModifier(String modifier) {
    Matcher m = MODIFIER.matcher(modifier.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    String label = m.group(2) == null ? "" : m.group(2).strip();
    return Optional.of(new IntegrationError(Integer.parseInt(m.group(1)), label));
  }

  @Override
  public String toString() {
    return modifier();
  }
}
