package org.pont.cda;

/** How the patient came into the stay (ANS JDV_ModaliteEntree_CISIS), entry FR-Modalite-entree of a discharge letter. */
public enum AdmissionMode {
  EMERGENCY(CdaCode.of("183452005", DocumentStatus.SNOMED_CT, "hospitalisation en urgence")),
  PLANNED(CdaCode.of("8715000", DocumentStatus.SNOMED_CT, "hospitalisation programmée")),
  TRANSFER(CdaCode.of("107724000", DocumentStatus.SNOMED_CT, "transfert du patient")),
  OTHER(CdaCode.of("GEN-092.06.07", "1.2.250.1.213.1.1.4.322", "Autre modalité d'entrée"));

  private final CdaCode code;

  AdmissionMode(CdaCode code) {
    this.code = code;
  }

  public CdaCode code() {
    return code;
  }
}
