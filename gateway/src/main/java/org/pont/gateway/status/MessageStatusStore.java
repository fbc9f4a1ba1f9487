package org.pont.gateway.status;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway keeps what happened to each message submitted through the API, per
 * recipient: the current state and a timeline of timestamped events. The API creates the record;
 * mailets report progress with {@link #update} (the pipeline) and {@link #report} (received DSNs
 * and MDNs, timeouts). Every write is atomic: a reader sees the record before or after it, never
 * half of it. Implementations are safe for concurrent use within one JVM. Mailets receive it
 * through an {@code @Inject} constructor (bound in the embedded James), the API through
 * Micronaut; both see the same files under {@code <data>/api/messages/}. The James mail name of
 * an API submission is its {@code id}; {@link #findByMessageId} serves mail seen only by its
 * Message-ID (DSN, MDN).
 */
public interface MessageStatusStore {

  /**
   * Where a message is for one recipient. Positive states are ordered ({@link #rank()});
   * {@code FAILED} and {@code TIMED_OUT} are the negative ends, which only the recipient's side
   * (a DSN or MDN proving receipt) can still overturn.
   */
  enum State {
    ACCEPTED(0), RELAYED(1), DELIVERED(2),
    /** A person displayed the message (MDN {@code displayed}). */
    READ(3),
    /** The receiving software integrated it (MDN {@code processed}, the ANS integration acknowledgement). */
    INTEGRATED(4),
    FAILED(-1),
    /** No sufficient answer came before the tracking deadline (ADR 0006); a late answer reconciles it. */
    TIMED_OUT(-1);

    private final int rank;

    State(int rank) {
      this.rank = rank;
    }

    public int rank() {
      return rank;
    }

    public boolean isNegative() {
      return rank < 0;
    }

    /** Evidence that the recipient's side has the message. */
    public boolean provesReceipt() {
      return rank >= DELIVERED.rank;
    }

    /** The JSON spelling: {@code accepted}, ..., {@code failed}, {@code timed-out}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<State> fromLabel(String label) {
      return Arrays.stream(values()).filter(s -> s.label().equalsIgnoreCase(label.strip())).findFirst();
    }

    /**
     * Whether the pipeline may move a recipient from {@code from} to {@code to}. States only move
     * forward and {@code FAILED} is final for the pipeline, so reports that arrive out of order (a
     * late "delivered" after a quarantine, a relay report after delivery) cannot undo what is known.
     */
    public static boolean mayMove(State from, State to) {
      if (from == FAILED) {
        return false;
      }
      return to == FAILED || to.rank > from.rank;
    }
  }

  /** Who reported an event: the gateway's own pipeline, a received DSN or MDN, or the tracking deadline. */
  enum Source {
    PIPELINE, NOTIFICATION, TIMEOUT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Something reported about one recipient, before the store decides what it changes.
   *
   * @param notificationId the Message-ID of the DSN or MDN it was read from (a repeat is a no-op)
   * @param integrationCode the ANS integration error code (900–906) of a {@code processed/Error} MDN
   */
  record Report(State state, Optional<String> reason, Source source, Optional<String> notificationId,
      Optional<Integer> integrationCode) {
    public Report {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(notificationId, "notificationId");
      Objects.requireNonNull(integrationCode, "integrationCode");
    }

    public static Report pipeline(State state, Optional<String> reason) {
      return new Report(state, reason, Source.PIPELINE, Optional.empty(), Optional.empty());
    }
  }

  /**
   * One entry of a recipient's timeline.
   *
   * @param late the event reconciled a timed-out or failed recipient (it came after the sender was told)
   * @param changed whether it moved the recipient's state (an unchanged entry is kept for the record)
   */
  record Event(State state, Instant at, Optional<String> reason, Source source, Optional<String> notificationId,
      Optional<Integer> integrationCode, boolean late, boolean changed) {
    public Event {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(notificationId, "notificationId");
      Objects.requireNonNull(integrationCode, "integrationCode");
    }
  }

  /** One recipient's state, the reason of a failure or timeout, and the timeline that led there. */
  record RecipientStatus(State state, Optional<String> reason, Instant updated, List<Event> timeline) {
    public RecipientStatus {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(updated, "updated");
      timeline = List.copyOf(timeline);
    }

    public RecipientStatus(State state, Optional<String> reason, Instant updated) {
      this(state, reason, updated, List.of());
    }

    /** When the message was accepted for this recipient (the first event, else {@code updated}). */
    public Instant acceptedAt() {
      return timeline.isEmpty() ? updated : timeline.get(0).at();
    }
  }

  /**
   * A submitted message.
   *
   * @param id the gateway's id (also the James mail name)
   * @param messageId the RFC 5322 Message-ID
   * @param tokenId the API token that submitted it (only it, or an admin, may read the status)
   */
  record MessageStatus(String id, String messageId, String tokenId, String sender, Instant submitted,
      Map<String, RecipientStatus> recipients) {
    public MessageStatus {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(tokenId, "tokenId");
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(submitted, "submitted");
      recipients = Map.copyOf(recipients);
    }
  }

  /** What a {@link #report} did to one recipient. */
  record Change(MessageStatus message, String recipient, State previous, Event event) {}

  /** Tells who wants to know (webhooks) of every change of state. Called after the write, outside any lock. */
  interface Listener {
    void changed(Change change);
  }

  /** Records a newly accepted message, every recipient {@code ACCEPTED}. */
  MessageStatus create(String id, String messageId, String tokenId, String sender, List<String> recipients);

  Optional<MessageStatus> find(String id);

  /** The message whose RFC 5322 Message-ID is {@code messageId} (with or without angle brackets). */
  Optional<MessageStatus> findByMessageId(String messageId);

  /**
   * Moves one recipient's state forward as the pipeline reports ({@link State#mayMove}); a move
   * backwards, out of {@code FAILED}, or for a recipient the message does not have is ignored.
   *
   * @return false when no message has that id
   */
  default boolean update(String id, String recipient, State state, Optional<String> reason) {
    if (find(id).isEmpty()) {
      return false;
    }
    report(id, recipient, Report.pipeline(state, reason));
    return true;
  }

  /**
   * Applies a report to one recipient, atomically, by the reconciliation rules of ADR 0006 and
   * {@link Reconciliation}; returns the change, or empty when the report changed nothing worth
   * recording (a duplicate, a pipeline report that would move backwards, an unknown message or
   * recipient).
   */
  Optional<Change> report(String id, String recipient, Report report);

  /** Every message with at least one recipient still waiting (neither negative nor integrated), for the deadline check. */
  List<MessageStatus> open();
}
