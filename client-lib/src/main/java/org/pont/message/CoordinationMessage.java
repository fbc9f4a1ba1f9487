package org.pont.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a coordination message is, independent of how it travels: who sends it to whom, about
 * which patient (at most one), with which clinical documents. Built with {@link #builder()}.
 */
public record CoordinationMessage(
    Party sender,
    List<Party> recipients,
    String subject,
    String body,
    Optional<Patient> patient,
    List<ClinicalDocument> documents) {

  public CoordinationMessage {
    Objects.requireNonNull(sender, "sender");
    recipients = List.copyOf(recipients);
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(patient, "patient");
    documents = List.copyOf(documents);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a message needs at least one recipient");
    }
    if (!documents.isEmpty() && patient.isEmpty()) {
      throw new IllegalArgumentException("a message carrying clinical documents must name its patient");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the parts of a message; {@link #build()} checks them. */
  public static final class Builder {
    private Party sender;
    private final List<Party> recipients = new ArrayList<>();
    private String subject = "";
    private String body = "";
    private Patient patient;
    private final List<ClinicalDocument> documents = new ArrayList<>();

    private Builder() {}

    public Builder from(Party sender) {
      this.sender = sender;
      return this;
    }

    public Builder from(String address) {
      return from(Party.of(address));
    }

    public Builder to(Party recipient) {
      recipients.add(Objects.requireNonNull(recipient, "recipient"));
      return this;
    }

    public Builder to(String address) {
      return to(Party.of(address));
    }

    public Builder subject(String subject) {
      this.subject = subject;
      return this;
    }

    public Builder body(String body) {
      this.body = body;
      return this;
    }

    public Builder patient(Patient patient) {
      this.patient = patient;
      return this;
    }

    public Builder document(ClinicalDocument document) {
      documents.add(Objects.requireNonNull(document, "document"));
      return this;
    }

    public CoordinationMessage build() {
      if (sender == null) {
        throw new IllegalStateException("a message needs a sender: call from(...)");
      }
      return new CoordinationMessage(sender, recipients, subject, body, Optional.ofNullable(patient), documents);
    }
  }
}
