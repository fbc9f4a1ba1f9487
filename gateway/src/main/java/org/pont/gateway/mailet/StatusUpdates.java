package org.pont.gateway.mailet;

import java.util.Optional;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.pont.gateway.status.MessageStatusStore;

/**
 * Moves the REST API's per-recipient status of a message submitted through the API (found by its
 * Message-ID, which signing and encryption keep) as the pipeline delivers, relays or refuses it.
 * Mail that did not come through the API has no status record and is left alone.
 */
final class StatusUpdates {
  /** For mailets built outside James (tests): no status records at all. */
  static final MessageStatusStore NONE = new MessageStatusStore() {
    @Override
    public MessageStatus create(String id, String messageId, String tokenId, String sender, java.util.List<String> recipients) {
      throw new UnsupportedOperationException("no status store");
    }

    @Override
    public Optional<MessageStatus> find(String id) {
      return Optional.empty();
    }

    @Override
    public Optional<MessageStatus> findByMessageId(String messageId) {
      return Optional.empty();
    }

    @Override
    public Optional<Change> report(String id, String recipient, Report report) {
      return Optional.empty();
    }

    @Override
    public java.util.List<MessageStatus> open() {
      return java.util.List.of();
    }
  };

  private StatusUpdates() {}

  static void record(MessageStatusStore store, Mail mail, MessageStatusStore.State state, Optional<String> reason) {
    String messageId;
    try {
      messageId = mail.getMessage().getMessageID();
    } catch (javax.mail.MessagingException e) {
      return; // an unreadable message has no status to move; the audit trail records it
    }
    if (messageId == null) {
      return;
    }
    store.findByMessageId(messageId).ifPresent(status -> {
      for (MailAddress recipient : mail.getRecipients()) {
        store.update(status.id(), recipient.asString(), state, reason);
      }
    });
  }
}
