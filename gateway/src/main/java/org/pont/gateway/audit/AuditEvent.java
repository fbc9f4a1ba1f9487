package org.pont.gateway.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message event of the audit trail: who sent what type of document to whom, when, and with
 * which verdict. Never patient data or content: document types are codes, the reason is a policy
 * reason code with a short explanation about the message's form.
 *
 * @param time when the gateway saw the event
 * @param type what happened
 * @param messageId the Message-ID header, when present
 * @param sender the envelope sender ({@code <>} for bounces)
 * @param recipients the envelope recipients the event concerns
 * @param documentTypes LOINC/TRE codes of the clinical documents, when known
 * @param verdict the signature verdict or outbound treatment, when known
 * @param reason why a message was quarantined or refused
 */
public record AuditEvent(
    Instant time,
    Type type,
    Optional<String> messageId,
    String sender,
    List<String> recipients,
    List<String> documentTypes,
    Optional<String> verdict,
    Optional<String> reason) {

  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(sender, "sender");
    recipients = List.copyOf(recipients);
    documentTypes = List.copyOf(documentTypes);
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
  }

  /** The kinds of event. */
  public enum Type {
    /** Accepted by a listener and entering Pont's policy. */
    RECEIVED,
    /** Handed to a local mailbox. */
    DELIVERED,
    /** Queued for remote delivery towards another operator (signed, encrypted as it will leave). */
    QUEUED,
    /** Accepted by the peer operator's gateway (remote delivery handed it over). */
    RELAYED,
    /** Remote delivery gave up (peer unreachable or refusing until the retries ran out); the sender gets a DSN. */
    RELAY_FAILED,
    /** An operator connection was refused at MAIL FROM: its certificate is not the whitelisted one. */
    PEER_REFUSED,
    /** Kept in the quarantine repository with its reason. */
    QUARANTINED,
    /** The sender is told why (a DSN is sent). */
    REFUSED
  }
}
