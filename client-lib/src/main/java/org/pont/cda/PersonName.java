package org.pont.cda;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A professional's name as CDA carries it (prefix such as "M"/"MME", suffix such as "DR"). */
public record PersonName(Optional<String> prefix, List<String> givenNames, String familyName, Optional<String> suffix) {

  public PersonName {
    Objects.requireNonNull(prefix, "prefix");
    givenNames = List.copyOf(givenNames);
    Objects.requireNonNull(familyName, "familyName");
    Objects.requireNonNull(suffix, "suffix");
  }

  public static PersonName of(String given, String family) {
    return new PersonName(Optional.empty(), List.of(given), family, Optional.empty());
  }

  /** e.g. {@code PersonName.of("M", "Charles", "DAVID", "DR")}. */
  public static PersonName of(String prefix, String given, String family, String suffix) {
    return new PersonName(Optional.ofNullable(prefix), List.of(given), family, Optional.ofNullable(suffix));
  }

  /** "DR Charles DAVID" style, for display. */
  public String display() {
    StringBuilder b = new StringBuilder();
    suffix.ifPresent(s -> b.append(s).append(' '));
    givenNames.forEach(g -> b.append(g).append(' '));
    return b.append(familyName).toString().strip();
  }
}
