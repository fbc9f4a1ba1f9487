package org.pont.cda;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pont.message.Ins;
import org.pont.message.Patient;
import org.pont.message.Sex;

/**
 * The patient as a CDA header names them ({@code recordTarget/patientRole}).
 *
 * @param ids every id given (INS, local IPP...), as written
 * @param ins the INS when one of the ids has an INS OID and a valid key
 * @param familyName the birth family name (qualifier BR), else the first family name
 * @param givenNames the birth given names, in order
 * @param usedFamilyName the name used day to day (qualifier CL) when given
 * @param usedGivenName the given name used day to day (qualifier CL) when given
 */
public record CdaPatient(
    List<InstanceId> ids,
    Optional<Ins> ins,
    Optional<String> familyName,
    List<String> givenNames,
    Optional<String> usedFamilyName,
    Optional<String> usedGivenName,
    Optional<LocalDate> birthDate,
    Sex sex) {

  public CdaPatient {
    ids = List.copyOf(ids);
    Objects.requireNonNull(ins, "ins");
    Objects.requireNonNull(familyName, "familyName");
    givenNames = List.copyOf(givenNames);
    Objects.requireNonNull(usedFamilyName, "usedFamilyName");
    Objects.requireNonNull(usedGivenName, "usedGivenName");
    Objects.requireNonNull(birthDate, "birthDate");
    Objects.requireNonNull(sex, "sex");
  }

  /** The message-model patient, when the document carries what MSSanté needs (INS, name, birth date). */
  public Optional<Patient> toPatient() {
    if (ins.isEmpty() || familyName.isEmpty() || birthDate.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Patient(ins.get(), familyName.get(), givenNames, birthDate.get(), sex));
  }

  @Override
  public String toString() {
    // No identity traits in logs: only the (masked) INS and how many ids came with it.
    return "CdaPatient[" + ins.map(Ins::toString).orElse("no INS") + ", " + ids.size() + " ids]";
  }
}
