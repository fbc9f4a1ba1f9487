package org.pont.index;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pont.smime.VerdictReason;

/**
 * One message found: its reference (to fetch and open the original), what a result list shows, and
 * its relevance score (NaN when sorted by date), and what the extractor noticed but accepted ({@code warnings}).
 */
public record SearchHit(
    MessageRef ref,
    Optional<String> messageId,
    String from,
    List<String> to,
    Optional<Instant> date,
    String subject,
    Optional<String> patientIns,
    List<String> patientNames,
    List<String> documentTypes,
    Optional<VerdictReason> verdict,
    boolean read,
    boolean acknowledged,
    float score,
    List<String> warnings) {

  public SearchHit {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(from, "from");
    to = List.copyOf(to);
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(patientIns, "patientIns");
    patientNames = List.copyOf(patientNames);
    documentTypes = List.copyOf(documentTypes);
    Objects.requireNonNull(verdict, "verdict");
    warnings = List.copyOf(warnings);
  }

  /** The same without warnings. */
  public SearchHit(MessageRef ref, Optional<String> messageId, String from, List<String> to, Optional<Instant> date, String subject,
      Optional<String> patientIns, List<String> patientNames, List<String> documentTypes, Optional<VerdictReason> verdict,
      boolean read, boolean acknowledged, float score) {
    this(ref, messageId, from, to, date, subject, patientIns, patientNames, documentTypes, verdict, read, acknowledged, score, List.of());
  }

  @Override
  public String toString() {
    return "SearchHit[" + ref + ", " + messageId.orElse("<no id>") + "]"; // no patient data in logs
  }
}
