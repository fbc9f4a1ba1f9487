package org.pont.gateway.status;

import java.time.Instant;
import java.util.Optional;
import org.pont.gateway.status.MessageStatusStore.Event;
import org.pont.gateway.status.MessageStatusStore.RecipientStatus;
import org.pont.gateway.status.MessageStatusStore.Report;
import org.pont.gateway.status.MessageStatusStore.Source;
import org.pont.gateway.status.MessageStatusStore.State;

/**
 * The rules by which a report changes one recipient's status (ADR 0006, gateway side). Pure: the
 * store applies the result. The rules, each against a fault reported with the Direct Project's
 * reference implementation:
 *
 * <ol>
 *   <li>A notification already applied (same Message-ID, same state) changes nothing: a resent MDN
 *       is not a second event.
 *   <li>The pipeline only moves forward and never out of {@code FAILED} (a late "delivered" does not
 *       hide a quarantine).
 *   <li>A timeout applies once, only to a recipient still waiting; it never produces a DSN.
 *   <li>Proof of receipt from the recipient's side (a DSN {@code delivered}, an MDN) after a
 *       timeout, or after a failure, moves the recipient forward and is marked <em>late</em>: the
 *       status is reconciled, not left failed.
 *   <li>A failure ({@code processed/Error}, a failure DSN) moves any state but {@code INTEGRATED}
 *       to {@code FAILED}; the first failure's reason is kept; a failure after integration is kept
 *       in the timeline only.
 *   <li>A lesser notification (a {@code displayed} after {@code processed}) is kept in the timeline
 *       without moving the state.
 * </ol>
 */
public final class Reconciliation {
  private Reconciliation() {}

  /** The event to record for the report, or empty to ignore it. */
  public static Optional<Event> apply(RecipientStatus current, Report report, Instant now) {
    State from = current.state();
    State to = report.state();
    if (report.notificationId().isPresent() && current.timeline().stream()
        .anyMatch(e -> e.notificationId().equals(report.notificationId()) && e.state() == to)) {
      return Optional.empty();
    }
    if (to == State.ACCEPTED) {
      return Optional.empty();
    }
    if (to == State.TIMED_OUT) {
      boolean already = current.timeline().stream().anyMatch(e -> e.state() == State.TIMED_OUT);
      return from.isNegative() || from == State.INTEGRATED || already ? Optional.empty() : Optional.of(event(report, now, false, true));
    }
    if (to == State.FAILED) {
      if (from == State.FAILED || from == State.INTEGRATED) {
        // the first failure's reason stays; a contradicting report is kept for the record
        return report.source() == Source.PIPELINE ? Optional.empty() : Optional.of(event(report, now, false, false));
      }
      return Optional.of(event(report, now, false, true));
    }
    // a positive state
    boolean fromRecipientSide = report.source() == Source.NOTIFICATION;
    if (from == State.FAILED) {
      return fromRecipientSide && to.provesReceipt() ? Optional.of(event(report, now, true, true)) : Optional.empty();
    }
    if (from == State.TIMED_OUT) {
      if (to.provesReceipt()) {
        return Optional.of(event(report, now, true, true));
      }
      return Optional.of(event(report, now, false, false)); // still in transit: the sender keeps what it was told
    }
    if (to.rank() > from.rank()) {
      return Optional.of(event(report, now, false, true));
    }
    return fromRecipientSide ? Optional.of(event(report, now, false, false)) : Optional.empty();
  }

  private static Event event(Report r, Instant now, boolean late, boolean changed) {
    return new Event(r.state(), now, r.reason(), r.source(), r.notificationId(), r.integrationCode(), late, changed);
  }
}
