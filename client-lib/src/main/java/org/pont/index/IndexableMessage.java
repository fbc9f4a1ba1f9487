package org.pont.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.smime.VerdictReason;

/**
 * A received message once opened, reduced to what the index stores and searches: where it lives,
 * who sent it to whom and when, its text, the patient and clinical documents it is about, the
 * verdict on its signature, and its read/acknowledged state. Produced by a
 * {@link MessageExtractor}; built with {@link #builder(MessageRef)}.
 *
 * @param verdict the signature verdict; empty when it was not checked (no S/MIME keys configured,
 *     or the message could not be decrypted)
 * @param size the message's size in bytes as the server reported it (0 if unknown)
 */
public record IndexableMessage(
    MessageRef ref,
    Optional<String> messageId,
    String from,
    List<String> to,
    Optional<Instant> date,
    String subject,
    String bodyText,
    Optional<Ins> patientIns,
    List<String> patientNames,
    List<DocumentType> documentTypes,
    List<String> documentTexts,
    Optional<VerdictReason> verdict,
    boolean encrypted,
    boolean read,
    boolean acknowledged,
    long size,
    List<String> warnings) {

  public IndexableMessage {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(from, "from");
    to = List.copyOf(to);
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(bodyText, "bodyText");
    Objects.requireNonNull(patientIns, "patientIns");
    patientNames = List.copyOf(patientNames);
    documentTypes = List.copyOf(documentTypes);
    documentTexts = List.copyOf(documentTexts);
    Objects.requireNonNull(verdict, "verdict");
    warnings = List.copyOf(warnings);
  }

  /** The same without warnings (what the extractor noticed but accepted, e.g. a refused MSSanté structure). */
  public IndexableMessage(MessageRef ref, Optional<String> messageId, String from, List<String> to, Optional<Instant> date,
      String subject, String bodyText, Optional<Ins> patientIns, List<String> patientNames, List<DocumentType> documentTypes,
      List<String> documentTexts, Optional<VerdictReason> verdict, boolean encrypted, boolean read, boolean acknowledged, long size) {
    this(ref, messageId, from, to, date, subject, bodyText, patientIns, patientNames, documentTypes, documentTexts, verdict,
        encrypted, read, acknowledged, size, List.of());
  }

  public static Builder builder(MessageRef ref) {
    return new Builder(ref);
  }

  /** A builder holding this message's values, to change some of them (e.g. an enricher adding CDA data). */
  public Builder toBuilder() {
    Builder b = new Builder(ref);
    b.messageId = messageId.orElse(null);
    b.from = from;
    b.to.addAll(to);
    b.date = date.orElse(null);
    b.subject = subject;
    b.bodyText = bodyText;
    b.patientIns = patientIns.orElse(null);
    b.patientNames.addAll(patientNames);
    b.documentTypes.addAll(documentTypes);
    b.documentTexts.addAll(documentTexts);
    b.verdict = verdict.orElse(null);
    b.encrypted = encrypted;
    b.read = read;
    b.acknowledged = acknowledged;
    b.size = size;
    b.warnings.addAll(warnings);
    return b;
  }

  @Override
  public String toString() {
    // No patient data, no text: only what a log line may carry.
    return "IndexableMessage[" + ref + ", " + messageId.orElse("<no id>") + "]";
  }

  /** Collects an {@link IndexableMessage}; everything but the reference is optional. */
  public static final class Builder {
    private final MessageRef ref;
    private String messageId;
    private String from = "";
    private final List<String> to = new ArrayList<>();
    private Instant date;
    private String subject = "";
    private String bodyText = "";
    private Ins patientIns;
    private final List<String> patientNames = new ArrayList<>();
    private final List<DocumentType> documentTypes = new ArrayList<>();
    private final List<String> documentTexts = new ArrayList<>();
    private VerdictReason verdict;
    private boolean encrypted;
    private boolean read;
    private boolean acknowledged;
    private long size;
    private final List<String> warnings = new ArrayList<>();

    private Builder(MessageRef ref) {
      this.ref = Objects.requireNonNull(ref, "ref");
    }

    public Builder messageId(String id) {
      this.messageId = id;
      return this;
    }

    public Builder from(String address) {
      this.from = Objects.requireNonNull(address, "from");
      return this;
    }

    public Builder to(String address) {
      to.add(Objects.requireNonNull(address, "to"));
      return this;
    }

    public Builder date(Instant d) {
      this.date = d;
      return this;
    }

    public Builder subject(String s) {
      this.subject = Objects.requireNonNull(s, "subject");
      return this;
    }

    public Builder bodyText(String text) {
      this.bodyText = Objects.requireNonNull(text, "bodyText");
      return this;
    }

    public Builder patientIns(Ins ins) {
      this.patientIns = ins;
      return this;
    }

    public Builder patientName(String name) {
      patientNames.add(Objects.requireNonNull(name, "patientName"));
      return this;
    }

    public Builder documentType(DocumentType type) {
      if (!documentTypes.contains(type)) {
        documentTypes.add(Objects.requireNonNull(type, "documentType"));
      }
      return this;
    }

    public Builder documentText(String text) {
      documentTexts.add(Objects.requireNonNull(text, "documentText"));
      return this;
    }

    public Builder verdict(VerdictReason v) {
      this.verdict = v;
      return this;
    }

    public Builder encrypted(boolean value) {
      this.encrypted = value;
      return this;
    }

    public Builder read(boolean value) {
      this.read = value;
      return this;
    }

    public Builder acknowledged(boolean value) {
      this.acknowledged = value;
      return this;
    }

    public Builder size(long bytes) {
      this.size = bytes;
      return this;
    }

    /** Something the extractor noticed but accepted (e.g. why the MSSanté reader refused the message); stored with the entry. */
    public Builder warning(String text) {
      warnings.add(Objects.requireNonNull(text, "warning"));
      return this;
    }

    public IndexableMessage build() {
      return new IndexableMessage(ref, Optional.ofNullable(messageId), from, to, Optional.ofNullable(date), subject,
          bodyText, Optional.ofNullable(patientIns), patientNames, documentTypes, documentTexts,
          Optional.ofNullable(verdict), encrypted, read, acknowledged, size, warnings);
    }
  }
}
