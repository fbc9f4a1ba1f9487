package org.pont.cda;

/** Where a document stands (ANS JDV_StatutDoc_CISIS, SNOMED CT), e.g. a discharge letter sent before the stay report is final. */
public enum DocumentStatus {
  IN_PROGRESS("385651009", "en cours d'exécution"),
  DONE("398166005", "réalisé"),
  APPROVED("9571008", "approuvé"),
  CLOSED("29179001", "clôturé");

  static final String SNOMED_CT = "2.16.840.1.113883.6.96";

  private final String code;
  private final String label;

  DocumentStatus(String code, String label) {
    this.code = code;
    this.label = label;
  }

  public CdaCode code() {
    return CdaCode.of(code, SNOMED_CT, label);
  }

  public String label() {
    return label;
  }
}
