package org.pont.gateway.mailet;

import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.pont.gateway.status.MessageStatusStore;
import org.pont.gateway.status.MessageStatusStore.Report;
import org.pont.gateway.status.MessageStatusStore.Source;
import org.pont.gateway.status.MessageStatusStore.State;
import org.pont.gateway.webhook.WebhookOutbox;
import org.pont.tracking.DeliveryEvent;
import org.pont.tracking.Notification;
import org.pont.tracking.NotificationParser;
import org.pont.tracking.RecipientEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits just before local delivery. For a DSN or MDN (read with client-lib's
 * {@link NotificationParser}, also inside an S/MIME signature) coming back to a local sender, it
 * moves the status of the message it answers — found by the original Message-ID — through
 * {@link MessageStatusStore#report} (reconciliation rules there: a late MDN ends a timeout, a
 * {@code processed/Error} records a failure with its code). Then it tells the webhook outbox
 * that mail reached each local mailbox, and lets the mail go on to the mailbox untouched. It
 * never sends anything: a notification is never answered.
 *
 * <p>An MDN counts only for a recipient of the original message, and only when its From is in
 * that recipient's domain: a third party cannot mark someone else's mail read. DSNs come from
 * MTAs and are not restricted that way; an unreadable report is logged and delivered as it is.
 */
public final class TrackNotifications extends GenericMailet {

  /** Mail attribute set on a notification ({@code mdn}, {@code dsn} or {@code unparseable}). */
  public static final String NOTIFICATION_ATTRIBUTE = "org.pont.notification";

  private static final Logger LOG = LoggerFactory.getLogger(TrackNotifications.class);

  private final MessageStatusStore statuses;
  private final WebhookOutbox outbox;
  private final Clock clock;

  @Inject
  public TrackNotifications(MessageStatusStore statuses, WebhookOutbox outbox) {
    this(statuses, outbox, Clock.systemUTC());
  }

  TrackNotifications(MessageStatusStore statuses, WebhookOutbox outbox, Clock clock) {
    this.statuses = statuses;
    this.outbox = outbox;
    this.clock = clock;
  }

  @Override
  public void service(Mail mail) throws MessagingException {
    MimeMessage message = mail.getMessage();
    Optional<String> kind = Optional.empty();
    if (mayBeNotification(message)) {
      Optional<Notification> parsed;
      try {
        parsed = NotificationParser.parse(MimeBridge.toJakarta(message));
      } catch (IOException | jakarta.mail.MessagingException e) {
        throw new MessagingException("the message cannot be read as a notification: " + e.getMessage(), e);
      }
      if (parsed.isPresent()) {
        kind = Optional.of(record(parsed.get(), message));
        mail.setAttribute(Attribute.convertToAttribute(NOTIFICATION_ATTRIBUTE, kind.get()));
      }
    }
    Optional<String> messageId = Optional.ofNullable(message.getMessageID());
    Optional<String> sender = mail.getMaybeSender().asOptional().map(MailAddress::asString);
    for (MailAddress r : mail.getRecipients()) {
      outbox.received(r.asString(), messageId, sender, kind);
    }
  }

  private String record(Notification n, MimeMessage message) throws MessagingException {
    if (n instanceof Notification.Unparseable u) {
      LOG.warn("unreadable notification {} delivered without a status update: {}", u.messageId().orElse("(no Message-ID)"), u.reason());
      return "unparseable";
    }
    Optional<String> fromDomain = fromDomain(message);
    for (RecipientEvent e : RecipientEvent.of(n, clock.instant())) {
      if (n instanceof Notification.Mdn && !fromDomain.map(d -> d.equals(domain(e.recipient()))).orElse(false)) {
        LOG.warn("MDN {} about {} ignored: its From is not in the domain of the recipient it reports for",
            n.messageId().orElse("(no Message-ID)"), e.originalMessageId());
        continue;
      }
      Report report = report(e.event(), n.messageId());
      statuses.findByMessageId(e.originalMessageId()).ifPresent(s -> statuses.report(s.id(), e.recipient(), report)
          .ifPresent(c -> LOG.info("message {} recipient {}: {} -> {} ({}{})", s.id(), c.recipient(), c.previous().label(),
              c.event().state().label(), n instanceof Notification.Mdn ? "MDN" : "DSN", c.event().late() ? ", late" : "")));
    }
    return n instanceof Notification.Mdn ? "mdn" : "dsn";
  }

  /** The gateway's reading of a client-lib timeline event. */
  static Report report(DeliveryEvent event, Optional<String> notificationId) {
    State state;
    Optional<String> reason = Optional.empty();
    Optional<Integer> code = Optional.empty();
    if (event instanceof DeliveryEvent.Delivered) {
      state = State.DELIVERED;
    } else if (event instanceof DeliveryEvent.Relayed) {
      state = State.RELAYED;
    } else if (event instanceof DeliveryEvent.Delayed) {
      state = State.RELAYED;
      reason = Optional.of("delivery delayed (DSN)");
    } else if (event instanceof DeliveryEvent.Displayed) {
      state = State.READ;
    } else if (event instanceof DeliveryEvent.Integrated) {
      state = State.INTEGRATED;
    } else if (event instanceof DeliveryEvent.IntegrationFailed f) {
      state = State.FAILED;
      reason = Optional.of("integration error " + f.error().code() + ": " + f.error().label());
      code = Optional.of(f.error().code());
    } else if (event instanceof DeliveryEvent.Failed f) {
      state = State.FAILED;
      reason = Optional.of(f.reason());
    } else {
      throw new IllegalArgumentException("not an event a notification carries: " + event);
    }
    return new Report(state, reason, Source.NOTIFICATION, notificationId, code);
  }

  /**
   * Cheap first look, so that ordinary mail (most of it signed) is not copied across the bridge:
   * a report, a bare report part, or a signature whose first part is one of those.
   */
  static boolean mayBeNotification(MimeMessage m) throws MessagingException {
    if (m.isMimeType("multipart/report") || m.isMimeType("message/*")) {
      return true;
    }
    if (!m.isMimeType("multipart/signed")) {
      return false;
    }
    // parsed from the data source: no activation content handler involved (see Mailcaps)
    javax.mail.internet.MimeMultipart signed = new javax.mail.internet.MimeMultipart(m.getDataHandler().getDataSource());
    if (signed.getCount() == 0) {
      return false;
    }
    javax.mail.BodyPart first = signed.getBodyPart(0);
    return first.isMimeType("multipart/report") || first.isMimeType("message/*");
  }

  private static Optional<String> fromDomain(MimeMessage m) throws MessagingException {
    javax.mail.Address[] from = m.getFrom();
    if (from == null || from.length == 0 || !(from[0] instanceof javax.mail.internet.InternetAddress a) || a.getAddress() == null) {
      return Optional.empty();
    }
    return Optional.of(domain(a.getAddress()));
  }

  private static String domain(String address) {
    return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
  }

  @Override
  public String getMailetInfo() {
    return "Pont: delivery tracking (DSN/MDN back to a local sender) and message.received events";
  }
}
