package org.pont.cda;

import java.util.Objects;
import java.util.Optional;
import org.pont.message.DocumentType;

/** A coded value (HL7 CD/CE): code, code system OID and, optionally, the label people read. */
public record CdaCode(String code, String codeSystem, Optional<String> displayName) {

  /** HL7 Confidentiality, "N" (normal): the default for documents shared through MSSanté. */
  public static final CdaCode CONFIDENTIALITY_NORMAL = of("N", "2.16.840.1.113883.5.25", "Normal");
  /** JDV_J02 healthcare facility type: public hospital. */
  public static final CdaCode FACILITY_PUBLIC_HOSPITAL = of("SA01", "1.2.250.1.71.4.2.4", "Etablissement public de santé");
  /** JDV_J02 healthcare facility type: health centre. */
  public static final CdaCode FACILITY_HEALTH_CENTRE = of("SA05", "1.2.250.1.71.4.2.4", "Centre de santé");
  /** JDV_J02 healthcare facility type: individual practice. */
  public static final CdaCode FACILITY_INDIVIDUAL_PRACTICE = of("SA07", "1.2.250.1.71.4.2.4", "Cabinet individuel");
  /** JDV_J04 practice setting: a healthcare establishment. */
  public static final CdaCode PRACTICE_HOSPITAL = of("ETABLISSEMENT", "1.2.250.1.213.1.1.4.9", "Etablissement de santé");
  /** JDV_J04 practice setting: outpatient / private practice. */
  public static final CdaCode PRACTICE_AMBULATORY = of("AMBULATOIRE", "1.2.250.1.213.1.1.4.9", "Ambulatoire");

  public CdaCode {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(codeSystem, "codeSystem");
    Objects.requireNonNull(displayName, "displayName");
    if (code.isBlank() || codeSystem.isBlank()) {
      throw new IllegalArgumentException("a code needs a code and a code system");
    }
  }

  public static CdaCode of(String code, String codeSystem, String displayName) {
    return new CdaCode(code, codeSystem, Optional.ofNullable(displayName).filter(d -> !d.isBlank()));
  }

  public static CdaCode of(String code, String codeSystem) {
    return new CdaCode(code, codeSystem, Optional.empty());
  }

  /** The code of a document type as it appears in the CDA {@code code} element. */
  public static CdaCode of(DocumentType type) {
    return of(type.code(), type.codeSystem(), type.label());
  }
}
