package org.pont.xdm;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The XDS DocumentEntry describing one document of an XDM package.
 *
 * <p>{@code uri}, {@code hash} (SHA-1, lower-case hex) and {@code size} describe the bytes in the
 * zip: {@link XdmWriter} computes them from the content and {@link XdmReader} checks them against
 * it, so they are present on every entry of a package read or written; the builder has no setter
 * for them on purpose. Most other attributes are optional because real packages (XDM "limited
 * metadata") omit them; {@link XdmWriter} requires the ones MSSanté receivers need.
 *
 * <p>{@link #toString()} shows no patient data.
 */
public record DocumentEntry(
    String entryUuid,
    String uniqueId,
    String mimeType,
    Optional<String> uri,
    Optional<String> hash,
    OptionalLong size,
    Optional<Code> classCode,
    Optional<Code> typeCode,
    Optional<Code> formatCode,
    List<Code> confidentialityCodes,
    List<Code> eventCodes,
    Optional<Code> healthcareFacilityTypeCode,
    Optional<Code> practiceSettingCode,
    Optional<PatientId> patientId,
    Optional<PatientId> sourcePatientId,
    List<String> sourcePatientInfo,
    Optional<Instant> creationTime,
    List<Author> authors,
    Optional<String> languageCode,
    Optional<String> title) {

  public DocumentEntry {
    entryUuid = Text.requireNonBlank(entryUuid, "entryUuid");
    uniqueId = Text.requireNonBlank(uniqueId, "uniqueId");
    mimeType = Text.requireNonBlank(mimeType, "mimeType");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(classCode, "classCode");
    Objects.requireNonNull(typeCode, "typeCode");
    Objects.requireNonNull(formatCode, "formatCode");
    confidentialityCodes = Text.list(confidentialityCodes, "confidentialityCodes");
    eventCodes = Text.list(eventCodes, "eventCodes");
    Objects.requireNonNull(healthcareFacilityTypeCode, "healthcareFacilityTypeCode");
    Objects.requireNonNull(practiceSettingCode, "practiceSettingCode");
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(sourcePatientId, "sourcePatientId");
    sourcePatientInfo = Text.list(sourcePatientInfo, "sourcePatientInfo");
    Objects.requireNonNull(creationTime, "creationTime");
    authors = Text.list(authors, "authors");
    Objects.requireNonNull(languageCode, "languageCode");
    Objects.requireNonNull(title, "title");
    hash = hash.map(h -> h.toLowerCase(java.util.Locale.ROOT));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this entry's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.entryUuid = entryUuid;
    b.uniqueId = uniqueId;
    b.mimeType = mimeType;
    b.classCode = classCode.orElse(null);
    b.typeCode = typeCode.orElse(null);
    b.formatCode = formatCode.orElse(null);
    b.confidentialityCodes.addAll(confidentialityCodes);
    b.eventCodes.addAll(eventCodes);
    b.healthcareFacilityTypeCode = healthcareFacilityTypeCode.orElse(null);
    b.practiceSettingCode = practiceSettingCode.orElse(null);
    b.patientId = patientId.orElse(null);
    b.sourcePatientId = sourcePatientId.orElse(null);
    b.sourcePatientInfo.addAll(sourcePatientInfo);
    b.creationTime = creationTime.orElse(null);
    b.authors.addAll(authors);
    b.languageCode = languageCode.orElse(null);
    b.title = title.orElse(null);
    return b;
  }

  /** This entry placed in a zip: the URI of its file, the SHA-1 and size of its bytes. */
  DocumentEntry located(String uri, String sha1Hex, long size) {
    return new DocumentEntry(entryUuid, uniqueId, mimeType, Optional.of(uri), Optional.of(sha1Hex), OptionalLong.of(size),
        classCode, typeCode, formatCode, confidentialityCodes, eventCodes, healthcareFacilityTypeCode,
        practiceSettingCode, patientId, sourcePatientId, sourcePatientInfo, creationTime, authors, languageCode, title);
  }

  @Override
  public String toString() {
    return "DocumentEntry[" + uniqueId + " " + mimeType + typeCode.map(c -> " type " + c.code()).orElse("")
        + uri.map(u -> " " + u).orElse("") + (size.isPresent() ? " " + size.getAsLong() + " bytes" : "")
        + " " + patientId.map(PatientId::toString).orElse("no patient") + "]";
  }

  /**
   * Builds the metadata of a document to write. {@code entryUuid} defaults to a fresh UUID and
   * {@code uniqueId} to a fresh 2.25 OID; for a CDA document pass the CDA id instead
   * ({@code root} or {@code root^extension}).
   */
  public static final class Builder {
    private String entryUuid = Oids.newEntryUuid();
    private String uniqueId = Oids.fromRandomUuid();
    private String mimeType;
    private Code classCode;
    private Code typeCode;
    private Code formatCode;
    private final List<Code> confidentialityCodes = new ArrayList<>();
    private final List<Code> eventCodes = new ArrayList<>();
    private Code healthcareFacilityTypeCode;
    private Code practiceSettingCode;
    private PatientId patientId;
    private PatientId sourcePatientId;
    private final List<String> sourcePatientInfo = new ArrayList<>();
    private Instant creationTime;
    private final List<Author> authors = new ArrayList<>();
    private String languageCode;
    private String title;

    private Builder() {}

    public Builder entryUuid(String v) {
      entryUuid = v;
      return this;
    }

    public Builder uniqueId(String v) {
      uniqueId = v;
      return this;
    }

    public Builder mimeType(String v) {
      mimeType = v;
      return this;
    }

    public Builder classCode(Code v) {
      classCode = v;
      return this;
    }

    public Builder typeCode(Code v) {
      typeCode = v;
      return this;
    }

    public Builder formatCode(Code v) {
      formatCode = v;
      return this;
    }

    public Builder confidentialityCode(Code v) {
      confidentialityCodes.add(Objects.requireNonNull(v, "confidentialityCode"));
      return this;
    }

    public Builder eventCode(Code v) {
      eventCodes.add(Objects.requireNonNull(v, "eventCode"));
      return this;
    }

    public Builder healthcareFacilityTypeCode(Code v) {
      healthcareFacilityTypeCode = v;
      return this;
    }

    public Builder practiceSettingCode(Code v) {
      practiceSettingCode = v;
      return this;
    }

    public Builder patientId(PatientId v) {
      patientId = v;
      return this;
    }

    public Builder sourcePatientId(PatientId v) {
      sourcePatientId = v;
      return this;
    }

    /** One HL7 v2 PID field, e.g. {@code PID-5|DUPONT^Marie^^^^^L}. */
    public Builder sourcePatientInfo(String pidField) {
      sourcePatientInfo.add(Text.requireNonBlank(pidField, "sourcePatientInfo"));
      return this;
    }

    public Builder creationTime(Instant v) {
      creationTime = v;
      return this;
    }

    public Builder author(Author v) {
      authors.add(Objects.requireNonNull(v, "author"));
      return this;
    }

    /** An RFC 5646 tag, e.g. {@code fr-FR}. */
    public Builder languageCode(String v) {
      languageCode = v;
      return this;
    }

    public Builder title(String v) {
      title = v;
      return this;
    }

    public DocumentEntry build() {
      return new DocumentEntry(entryUuid, uniqueId, mimeType, Optional.empty(), Optional.empty(), OptionalLong.empty(),
          Optional.ofNullable(classCode), Optional.ofNullable(typeCode), Optional.ofNullable(formatCode),
          confidentialityCodes, eventCodes, Optional.ofNullable(healthcareFacilityTypeCode),
          Optional.ofNullable(practiceSettingCode), Optional.ofNullable(patientId), Optional.ofNullable(sourcePatientId),
          sourcePatientInfo, Optional.ofNullable(creationTime).map(t -> t.truncatedTo(ChronoUnit.SECONDS)),
          authors, Text.optional(languageCode), Text.optional(title));
    }
  }
}
