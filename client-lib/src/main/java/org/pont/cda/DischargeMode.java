package org.pont.cda;

/** Where the patient went at the end of the stay (ANS JDV_ModaliteSortie_CISIS), entry FR-Modalite-sortie of a discharge letter. */
public enum DischargeMode {
  HOME(CdaCode.of("160849004", DocumentStatus.SNOMED_CT, "retour au domicile")),
  REHABILITATION_FACILITY(CdaCode.of("109", "1.2.250.1.213.1.6.1.8", "Etablissement de santé privé autorisé en SSR")),
  HOSPITAL_AT_HOME(CdaCode.of("127", "1.2.250.1.213.1.6.1.8", "Hospitalisation à Domicile")),
  NURSING_HOME(CdaCode.of("500", "1.2.250.1.213.1.6.1.8", "Etablissement d'hébergement pour personnes âgées dépendantes")),
  OTHER_HOSPITAL(CdaCode.of("GEN-092.06.01", "1.2.250.1.213.1.1.4.322", "Autre établissement de santé")),
  OTHER(CdaCode.of("GEN-092.06.03", "1.2.250.1.213.1.1.4.322", "Autre destination"));

  private final CdaCode code;

  DischargeMode(CdaCode code) {
    this.code = code;
  }

  public CdaCode code() {
    return code;
  }
}
