package org.pont.xdm;

import java.util.Objects;
import java.util.Optional;

/**
 * A coded value of XDS metadata (classCode, typeCode, formatCode...): the code, the coding scheme
 * it comes from (an OID in the French CI-SIS, a name in some US samples) and an optional label.
 */
public record Code(String code, String scheme, Optional<String> displayName) {

  public Code {
    code = Text.requireNonBlank(code, "code");
    scheme = Text.requireNonBlank(scheme, "scheme");
    Objects.requireNonNull(displayName, "displayName");
  }

  public static Code of(String code, String scheme) {
    return new Code(code, scheme, Optional.empty());
  }

  public static Code of(String code, String scheme, String displayName) {
    return new Code(code, scheme, Text.optional(displayName));
  }
}
