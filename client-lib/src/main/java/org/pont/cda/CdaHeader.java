package org.pont.cda;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import org.pont.message.DocumentType;
import org.pont.message.Patient;

/**
 * What every CI-SIS CDA header built by Pont says: the document's type and identity, the patient
 * (identified by INS), the author and the custodian organisation, and the care context that XDM
 * metadata is later derived from (facility type, practice setting, period of care).
 * Built with {@link #builder(DocumentType)}.
 *
 * @param healthcareFacilityType JDV_J02 code (XDS healthcareFacilityTypeCode), e.g. {@link CdaCode#FACILITY_PUBLIC_HOSPITAL}
 * @param practiceSetting JDV_J04 code (XDS practiceSettingCode), e.g. {@link CdaCode#PRACTICE_HOSPITAL}
 * @param careperiod the act or stay the document reports on (documentationOf/serviceEvent and the encounter)
 */
public record CdaHeader(
    DocumentType type,
    String title,
    InstanceId id,
    InstanceId setId,
    int versionNumber,
    OffsetDateTime effectiveTime,
    CdaCode confidentiality,
    String languageCode,
    Patient patient,
    Author author,
    Organization custodian,
    CdaCode healthcareFacilityType,
    CdaCode practiceSetting,
    TimeRange careperiod) {

  public CdaHeader {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(setId, "setId");
    Objects.requireNonNull(effectiveTime, "effectiveTime");
    Objects.requireNonNull(confidentiality, "confidentiality");
    Objects.requireNonNull(languageCode, "languageCode");
    Objects.requireNonNull(patient, "patient");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(custodian, "custodian");
    Objects.requireNonNull(healthcareFacilityType, "healthcareFacilityType");
    Objects.requireNonNull(practiceSetting, "practiceSetting");
    Objects.requireNonNull(careperiod, "careperiod");
    if (versionNumber < 1) {
      throw new IllegalArgumentException("versionNumber starts at 1");
    }
    if (title.isBlank()) {
      throw new IllegalArgumentException("a document needs a title");
    }
    if (author.name().isEmpty()) {
      throw new IllegalArgumentException("the author needs a name: CI-SIS documents are authored by a person");
    }
  }

  public static Builder builder(DocumentType type) {
    return new Builder(type);
  }

  /** Collects a header; defaults: title = type label, new random id and setId, version 1, confidentiality N, fr-FR. */
  public static final class Builder {
    private final DocumentType type;
    private String title;
    private InstanceId id;
    private InstanceId setId;
    private int versionNumber = 1;
    private OffsetDateTime effectiveTime;
    private CdaCode confidentiality = CdaCode.CONFIDENTIALITY_NORMAL;
    private String languageCode = "fr-FR";
    private Patient patient;
    private Author author;
    private Organization custodian;
    private CdaCode healthcareFacilityType;
    private CdaCode practiceSetting;
    private TimeRange careperiod;

    private Builder(DocumentType type) {
      this.type = Objects.requireNonNull(type, "type");
    }

    public Builder title(String title) {
      this.title = title;
      return this;
    }

    public Builder id(InstanceId id) {
      this.id = id;
      return this;
    }

    /** A new version of an earlier document: same set id, next version number. */
    public Builder version(InstanceId setId, int versionNumber) {
      this.setId = setId;
      this.versionNumber = versionNumber;
      return this;
    }

    public Builder effectiveTime(OffsetDateTime effectiveTime) {
      this.effectiveTime = effectiveTime;
      return this;
    }

    public Builder confidentiality(CdaCode confidentiality) {
      this.confidentiality = confidentiality;
      return this;
    }

    public Builder languageCode(String languageCode) {
      this.languageCode = languageCode;
      return this;
    }

    public Builder patient(Patient patient) {
      this.patient = patient;
      return this;
    }

    public Builder author(Author author) {
      this.author = author;
      return this;
    }

    public Builder custodian(Organization custodian) {
      this.custodian = custodian;
      return this;
    }

    public Builder healthcareFacilityType(CdaCode code) {
      this.healthcareFacilityType = code;
      return this;
    }

    public Builder practiceSetting(CdaCode code) {
      this.practiceSetting = code;
      return this;
    }

    /** The act or stay reported on; defaults to the document's creation time. */
    public Builder careperiod(TimeRange careperiod) {
      this.careperiod = careperiod;
      return this;
    }

    /** @throws IllegalStateException naming the first missing part */
    public CdaHeader build() {
      require(effectiveTime, "effectiveTime");
      require(patient, "patient");
      require(author, "author");
      require(custodian, "custodian");
      require(healthcareFacilityType, "healthcareFacilityType");
      require(practiceSetting, "practiceSetting");
      return new CdaHeader(type, Optional.ofNullable(title).orElse(type.label()), Optional.ofNullable(id).orElseGet(InstanceId::random),
          Optional.ofNullable(setId).orElseGet(InstanceId::random), versionNumber, effectiveTime, confidentiality, languageCode,
          patient, author, custodian, healthcareFacilityType, practiceSetting,
          Optional.ofNullable(careperiod).orElseGet(() -> TimeRange.startingAt(effectiveTime)));
    }

    private static void require(Object value, String name) {
      if (value == null) {
        throw new IllegalStateException("a CDA header needs " + name + ": call " + name + "(...)");
      }
    }
  }
}
