package org.pont.message;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The one patient a coordination message is about (MSSanté: one patient per message), identified
 * by INS with the identity traits that go with it.
 */
public record Patient(Ins ins, String familyName, List<String> givenNames, LocalDate birthDate, Sex sex) {

  public Patient {
    Objects.requireNonNull(ins, "ins");
    Objects.requireNonNull(familyName, "familyName");
    Objects.requireNonNull(birthDate, "birthDate");
    Objects.requireNonNull(sex, "sex");
    givenNames = List.copyOf(givenNames);
    if (familyName.isBlank()) {
      throw new IllegalArgumentException("patient family name is empty");
    }
  }

  /** The first given name, as the MSSanté subject convention shows it. */
  public String firstGivenName() {
    return givenNames.isEmpty() ? "" : givenNames.get(0);
  }

  @Override
  public String toString() {
    return "Patient[" + ins + "]"; // no identity traits in logs
  }
}
