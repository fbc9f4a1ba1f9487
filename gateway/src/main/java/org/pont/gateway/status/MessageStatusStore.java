package org.pont.gateway.status;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway keeps what happened to each message submitted through the API, per
 * recipient. The API creates the record; mailets report progress with {@link #update}. Every
 * write is atomic: a reader sees the record before or after it, never half of it.
 * Implementations are safe for concurrent use within one JVM. Mailets receive it through an
 * {@code @Inject} constructor (bound in the embedded James), the API through Micronaut; both see
 * the same files under {@code <data>/api/messages/}. The James mail name of an API submission is
 * its {@code id}; {@link #findByMessageId} serves mail seen only by its Message-ID (DSN, MDN).
 */
public interface MessageStatusStore {

  /** Where a message is for one recipient. {@code FAILED} is final; the others may move forward. */
  enum State {
    ACCEPTED, RELAYED, DELIVERED, FAILED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a recipient in state {@code from} may be moved to {@code to}. States only move
     * forward and {@code FAILED} is final, so reports that arrive out of order (a late
     * "delivered" after a quarantine, a relay report after delivery) cannot undo what is known.
     */
    public static boolean mayMove(State from, State to) {
      if (from == FAILED) {
        return false;
      }
      return to == FAILED || to.ordinal() > from.ordinal();
    }
  }

  /** One recipient's state, with the reason of a failure. */
  record RecipientStatus(State state, Optional<String> reason, Instant updated) {
    public RecipientStatus {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(updated, "updated");
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

  /** Records a newly accepted message, every recipient {@code ACCEPTED}. */
  MessageStatus create(String id, String messageId, String tokenId, String sender, List<String> recipients);

  Optional<MessageStatus> find(String id);

  /** The message whose RFC 5322 Message-ID is {@code messageId} (with or without angle brackets). */
  Optional<MessageStatus> findByMessageId(String messageId);

  /**
   * Moves one recipient's state forward ({@link State#mayMove}); a move backwards, out of
   * {@code FAILED}, or for a recipient the message does not have is ignored.
   *
   * @return false when no message has that id
   */
  boolean update(String id, String recipient, State state, Optional<String> reason);
}
