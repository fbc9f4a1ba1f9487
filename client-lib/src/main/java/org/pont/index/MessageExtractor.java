package org.pont.index;

import jakarta.mail.internet.MimeMessage;

/**
 * Turns a received message into what the index stores. {@link DefaultMessageExtractor} reads
 * headers, text parts and PDF text and opens S/MIME; richer extractors (CDA/XDM) wrap or enrich it.
 * Implementations must be thread-safe and must not keep the message.
 */
@FunctionalInterface
public interface MessageExtractor {

  /**
   * Extracts one message.
   *
   * @param ref where the message lives
   * @param message the message as received (possibly backed by a temporary file; read it, don't keep it)
   * @param state the IMAP flags that matter to the index, and the size the server reported
   * @throws Exception when the message cannot be read at all; the sync records the failure and goes on
   */
  IndexableMessage extract(MessageRef ref, MimeMessage message, MessageState state) throws Exception;

  /** The IMAP state of a message at fetch time. */
  record MessageState(boolean read, boolean acknowledged, long size) {
    public static final MessageState UNREAD = new MessageState(false, false, 0);
  }
}
