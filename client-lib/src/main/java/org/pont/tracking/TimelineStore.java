package org.pont.tracking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where timelines live. Implementations (the gateway's on its storage, {@link InMemoryTimelineStore}
 * for tests and the client) must make {@link #apply} atomic per (message, recipient): concurrent
 * notifications for the same recipient must not lose an update. Recipient keys compare case-insensitively.
 */
public interface TimelineStore {

  /** Starts a timeline at ACCEPTED; returns the existing one unchanged if there is one. */
  Timeline accepted(String messageId, String recipient, Instant at);

  Optional<Timeline> find(String messageId, String recipient);

  /** All recipients' timelines of a sent message. */
  List<Timeline> forMessage(String messageId);

  /** Applies the event atomically; empty if the store has no such timeline (a notification for a message we did not send). */
  Optional<Timeline> apply(String messageId, String recipient, DeliveryEvent event);

  /** The timelines still waiting (status neither negative nor final), for timeout checks. */
  List<Timeline> open();

  /** Applies every event a received notification stands for; returns the timelines it changed or confirmed. */
  default List<Timeline> record(Notification notification, Instant receivedAt) {
    List<Timeline> out = new ArrayList<>();
    for (RecipientEvent e : RecipientEvent.of(notification, receivedAt)) {
      apply(e.originalMessageId(), e.recipient(), e.event()).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The timeouts due now, not yet applied: the caller applies them ({@link #applyTimeouts}) and
   * tells the sending application. Never turns a timeout into a DSN.
   */
  default List<RecipientEvent> timeoutsDue(Instant now, TimeoutPolicy policy) {
    List<RecipientEvent> due = new ArrayList<>();
    for (Timeline t : open()) {
      t.timeoutDue(now, policy).ifPresent(e -> due.add(new RecipientEvent(t.messageId(), t.recipient(), e)));
    }
    return due;
  }

  /** Applies {@link #timeoutsDue} and returns the timelines that timed out. */
  default List<Timeline> applyTimeouts(Instant now, TimeoutPolicy policy) {
    List<Timeline> out = new ArrayList<>();
    for (RecipientEvent e : timeoutsDue(now, policy)) {
      apply(e.originalMessageId(), e.recipient(), e.event()).filter(t -> t.status() == DeliveryStatus.TIMED_OUT).ifPresent(out::add);
    }
    return out;
  }
}
