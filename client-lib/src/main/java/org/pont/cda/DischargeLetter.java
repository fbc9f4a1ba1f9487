package org.pont.cda;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pont.message.DocumentType;
import org.w3c.dom.Element;

/**
 * The discharge letter LDL-SES (lettre de liaison à la sortie d'un établissement de soins,
 * LOINC 11490-0, CI-SIS content model 1.2.250.1.213.1.1.1.29 version 2022.01) as a structured
 * level-3 document, with the sections the ANS schematron makes mandatory — document status,
 * reason for the stay, stay summary (events), medications at discharge — and optional ones.
 * Narrative is the caller's plain text, one paragraph per line. Coded entries: the document
 * status and the admission and discharge modes (value sets checked by the ANS schematrons); other
 * entries of the ANS model (coded medications, allergies, devices) are not generated.
 */
public record DischargeLetter(
    CdaHeader header,
    DocumentStatus status,
    AdmissionMode admissionMode,
    DischargeMode dischargeMode,
    String reasonForStay,
    String staySummary,
    String dischargeMedications,
    Optional<String> medicationsDuringStay,
    Optional<String> pendingResults,
    Optional<String> followUp) implements BuiltCda {

  public static final String TEMPLATE = "1.2.250.1.213.1.1.1.29";
  public static final String TEMPLATE_VERSION = "2022.01";

  public DischargeLetter {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(admissionMode, "admissionMode");
    Objects.requireNonNull(dischargeMode, "dischargeMode");
    requireText(reasonForStay, "reasonForStay");
    requireText(staySummary, "staySummary");
    requireText(dischargeMedications, "dischargeMedications");
    Objects.requireNonNull(medicationsDuringStay, "medicationsDuringStay");
    Objects.requireNonNull(pendingResults, "pendingResults");
    Objects.requireNonNull(followUp, "followUp");
    if (!header.type().equals(DocumentType.DISCHARGE_LETTER)) {
      throw new IllegalArgumentException("a discharge letter header has type " + DocumentType.DISCHARGE_LETTER.code()
          + ", not " + header.type().code());
    }
    if (header.careperiod().end().isEmpty()) {
      throw new IllegalArgumentException("a discharge letter reports a finished stay: give the careperiod an end (discharge time)");
    }
  }

  public static Builder builder(CdaHeader header) {
    return new Builder(header);
  }

  /** The document as UTF-8 XML bytes. */
  public byte[] toXml() {
    CdaWriter w = new CdaWriter();
    w.header(header, List.of(InstanceId.of(CdaWriter.CI_SIS_HL7_FRANCE), InstanceId.of(CdaWriter.CI_SIS),
        InstanceId.of(TEMPLATE, TEMPLATE_VERSION)));
    Element body = w.add(w.add(w.root, "component"), "structuredBody");

    Element statusSection = section(w, body, List.of("1.2.250.1.213.1.1.2.35", "1.2.250.1.213.1.1.2.35.1"),
        "33557-0", "Etat d'achèvement", "Statut du document", null);
    Element statusText = w.add(statusSection, "text");
    w.attrs(w.add(statusText, "content", status.label()), "ID", "statutDoc");
    statusEntry(w, statusSection);

    section(w, body, List.of("1.3.6.1.4.1.19376.1.5.3.1.3.1", "1.2.250.1.213.1.1.2.127"),
        "42349-1", "Raison de la recommandation", "Motif de l'hospitalisation", reasonForStay);
    Element events = section(w, body, List.of("1.3.6.1.4.1.19376.1.5.3.1.1.21.2.9", "1.3.6.1.4.1.19376.1.7.3.1.1.13.7",
            "1.2.250.1.213.1.1.2.163", "1.2.250.1.213.1.1.2.163.1"),
        "42545-4", "Evènements observés", "Synthèse médicale du séjour", null);
    Element eventsText = w.add(events, "text");
    Element admission = w.add(eventsText, "paragraph", "Modalité d'entrée : ");
    w.attrs(w.add(admission, "content", admissionMode.code().displayName().orElseThrow()), "ID", "modaliteEntree");
    Element discharge = w.add(eventsText, "paragraph", "Modalité de sortie : ");
    w.attrs(w.add(discharge, "content", dischargeMode.code().displayName().orElseThrow()), "ID", "modaliteSortie");
    w.narrative(eventsText, staySummary);
    simpleObservation(w, events, "1.2.250.1.213.1.1.3.48.6", "ORG-070", "Modalité d'entrée", "#modaliteEntree",
        header.careperiod().start(), admissionMode.code());
    simpleObservation(w, events, "1.2.250.1.213.1.1.3.48.7", "ORG-074", "Modalité de sortie", "#modaliteSortie",
        header.careperiod().end().orElseThrow(), dischargeMode.code());
    medicationsDuringStay.ifPresent(t -> section(w, body, List.of("1.3.6.1.4.1.19376.1.5.3.1.3.21", "1.2.250.1.213.1.1.2.145"),
        "18610-6", "Traitements administrés", "Traitements administrés durant le séjour", t));
    section(w, body, List.of("1.3.6.1.4.1.19376.1.5.3.1.3.22", "1.2.250.1.213.1.1.2.146"),
        "10183-2", "Traitements à la sortie", "Traitements à la sortie", dischargeMedications);
    pendingResults.ifPresent(t -> section(w, body, List.of("1.3.6.1.4.1.19376.1.5.3.1.3.27", "1.2.250.1.213.1.1.2.150"),
        "30954-2", "Résultats d'examens", "Résultats d'examens / Autres informations attendus", t));
    followUp.ifPresent(t -> section(w, body, List.of("2.16.840.1.113883.10.20.1.10", "1.3.6.1.4.1.19376.1.5.3.1.3.36",
            "1.2.250.1.213.1.1.2.158"),
        "18776-5", "Plan de soins", "Suites à donner", t));
    return w.toBytes();
  }

  private static Element section(CdaWriter w, Element body, List<String> templates, String loinc, String codeLabel,
      String title, String narrative) {
    Element section = w.add(w.add(body, "component"), "section");
    templates.forEach(t -> w.templateId(section, t));
    w.id(section, "id", InstanceId.random());
    w.code(section, "code", CdaCode.of(loinc, CdaWriter.LOINC, codeLabel));
    w.add(section, "title", title);
    if (narrative != null) {
      w.narrative(w.add(section, "text"), narrative);
    }
    return section;
  }

  private void statusEntry(CdaWriter w, Element section) {
    Element obs = simpleObservation(w, section, "1.2.250.1.213.1.1.3.48.16", "GEN-065", "Statut du document", "#statutDoc",
        header.effectiveTime(), status.code());
    // The status entry has a second, document-specific template (FR-Statut-document-LDL-SES).
    obs.insertBefore(templateIdElement(w, "1.2.250.1.213.1.1.3.48.16.1"), CdaXml.child(obs, "id").orElseThrow());
  }

  private static Element templateIdElement(CdaWriter w, String root) {
    Element t = w.doc.createElementNS(CdaXml.HL7, "templateId");
    t.setAttribute("root", root);
    return t;
  }

  /** A CI-SIS simple observation (IHE PCC 1.3.6.1.4.1.19376.1.5.3.1.4.13) with a coded value pointing at its narrative. */
  private static Element simpleObservation(CdaWriter w, Element section, String template, String code, String label,
      String narrativeRef, java.time.OffsetDateTime when, CdaCode value) {
    Element obs = w.attrs(w.add(w.add(section, "entry"), "observation"), "classCode", "OBS", "moodCode", "EVN");
    for (String t : List.of("1.3.6.1.4.1.19376.1.5.3.1.4.13", "1.2.250.1.213.1.1.3.48", template)) {
      w.templateId(obs, t);
    }
    w.id(obs, "id", InstanceId.random());
    w.code(obs, "code", CdaCode.of(code, "1.2.250.1.213.1.1.4.322", label));
    w.attrs(w.add(w.add(obs, "text"), "reference"), "value", narrativeRef);
    w.attrs(w.add(obs, "statusCode"), "code", "completed");
    w.time(obs, "effectiveTime", when);
    w.code(obs, "value", value).setAttributeNS(CdaXml.XSI, "xsi:type", "CD");
    return obs;
  }

  private static void requireText(String text, String name) {
    Objects.requireNonNull(text, name);
    if (text.isBlank()) {
      throw new IllegalArgumentException(name + " is mandatory in a discharge letter and cannot be empty");
    }
  }

  @Override
  public String toString() {
    return "DischargeLetter[" + header.id() + ", " + status + "]"; // narrative is patient data
  }

  /** Collects the sections; {@link #build()} checks the mandatory ones. */
  public static final class Builder {
    private final CdaHeader header;
    private DocumentStatus status = DocumentStatus.DONE;
    private AdmissionMode admissionMode;
    private DischargeMode dischargeMode;
    private String reasonForStay;
    private String staySummary;
    private String dischargeMedications;
    private String medicationsDuringStay;
    private String pendingResults;
    private String followUp;

    private Builder(CdaHeader header) {
      this.header = Objects.requireNonNull(header, "header");
    }

    public Builder status(DocumentStatus status) {
      this.status = status;
      return this;
    }

    /** Modalité d'entrée: how the patient was admitted. */
    public Builder admissionMode(AdmissionMode mode) {
      this.admissionMode = mode;
      return this;
    }

    /** Modalité de sortie: where the patient went. */
    public Builder dischargeMode(DischargeMode mode) {
      this.dischargeMode = mode;
      return this;
    }

    /** Motif de l'hospitalisation. */
    public Builder reasonForStay(String text) {
      this.reasonForStay = text;
      return this;
    }

    /** Synthèse médicale du séjour: events, complications, outcome. */
    public Builder staySummary(String text) {
      this.staySummary = text;
      return this;
    }

    /** Traitements à la sortie; say "Aucun traitement" rather than leaving it out. */
    public Builder dischargeMedications(String text) {
      this.dischargeMedications = text;
      return this;
    }

    public Builder medicationsDuringStay(String text) {
      this.medicationsDuringStay = text;
      return this;
    }

    public Builder pendingResults(String text) {
      this.pendingResults = text;
      return this;
    }

    public Builder followUp(String text) {
      this.followUp = text;
      return this;
    }

    /** @throws IllegalArgumentException naming the first mandatory section left empty */
    public DischargeLetter build() {
      List<String> missing = new ArrayList<>();
      if (admissionMode == null) {
        missing.add("admissionMode");
      }
      if (dischargeMode == null) {
        missing.add("dischargeMode");
      }
      if (reasonForStay == null) {
        missing.add("reasonForStay");
      }
      if (staySummary == null) {
        missing.add("staySummary");
      }
      if (dischargeMedications == null) {
        missing.add("dischargeMedications");
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("a discharge letter needs " + String.join(", ", missing));
      }
      return new DischargeLetter(header, status, admissionMode, dischargeMode, reasonForStay, staySummary, dischargeMedications,
          Optional.ofNullable(medicationsDuringStay), Optional.ofNullable(pendingResults), Optional.ofNullable(followUp));
    }
  }
}
