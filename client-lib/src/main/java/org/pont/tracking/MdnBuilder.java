package org.pont.tracking;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Builds an MDN (RFC 8098) — a read receipt or the ANS integration acknowledgement — as a
 * {@code multipart/report; report-type=disposition-notification} message sent with a null envelope
 * sender and {@code Auto-Submitted: auto-replied}.
 *
 * <pre>{@code
 * MimeMessage ack = MdnBuilder.answering(received)          // refuses to answer a notification
 *     .from("lgc@cabinet.test")
 *     .finalRecipient("dr.martin@cabinet.test")
 *     .reportingUa("cabinet.test; Pont")
 *     .disposition(Disposition.integrationError(IntegrationError.of(IntegrationErrorCode.UNKNOWN_PATIENT)))
 *     .build();
 * }</pre>
 */
public final class MdnBuilder {
  private final String originalMessageId;
  private final InternetAddress notifyTo;
  private final Optional<MimeMessage> original;
  private String from;
  private String finalRecipient;
  private Optional<String> originalRecipient = Optional.empty();
  private String reportingUa = "Pont";
  private Disposition disposition = Disposition.processed();
  private Optional<String> text = Optional.empty();
  private boolean attachHeaders;

  private MdnBuilder(String originalMessageId, InternetAddress notifyTo, Optional<MimeMessage> original) {
    this.originalMessageId = originalMessageId;
    this.notifyTo = notifyTo;
    this.original = original;
  }

  /**
   * An MDN answering a received message: addressed to its {@code Disposition-Notification-To},
   * quoting its Message-ID and {@code Original-Recipient} header.
   *
   * @throws TrackingException {@code LOOP_PREVENTED} if the message must not be answered
   *     ({@link LoopPrevention}), {@code MISSING_FIELD} if it asked for no MDN or has no Message-ID
   */
  public static MdnBuilder answering(MimeMessage received) throws TrackingException {
    Optional<String> why = LoopPrevention.whyNot(received);
    if (why.isPresent()) {
      throw new TrackingException(TrackingException.Reason.LOOP_PREVENTED, "no MDN is sent: " + why.get());
    }
    try {
      Optional<InternetAddress> to = ReceiptRequests.mdnRequestedBy(received);
      if (to.isEmpty()) {
        throw new TrackingException(TrackingException.Reason.MISSING_FIELD,
            "the message asks for no MDN (no valid Disposition-Notification-To)");
      }
      String id = ReportMime.header(received, "Message-ID");
      if (id == null) {
        throw new TrackingException(TrackingException.Reason.MISSING_FIELD, "the message has no Message-ID to acknowledge");
      }
      MdnBuilder b = new MdnBuilder(id, to.get(), Optional.of(received));
      b.originalRecipient = Optional.ofNullable(ReportMime.header(received, "Original-Recipient")).map(NotificationParser::address);
      return b;
    } catch (MessagingException e) {
      throw new TrackingException(TrackingException.Reason.MALFORMED_MIME, "the message headers cannot be read: " + e.getMessage(), e);
    }
  }

  /** An MDN from known values, without the original message at hand. */
  public static MdnBuilder of(String originalMessageId, String notifyTo) throws TrackingException {
    Objects.requireNonNull(originalMessageId, "originalMessageId");
    try {
      return new MdnBuilder(originalMessageId.strip(), new InternetAddress(notifyTo, true), Optional.empty());
    } catch (AddressException e) {
      throw new TrackingException(TrackingException.Reason.MISSING_FIELD, "not an address to notify: '" + notifyTo + "'", e);
    }
  }

  /** The MDN's From; also the Final-Recipient unless {@link #finalRecipient} is given. */
  public MdnBuilder from(String address) {
    this.from = Objects.requireNonNull(address, "address");
    return this;
  }

  public MdnBuilder finalRecipient(String address) {
    this.finalRecipient = Objects.requireNonNull(address, "address");
    return this;
  }

  public MdnBuilder originalRecipient(String address) {
    this.originalRecipient = Optional.of(address);
    return this;
  }

  /** {@code Reporting-UA}, e.g. {@code cabinet.test; Pont 0.1}. */
  public MdnBuilder reportingUa(String ua) {
    this.reportingUa = Objects.requireNonNull(ua, "ua");
    return this;
  }

  /** Default: {@code automatic-action/MDN-sent-automatically; processed}. */
  public MdnBuilder disposition(Disposition disposition) {
    this.disposition = Objects.requireNonNull(disposition, "disposition");
    return this;
  }

  /** The human-readable part; a sentence matching the disposition by default. */
  public MdnBuilder text(String text) {
    this.text = Optional.of(text);
    return this;
  }

  /** Attach the original message's headers as a third {@code text/rfc822-headers} part. */
  public MdnBuilder attachOriginalHeaders() {
    this.attachHeaders = true;
    return this;
  }

  public MimeMessage build() throws TrackingException {
    return build(Session.getInstance(new Properties()));
  }

  public MimeMessage build(Session session) throws TrackingException {
    String reporter = Optional.ofNullable(from).orElse(finalRecipient);
    String finalRcpt = Optional.ofNullable(finalRecipient).orElse(from);
    if (reporter == null) {
      throw new TrackingException(TrackingException.Reason.MISSING_FIELD, "an MDN needs from(...) or finalRecipient(...)");
    }
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    fields.add(Map.entry("Reporting-UA", reportingUa));
    originalRecipient.ifPresent(r -> fields.add(Map.entry("Original-Recipient", "rfc822;" + r)));
    fields.add(Map.entry("Final-Recipient", "rfc822;" + finalRcpt));
    fields.add(Map.entry("Original-Message-ID", originalMessageId));
    fields.add(Map.entry("Disposition", disposition.format()));
    try {
      MimeMessage original = this.original.orElse(null);
      MimeMessage mdn = ReportMime.build(session, "disposition-notification", text.orElseGet(this::defaultText),
          NotificationParser.MDN_TYPE, ReportMime.block(fields), original, attachHeaders && original != null);
      mdn.setFrom(new InternetAddress(reporter, true));
      mdn.setRecipient(MimeMessage.RecipientType.TO, notifyTo);
      String subject = original == null ? null : original.getSubject();
      mdn.setSubject(capitalised(disposition.type().keyword()) + (subject == null ? "" : ": " + subject), "UTF-8");
      mdn.setHeader("In-Reply-To", originalMessageId);
      mdn.setHeader("References", originalMessageId);
      mdn.saveChanges();
      return mdn;
    } catch (MessagingException | IllegalArgumentException e) {
      throw new TrackingException(TrackingException.Reason.MALFORMED_MIME, "the MDN cannot be built: " + e.getMessage(), e);
    }
  }

  private String defaultText() {
    Optional<IntegrationError> error = disposition.integrationError();
    if (error.isPresent()) {
      return "The message " + originalMessageId + " was received but could not be integrated: error "
          + error.get().code() + " (" + error.get().label() + ").";
    }
    return switch (disposition.type()) {
      case PROCESSED -> "The message " + originalMessageId + " was received and processed.";
      case DISPLAYED -> "The message " + originalMessageId + " was displayed to the recipient. This does not mean it was read or understood.";
      case DISPATCHED -> "The message " + originalMessageId + " was delivered to its final destination.";
      case DELETED -> "The message " + originalMessageId + " was deleted without being displayed.";
      case DENIED, FAILED -> "The message " + originalMessageId + " could not be handled by the recipient.";
    };
  }

  private static String capitalised(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
