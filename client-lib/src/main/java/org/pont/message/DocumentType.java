package org.pont.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The kind of a clinical document: its type code (LOINC, or an ANS TRE code) with the code
 * system, the XDS classCode, and a French label for people. The constants are the types Pont
 * builds; any other code read from a received document is kept as it came.
 */
public record DocumentType(String code, String codeSystem, String classCode, String label) {

  public static final String LOINC = "2.16.840.1.113883.6.1";
  public static final String TRE_A12 = "1.2.250.1.213.1.1.4.12";

  public static final DocumentType DISCHARGE_LETTER =
      new DocumentType("11490-0", LOINC, "11", "Lettre de liaison à la sortie d'un établissement de soins");
  public static final DocumentType HOSPITAL_STAY_REPORT =
      new DocumentType("34112-3", LOINC, "10", "Compte rendu d'hospitalisation");
  public static final DocumentType ADMISSION_LETTER =
      new DocumentType("18761-7", LOINC, "11", "Lettre de liaison à l'entrée en établissement de soins");
  public static final DocumentType REFERRAL_LETTER =
      new DocumentType("96349-6", LOINC, "11", "Lettre d'adressage");
  public static final DocumentType MEDICATION_PRESCRIPTION =
      new DocumentType("57833-6", LOINC, "42", "Prescription de médicaments");
  public static final DocumentType CARE_PRESCRIPTION =
      new DocumentType("57832-8", LOINC, "42", "Prescription de soins");
  public static final DocumentType PHYSIOTHERAPY_PRESCRIPTION =
      new DocumentType("PRESC-KINE", TRE_A12, "42", "Prescription d'actes de kinésithérapie");

  public static final List<DocumentType> KNOWN = List.of(
      DISCHARGE_LETTER, HOSPITAL_STAY_REPORT, ADMISSION_LETTER, REFERRAL_LETTER,
      MEDICATION_PRESCRIPTION, CARE_PRESCRIPTION, PHYSIOTHERAPY_PRESCRIPTION);

  public DocumentType {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(codeSystem, "codeSystem");
    Objects.requireNonNull(classCode, "classCode");
    Objects.requireNonNull(label, "label");
  }

  /** A known type by its code, e.g. {@code 11490-0} or {@code PRESC-KINE}. */
  public static Optional<DocumentType> byCode(String code) {
    return KNOWN.stream().filter(t -> t.code.equals(code)).findFirst();
  }
}
