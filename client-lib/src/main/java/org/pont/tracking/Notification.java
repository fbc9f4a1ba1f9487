package org.pont.tracking;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A received delivery or disposition notification, as {@link NotificationParser} reads it: an
 * {@link Mdn}, a {@link Dsn}, or a report that is recognisably a notification but cannot be read
 * ({@link Unparseable}, with the reason). Whatever the variant, it must never be answered with
 * another notification.
 */
public sealed interface Notification {

  /** The notification's own Message-ID, if it has one. */
  Optional<String> messageId();

  /**
   * A message disposition notification (RFC 8098), which in MSSanté also carries the integration
   * acknowledgement ({@code processed} or {@code processed/Error: code^label}).
   *
   * @param originalMessageId the Message-ID of the message this answers, with angle brackets
   * @param finalRecipient the recipient that produced the MDN (address without {@code rfc822;})
   * @param extensionFields other fields of the report (e.g. {@code X-DIRECT-FINAL-DESTINATION-DELIVERY}), in order
   */
  record Mdn(
      Optional<String> messageId,
      Optional<String> reportingUa,
      Optional<String> originalRecipient,
      Optional<String> finalRecipient,
      Optional<String> originalMessageId,
      Disposition disposition,
      Map<String, String> extensionFields) implements Notification {

    public Mdn {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(reportingUa, "reportingUa");
      Objects.requireNonNull(originalRecipient, "originalRecipient");
      Objects.requireNonNull(finalRecipient, "finalRecipient");
      Objects.requireNonNull(originalMessageId, "originalMessageId");
      Objects.requireNonNull(disposition, "disposition");
      extensionFields = Map.copyOf(extensionFields);
    }

    /** The ANS integration error, when this is {@code processed/Error: code^label}. */
    public Optional<IntegrationError> integrationError() {
      return disposition.integrationError();
    }
  }

  /**
   * A delivery status notification (RFC 3464).
   *
   * @param originalMessageId the Message-ID of the returned message (from its returned headers, or
   *     from a per-message {@code *-Original-Message-Id} extension field)
   */
  record Dsn(
      Optional<String> messageId,
      Optional<String> reportingMta,
      Optional<String> originalEnvelopeId,
      Optional<String> originalMessageId,
      List<RecipientStatus> recipients) implements Notification {

    public Dsn {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(reportingMta, "reportingMta");
      Objects.requireNonNull(originalEnvelopeId, "originalEnvelopeId");
      Objects.requireNonNull(originalMessageId, "originalMessageId");
      recipients = List.copyOf(recipients);
      if (recipients.isEmpty()) {
        throw new IllegalArgumentException("a DSN has at least one recipient block");
      }
    }
  }

  /** A multipart/report (or notification part) that cannot be read; {@code reason} says why. */
  record Unparseable(Optional<String> messageId, String reason) implements Notification {
    public Unparseable {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
