package org.pont.message;

/** Administrative sex as CDA and XDM carry it (HL7 AdministrativeGender: F, M, U). */
public enum Sex {
  FEMALE("F"),
  MALE("M"),
  UNKNOWN("U");

  private final String code;

  Sex(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Sex fromCode(String code) {
    for (Sex s : values()) {
      if (s.code.equalsIgnoreCase(code)) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
