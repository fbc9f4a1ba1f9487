package org.pont.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable status history of one sent message for one recipient. {@link #apply(DeliveryEvent)}
 * is a pure reducer; its rules (ADR 0006):
 *
 * <ol>
 *   <li>The same notification twice (same source Message-ID and status), or an equal event, changes nothing.
 *   <li>Positive statuses only move forward ({@code ACCEPTED < RELAYED < DELAYED < DELIVERED < DISPLAYED
 *       < INTEGRATED = INTEGRATION_ERROR}); a lesser event is kept in the history only.
 *   <li>Proof of receipt (delivered, displayed, integrated, integration error) after {@code TIMED_OUT} or
 *       {@code FAILED} moves the status forward and is marked {@link Entry#late() late}; after a
 *       {@code FAILED} from a DSN it is also recorded as a conflict.
 *   <li>A {@code FAILED} after proof of receipt does not regress the status: it is recorded as a conflict.
 *   <li>A timeout applies only while the awaited status has not been reached.
 * </ol>
 */
public record Timeline(String messageId, String recipient, DeliveryStatus status, List<Entry> history, List<String> conflicts) {

  /**
   * One applied event.
   *
   * @param late the event reconciled a timed-out or failed status (it arrived after we gave up)
   * @param changedStatus whether it moved the status
   */
  public record Entry(DeliveryEvent event, boolean late, boolean changedStatus) {
    public Entry {
      Objects.requireNonNull(event, "event");
    }
  }

  public Timeline {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(status, "status");
    history = List.copyOf(history);
    conflicts = List.copyOf(conflicts);
    if (history.isEmpty()) {
      throw new IllegalArgumentException("a timeline starts with its ACCEPTED event");
    }
  }

  /** A new timeline: the message was accepted for this recipient at {@code at}. */
  public static Timeline accepted(String messageId, String recipient, Instant at) {
    return new Timeline(messageId.strip(), normalise(recipient), DeliveryStatus.ACCEPTED,
        List.of(new Entry(new DeliveryEvent.Accepted(at), false, true)), List.of());
  }

  /** Recipient keys compare case-insensitively (a gateway sees several spellings of one mailbox). */
  static String normalise(String recipient) {
    return recipient.strip().toLowerCase(Locale.ROOT);
  }

  public Instant acceptedAt() {
    return history.get(0).event().at();
  }

  /** Whether a notification arrived after the sender had been told of a timeout or failure. */
  public boolean reconciledLate() {
    return history.stream().anyMatch(Entry::late);
  }

  /** The reason of the last applied failure, while the status is {@code FAILED}. */
  public Optional<String> failureReason() {
    if (status != DeliveryStatus.FAILED) {
      return Optional.empty();
    }
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).event() instanceof DeliveryEvent.Failed f) {
        return Optional.of(f.reason());
      }
    }
    return Optional.empty();
  }

  /** The integration error, while the status is {@code INTEGRATION_ERROR}. */
  public Optional<IntegrationError> integrationError() {
    if (status != DeliveryStatus.INTEGRATION_ERROR) {
      return Optional.empty();
    }
    return history.stream().map(Entry::event).filter(e -> e instanceof DeliveryEvent.IntegrationFailed)
        .map(e -> ((DeliveryEvent.IntegrationFailed) e).error()).reduce((a, b) -> b);
  }

  /** The timeline with the event applied; {@code this} when the event is a duplicate. */
  public Timeline apply(DeliveryEvent event) {
    Objects.requireNonNull(event, "event");
    if (isDuplicate(event)) {
      return this;
    }
    DeliveryStatus next = event.status();
    List<String> newConflicts = new ArrayList<>(conflicts);
    if (event instanceof DeliveryEvent.Accepted) {
      return with(event, status, false, newConflicts);
    }
    if (event instanceof DeliveryEvent.TimedOut t) {
      boolean due = !status.isNegative() && status.rank() < t.awaited().rank();
      return with(event, due ? DeliveryStatus.TIMED_OUT : status, false, newConflicts);
    }
    if (next == DeliveryStatus.FAILED) {
      if (status.provesReceipt()) {
        newConflicts.add("failure reported at " + event.at() + " (" + ((DeliveryEvent.Failed) event).reason()
            + ") after the recipient's side reported " + status + "; status kept");
        return with(event, status, false, newConflicts);
      }
      return with(event, DeliveryStatus.FAILED, false, newConflicts);
    }
    // a positive event
    if (status.isNegative()) {
      if (!next.provesReceipt()) {
        return with(event, status, false, newConflicts); // still in transit: we keep what the sender was told
      }
      if (status == DeliveryStatus.FAILED) {
        newConflicts.add(next + " reported at " + event.at() + " after a failure (" + failureReason().orElse("?")
            + "); the recipient's answer wins");
      }
      return with(event, next, true, newConflicts);
    }
    if (next.rank() > status.rank()) {
      return with(event, next, false, newConflicts);
    }
    if (next.rank() == status.rank() && next != status) {
      newConflicts.add(next + " reported at " + event.at() + " after " + status + "; the first answer is kept");
    }
    return with(event, status, false, newConflicts);
  }

  /**
   * The timeout to apply now under the policy, if the recipient has not reached the awaited status
   * in time and no timeout or failure was recorded yet. Pure: the caller applies it and tells the
   * sending application.
   */
  public Optional<DeliveryEvent.TimedOut> timeoutDue(Instant now, TimeoutPolicy policy) {
    if (status.isNegative() || status.rank() >= policy.awaited().rank()) {
      return Optional.empty();
    }
    Duration waited = Duration.between(acceptedAt(), now);
    if (waited.compareTo(policy.within()) < 0) {
      return Optional.empty();
    }
    return Optional.of(new DeliveryEvent.TimedOut(now, policy.awaited(), waited));
  }

  private boolean isDuplicate(DeliveryEvent event) {
    for (Entry e : history) {
      if (e.event().equals(event)) {
        return true;
      }
      if (event.sourceId().isPresent() && e.event().sourceId().equals(event.sourceId()) && e.event().status() == event.status()) {
        return true;
      }
    }
    return false;
  }

  private Timeline with(DeliveryEvent event, DeliveryStatus newStatus, boolean late, List<String> newConflicts) {
    List<Entry> h = new ArrayList<>(history);
    h.add(new Entry(event, late, newStatus != status));
    return new Timeline(messageId, recipient, newStatus, h, newConflicts);
  }
}
