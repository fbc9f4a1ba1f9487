package org.pont.xdm;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Small argument checks shared by the XDM records. */
final class Text {
  private Text() {}

  static String requireNonBlank(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " is empty");
    }
    return value.strip();
  }

  static Optional<String> optional(String value) {
    return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
  }

  static <T> List<T> list(List<T> values, String field) {
    return List.copyOf(Objects.requireNonNull(values, field));
  }

  /** Keeps the first and last characters only: enough to tell two identifiers apart in a log. */
  static String mask(String value) {
    if (value.length() <= 4) {
      return "*".repeat(value.length());
    }
    return value.charAt(0) + "*".repeat(value.length() - 3) + value.substring(value.length() - 2);
  }
}
