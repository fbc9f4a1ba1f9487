package org.pont.tracking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A timeline event for one recipient of one sent message, read from a received notification.
 *
 * @param originalMessageId the Message-ID of the sent message (with angle brackets)
 */
public record RecipientEvent(String originalMessageId, String recipient, DeliveryEvent event) {
  public RecipientEvent {
    Objects.requireNonNull(originalMessageId, "originalMessageId");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(event, "event");
  }

  /**
   * The events a notification stands for. MDN: {@code processed} → integrated (the MSSanté integration
   * acknowledgement), {@code processed/Error} → integration error, {@code displayed} → displayed,
   * {@code dispatched} and {@code deleted} → delivered, {@code failed}/{@code denied} → failed. DSN
   * {@code Action}: delivered, relayed/expanded → relayed, delayed, failed. A notification without an
   * original Message-ID or recipient, or an {@link Notification.Unparseable} one, gives no event.
   */
  public static List<RecipientEvent> of(Notification notification, Instant receivedAt) {
    List<RecipientEvent> out = new ArrayList<>();
    if (notification instanceof Notification.Mdn mdn) {
      if (mdn.originalMessageId().isEmpty()) {
        return out;
      }
      String recipient = mdn.originalRecipient().or(mdn::finalRecipient).orElse(null);
      if (recipient == null) {
        return out;
      }
      var id = mdn.messageId();
      DeliveryEvent e = switch (mdn.disposition().type()) {
        case PROCESSED -> mdn.integrationError().<DeliveryEvent>map(err -> new DeliveryEvent.IntegrationFailed(receivedAt, err, id))
            .orElseGet(() -> new DeliveryEvent.Integrated(receivedAt, id));
        case DISPLAYED -> new DeliveryEvent.Displayed(receivedAt, id);
        case DISPATCHED, DELETED -> new DeliveryEvent.Delivered(receivedAt, id);
        case FAILED, DENIED -> new DeliveryEvent.Failed(receivedAt, "MDN " + mdn.disposition().format(), id);
      };
      out.add(new RecipientEvent(mdn.originalMessageId().get(), recipient, e));
    } else if (notification instanceof Notification.Dsn dsn) {
      if (dsn.originalMessageId().isEmpty()) {
        return out;
      }
      for (RecipientStatus r : dsn.recipients()) {
        var id = dsn.messageId();
        DeliveryEvent e = switch (r.action()) {
          case DELIVERED -> new DeliveryEvent.Delivered(receivedAt, id);
          case RELAYED, EXPANDED -> new DeliveryEvent.Relayed(receivedAt, id);
          case DELAYED -> new DeliveryEvent.Delayed(receivedAt, id);
          case FAILED -> new DeliveryEvent.Failed(receivedAt, r.status() + r.diagnosticCode().map(d -> " " + d).orElse(""), id);
        };
        out.add(new RecipientEvent(dsn.originalMessageId().get(), r.originalRecipient().orElse(r.finalRecipient()), e));
      }
    }
    // an Unparseable notification: nothing can be attributed
    return out;
  }
}
