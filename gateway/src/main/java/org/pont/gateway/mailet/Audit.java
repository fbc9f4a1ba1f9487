package org.pont.gateway.mailet;

import org.pont.gateway.status.MessageStatusStore;

import java.time.Clock;
import java.util.Locale;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.pont.gateway.audit.AuditEvent;
import org.pont.gateway.audit.AuditLog;

/**
 * Records one audit event for the mail (parameter {@code event}: RECEIVED, DELIVERED, QUEUED, RELAYED)
 * and lets it through. Put it where the event happens in the pipeline. RECEIVED starts the
 * mail's policy record afresh: a DSN inherits the attributes of the mail it reports on (James's
 * {@code DSNBounce} copies them), and must not carry that mail's reason or verdict as its own.
 */
public final class Audit extends GenericMailet {

  private final AuditLog log;
  private final MessageStatusStore statuses;
  private final Clock clock;
  private AuditEvent.Type type;

  @Inject
  public Audit(AuditLog log, MessageStatusStore statuses) {
    this(log, statuses, Clock.systemUTC());
  }

  Audit(AuditLog log, Clock clock) {
    this(log, StatusUpdates.NONE, clock);
  }

  Audit(AuditLog log, MessageStatusStore statuses, Clock clock) {
    this.log = log;
    this.statuses = statuses;
    this.clock = clock;
  }

  @Override
  public void init() throws MessagingException {
    String event = getInitParameter("event");
    if (event == null || event.isBlank()) {
      throw new MessagingException("the Audit mailet needs an <event> (RECEIVED, DELIVERED, QUEUED or RELAYED)");
    }
    try {
      type = AuditEvent.Type.valueOf(event.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MessagingException("unknown audit event '" + event + "'", e);
    }
  }

  @Override
  public void service(Mail mail) {
    if (type == AuditEvent.Type.RECEIVED) {
      PolicyMail.clear(mail);
    }
    log.record(PolicyMail.event(clock, type, mail));
    switch (type) {
      case DELIVERED -> StatusUpdates.record(statuses, mail, MessageStatusStore.State.DELIVERED, java.util.Optional.empty());
      case RELAYED -> StatusUpdates.record(statuses, mail, MessageStatusStore.State.RELAYED, java.util.Optional.empty());
      default -> { }
    }
  }

  @Override
  public String getMailetInfo() {
    return "Pont: audit trail";
  }
}
