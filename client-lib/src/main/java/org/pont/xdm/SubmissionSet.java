package org.pont.xdm;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The XDS SubmissionSet of an XDM package: who sent what, when, about which patient, for whom.
 *
 * @param entryUuid the ebRIM id of the RegistryPackage ({@code urn:uuid:...} when Pont writes it)
 * @param uniqueId the submission set's OID
 * @param sourceId the OID of the sending system
 * @param submissionTime when the package was made (XDS keeps seconds, in UTC)
 * @param intendedRecipients XON|XCN|XTN values, e.g. {@code ||^^Internet^dr.martin@cabinet.mssante.fr}
 */
public record SubmissionSet(
    String entryUuid,
    String uniqueId,
    String sourceId,
    Instant submissionTime,
    Optional<Code> contentTypeCode,
    Optional<PatientId> patientId,
    List<Author> authors,
    List<String> intendedRecipients,
    Optional<String> title) {

  public SubmissionSet {
    entryUuid = Text.requireNonBlank(entryUuid, "entryUuid");
    uniqueId = Text.requireNonBlank(uniqueId, "uniqueId");
    sourceId = Text.requireNonBlank(sourceId, "sourceId");
    Objects.requireNonNull(submissionTime, "submissionTime");
    Objects.requireNonNull(contentTypeCode, "contentTypeCode");
    Objects.requireNonNull(patientId, "patientId");
    authors = Text.list(authors, "authors");
    intendedRecipients = Text.list(intendedRecipients, "intendedRecipients");
    Objects.requireNonNull(title, "title");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "SubmissionSet[" + uniqueId + " from " + sourceId + " at " + submissionTime + " " + patientId.map(PatientId::toString).orElse("no patient") + "]";
  }

  /**
   * Builds a submission set. {@code uniqueId} defaults to a fresh 2.25 OID, {@code entryUuid} to a
   * fresh UUID, {@code submissionTime} to now (truncated to seconds, as XDS stores it).
   */
  public static final class Builder {
    private String entryUuid = Oids.newEntryUuid();
    private String uniqueId = Oids.fromRandomUuid();
    private String sourceId;
    private Instant submissionTime = Instant.now();
    private Code contentTypeCode;
    private PatientId patientId;
    private final List<Author> authors = new ArrayList<>();
    private final List<String> intendedRecipients = new ArrayList<>();
    private String title;

    private Builder() {}

    public Builder entryUuid(String entryUuid) {
      this.entryUuid = entryUuid;
      return this;
    }

    public Builder uniqueId(String oid) {
      this.uniqueId = oid;
      return this;
    }

    public Builder sourceId(String oid) {
      this.sourceId = oid;
      return this;
    }

    public Builder submissionTime(Instant time) {
      this.submissionTime = time;
      return this;
    }

    public Builder contentTypeCode(Code code) {
      this.contentTypeCode = code;
      return this;
    }

    public Builder patientId(PatientId patientId) {
      this.patientId = patientId;
      return this;
    }

    public Builder author(Author author) {
      authors.add(Objects.requireNonNull(author, "author"));
      return this;
    }

    /** A raw XDS intendedRecipient value (XON|XCN|XTN). */
    public Builder intendedRecipient(String value) {
      intendedRecipients.add(Text.requireNonBlank(value, "intendedRecipient"));
      return this;
    }

    /** A recipient known by mail address only, as MSSanté and Direct write it: {@code ||^^Internet^address}. */
    public Builder intendedRecipientAddress(String mailAddress) {
      return intendedRecipient("||^^Internet^" + Text.requireNonBlank(mailAddress, "mailAddress"));
    }

    public Builder title(String title) {
      this.title = title;
      return this;
    }

    public SubmissionSet build() {
      Objects.requireNonNull(submissionTime, "submissionTime");
      return new SubmissionSet(entryUuid, uniqueId, sourceId, submissionTime.truncatedTo(ChronoUnit.SECONDS),
          Optional.ofNullable(contentTypeCode), Optional.ofNullable(patientId), authors, intendedRecipients,
          Text.optional(title));
    }
  }
}
