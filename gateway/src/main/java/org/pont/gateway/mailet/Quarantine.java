package org.pont.gateway.mailet;

import java.time.Clock;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.pont.gateway.audit.AuditEvent;
import org.pont.gateway.audit.AuditLog;
import org.pont.gateway.status.MessageStatusStore;

/**
 * First mailet of the quarantine processor: writes the reason into the message
 * ({@code X-Pont-Quarantine-Reason}, after removing any {@code X-Pont-*} header the sender wrote)
 * and records the event, plus a REFUSED event when the sender will be told (see
 * {@link IsBounceable}). The processor's next mailets store the mail and send the DSN.
 */
public final class Quarantine extends GenericMailet {

  private final AuditLog log;
  private final MessageStatusStore statuses;
  private final Clock clock;

  @Inject
  public Quarantine(AuditLog log, MessageStatusStore statuses) {
    this(log, statuses, Clock.systemUTC());
  }

  Quarantine(AuditLog log, Clock clock) {
    this(log, StatusUpdates.NONE, clock);
  }

  Quarantine(AuditLog log, MessageStatusStore statuses, Clock clock) {
    this.log = log;
    this.statuses = statuses;
    this.clock = clock;
  }

  @Override
  public void service(Mail mail) throws MessagingException {
    String reason = PolicyMail.string(mail, PolicyMail.REASON).orElse("UNSPECIFIED");
    if (PolicyMail.string(mail, PolicyMail.REASON).isEmpty()) {
      PolicyMail.set(mail, PolicyMail.REASON, reason);
    }
    String detail = PolicyMail.string(mail, PolicyMail.REASON_DETAIL).orElse("");
    MimeMessage message = mail.getMessage();
    PontHeaders.strip(message);
    message.setHeader(PontHeaders.QUARANTINE_REASON, headerValue(reason, detail));
    message.saveChanges();
    log.record(PolicyMail.event(clock, AuditEvent.Type.QUARANTINED, mail));
    StatusUpdates.record(statuses, mail, MessageStatusStore.State.FAILED, java.util.Optional.of(headerValue(reason, detail)));
    if (IsBounceable.bounceable(mail)) {
      log.record(PolicyMail.event(clock, AuditEvent.Type.REFUSED, mail));
    }
  }

  /** One line, printable ASCII, bounded: the detail comes from parsers and may quote the message's form. */
  static String headerValue(String reason, String detail) {
    String d = detail.replaceAll("[^\\x20-\\x7E]", " ").replaceAll("\\s+", " ").strip();
    if (d.length() > 300) {
      d = d.substring(0, 300) + "...";
    }
    return d.isEmpty() ? reason : reason + "; " + d;
  }

  @Override
  public String getMailetInfo() {
    return "Pont: mark and audit a quarantined message";
  }
}
