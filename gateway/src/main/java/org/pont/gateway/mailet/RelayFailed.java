package org.pont.gateway.mailet;

import java.time.Clock;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.pont.gateway.audit.AuditEvent;
import org.pont.gateway.audit.AuditLog;
import org.pont.gateway.status.MessageStatusStore;

/**
 * First mailet of the processor James's RemoteDelivery sends a message to when it gives up
 * (bounceProcessor): records RELAY_FAILED with RemoteDelivery's explanation in the audit trail,
 * moves the REST status to FAILED with that reason, and lets the mail on to the DSN. The
 * explanation is the peer's SMTP reply or the connection error: no message content.
 */
public final class RelayFailed extends GenericMailet {

  static final String REASON = "RELAY_FAILED";

  private final AuditLog log;
  private final MessageStatusStore statuses;
  private final Clock clock;

  @Inject
  public RelayFailed(AuditLog log, MessageStatusStore statuses) {
    this(log, statuses, Clock.systemUTC());
  }

  RelayFailed(AuditLog log, MessageStatusStore statuses, Clock clock) {
    this.log = log;
    this.statuses = statuses;
    this.clock = clock;
  }

  @Override
  public void service(Mail mail) {
    String why = Optional.ofNullable(mail.getErrorMessage()).map(String::strip).filter(s -> !s.isEmpty())
        .orElse("remote delivery gave up");
    PolicyMail.set(mail, PolicyMail.REASON, REASON);
    mail.setAttribute(new Attribute(PolicyMail.REASON_DETAIL, AttributeValue.of(why)));
    AuditEvent e = PolicyMail.event(clock, AuditEvent.Type.RELAY_FAILED, mail);
    log.record(new AuditEvent(e.time(), e.type(), e.messageId(), e.sender(), e.recipients(), e.documentTypes(),
        e.verdict(), Optional.of(REASON + ": " + why)));
    StatusUpdates.record(statuses, mail, MessageStatusStore.State.FAILED, Optional.of(REASON + ": " + why));
  }

  @Override
  public String getMailetInfo() {
    return "Pont: remote delivery failed for good";
  }
}
