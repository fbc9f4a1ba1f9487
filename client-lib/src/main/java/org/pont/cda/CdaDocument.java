package org.pont.cda;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pont.message.DocumentType;

/**
 * What {@link CdaReader} reads from a CI-SIS CDA R2 document: the header and the body.
 *
 * @param code the document type code (LOINC, or an ANS TRE code such as PRESC-KINE)
 * @param templateIds the document-level templateIds (CI-SIS, content model and version)
 * @param id the document's unique id
 * @param effectiveTime when the document was created
 * @param setId the id shared by all versions of the document
 * @param versionNumber the version of this document within its set
 * @param healthcareFacilityType the JDV_J02 code of the care setting (encompassingEncounter location), when given
 * @param practiceSetting the JDV_J04 code of the practice (serviceEvent performer organisation), when given
 */
public record CdaDocument(
    CdaCode code,
    List<InstanceId> templateIds,
    InstanceId id,
    String title,
    OffsetDateTime effectiveTime,
    CdaCode confidentiality,
    Optional<String> languageCode,
    Optional<InstanceId> setId,
    Optional<Integer> versionNumber,
    CdaPatient patient,
    List<Author> authors,
    Organization custodian,
    Optional<CdaCode> healthcareFacilityType,
    Optional<CdaCode> practiceSetting,
    CdaBody body) {

  public CdaDocument {
    Objects.requireNonNull(code, "code");
    templateIds = List.copyOf(templateIds);
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(effectiveTime, "effectiveTime");
    Objects.requireNonNull(confidentiality, "confidentiality");
    Objects.requireNonNull(languageCode, "languageCode");
    Objects.requireNonNull(setId, "setId");
    Objects.requireNonNull(versionNumber, "versionNumber");
    Objects.requireNonNull(patient, "patient");
    authors = List.copyOf(authors);
    Objects.requireNonNull(custodian, "custodian");
    Objects.requireNonNull(healthcareFacilityType, "healthcareFacilityType");
    Objects.requireNonNull(practiceSetting, "practiceSetting");
    Objects.requireNonNull(body, "body");
    if (authors.isEmpty()) {
      throw new IllegalArgumentException("a CDA document has at least one author");
    }
  }

  /** The Pont document type when the code is one Pont knows. */
  public Optional<DocumentType> documentType() {
    return DocumentType.byCode(code.code()).filter(t -> t.codeSystem().equals(code.codeSystem()));
  }

  /** True for a level-1 document (embedded file). */
  public boolean isLevel1() {
    return body instanceof CdaBody.NonXmlBody;
  }

  public boolean hasTemplate(String root) {
    return templateIds.stream().anyMatch(t -> t.root().equals(root));
  }

  @Override
  public String toString() {
    return "CdaDocument[" + code.code() + " " + id + ", " + body + "]";
  }
}
