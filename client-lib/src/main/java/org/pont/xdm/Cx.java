package org.pont.xdm;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HL7 v2 CX for XDS patient identifiers, just enough for XDM: {@code id^^^&oid&ISO[^type]}.
 * TODO(lead): unify with the INS CX parsing being added to org.pont.message.Ins.
 */
final class Cx {
  private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");

  private Cx() {}

  static boolean isOid(String s) {
    return OID.matcher(s).matches();
  }

  static boolean hasDelimiter(String s) {
    return s.chars().anyMatch(c -> c == '^' || c == '&' || c == '|' || c == '~' || c == '\\');
  }

  static String format(PatientId p) {
    return p.id() + "^^^&" + p.assigningAuthority() + "&ISO" + p.identifierTypeCode().map(t -> "^" + t).orElse("");
  }

  static PatientId parse(String cx) {
    if (cx == null || cx.isBlank()) {
      throw new IllegalArgumentException("patient id is empty");
    }
    String[] components = cx.strip().split("\\^", -1);
    if (components.length < 4) {
      throw new IllegalArgumentException("patient id is not an HL7 CX value (id^^^&oid&ISO)");
    }
    String[] authority = components[3].split("&", -1);
    if (authority.length < 2 || authority[1].isBlank()) {
      throw new IllegalArgumentException("patient id names no assigning authority OID (id^^^&oid&ISO)");
    }
    if (authority.length >= 3 && !authority[2].isEmpty() && !authority[2].equals("ISO")) {
      throw new IllegalArgumentException("patient id assigning authority type is '" + authority[2] + "', not ISO");
    }
    Optional<String> type = components.length > 4 ? Text.optional(components[4]) : Optional.empty();
    return new PatientId(components[0], authority[1], type);
  }
}
