package org.pont.tracking;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Builds a DSN (RFC 3464): {@code multipart/report; report-type=delivery-status} with a
 * human-readable part, the per-message and per-recipient fields, and the original headers
 * ({@code text/rfc822-headers}, what RET=HDRS asks for). Sent with a null envelope sender.
 *
 * <pre>{@code
 * MimeMessage dsn = DsnBuilder.about(refused, "hopital.test")
 *     .to("sender@hopital.test")
 *     .recipient(RecipientStatus.of("dr.x@cabinet.test", Action.FAILED, StatusCode.parse("5.1.1"))
 *         .withDiagnosticCode("smtp; 550 5.1.1 no such user"))
 *     .build();
 * }</pre>
 */
public final class DsnBuilder {
  private final String reportingMta;
  private final Optional<MimeMessage> original;
  private InternetAddress to;
  private String from;
  private Optional<String> envelopeId = Optional.empty();
  private Optional<Instant> arrivalDate = Optional.empty();
  private final List<RecipientStatus> recipients = new ArrayList<>();
  private Optional<String> text = Optional.empty();

  private DsnBuilder(String reportingMta, Optional<MimeMessage> original) {
    this.reportingMta = Objects.requireNonNull(reportingMta, "reportingMta");
    this.original = original;
  }

  /**
   * A DSN about a message this MTA handled; its headers are returned.
   *
   * @throws TrackingException {@code LOOP_PREVENTED} if the message is itself a notification, automatic,
   *     or has a null return path ({@link LoopPrevention}) — such messages are never answered
   */
  public static DsnBuilder about(MimeMessage original, String reportingMta) throws TrackingException {
    Optional<String> why = LoopPrevention.whyNot(original);
    if (why.isPresent()) {
      throw new TrackingException(TrackingException.Reason.LOOP_PREVENTED, "no DSN is sent: " + why.get());
    }
    return new DsnBuilder(reportingMta, Optional.of(original));
  }

  /** A DSN without the original message (its headers are then not returned). */
  public static DsnBuilder withoutOriginal(String reportingMta) {
    return new DsnBuilder(reportingMta, Optional.empty());
  }

  /** Who gets the DSN: the original envelope sender. */
  public DsnBuilder to(String address) throws TrackingException {
    try {
      this.to = new InternetAddress(address, true);
    } catch (AddressException e) {
      throw new TrackingException(TrackingException.Reason.MISSING_FIELD, "not an address to notify: '" + address + "'", e);
    }
    return this;
  }

  /** The DSN's From; {@code postmaster@<reporting MTA>} by default. */
  public DsnBuilder from(String address) {
    this.from = Objects.requireNonNull(address, "address");
    return this;
  }

  /** The ENVID the sender gave (RFC 3461 §4.4). */
  public DsnBuilder originalEnvelopeId(String envid) {
    this.envelopeId = Optional.of(envid);
    return this;
  }

  public DsnBuilder arrivalDate(Instant when) {
    this.arrivalDate = Optional.of(when);
    return this;
  }

  public DsnBuilder recipient(RecipientStatus status) {
    recipients.add(Objects.requireNonNull(status, "status"));
    return this;
  }

  public DsnBuilder text(String text) {
    this.text = Optional.of(text);
    return this;
  }

  public MimeMessage build() throws TrackingException {
    return build(Session.getInstance(new Properties()));
  }

  public MimeMessage build(Session session) throws TrackingException {
    if (to == null) {
      throw new TrackingException(TrackingException.Reason.MISSING_FIELD, "a DSN needs to(...): the original sender");
    }
    if (recipients.isEmpty()) {
      throw new TrackingException(TrackingException.Reason.MISSING_FIELD, "a DSN needs at least one recipient(...)");
    }
    StringBuilder report = new StringBuilder();
    List<Map.Entry<String, String>> perMessage = new ArrayList<>();
    perMessage.add(Map.entry("Reporting-MTA", "dns; " + reportingMta));
    envelopeId.ifPresent(id -> perMessage.add(Map.entry("Original-Envelope-Id", id)));
    arrivalDate.ifPresent(d -> perMessage.add(Map.entry("Arrival-Date", new MailDateFormat().format(Date.from(d)))));
    report.append(ReportMime.block(perMessage));
    for (RecipientStatus r : recipients) {
      List<Map.Entry<String, String>> f = new ArrayList<>();
      r.originalRecipient().ifPresent(a -> f.add(Map.entry("Original-Recipient", "rfc822;" + a)));
      f.add(Map.entry("Final-Recipient", "rfc822;" + r.finalRecipient()));
      f.add(Map.entry("Action", r.action().keyword()));
      f.add(Map.entry("Status", r.status().toString()));
      r.remoteMta().ifPresent(m -> f.add(Map.entry("Remote-MTA", "dns; " + m)));
      r.diagnosticCode().ifPresent(d -> f.add(Map.entry("Diagnostic-Code", d)));
      report.append("\r\n").append(ReportMime.block(f));
    }
    try {
      MimeMessage orig = original.orElse(null);
      MimeMessage dsn = ReportMime.build(session, "delivery-status", text.orElseGet(this::defaultText),
          NotificationParser.DSN_TYPE, report.toString(), orig, orig != null);
      dsn.setFrom(new InternetAddress(Optional.ofNullable(from).orElse("postmaster@" + reportingMta), true));
      dsn.setRecipient(MimeMessage.RecipientType.TO, to);
      dsn.setSubject("Delivery Status Notification (" + summary() + ")");
      if (orig != null && orig.getMessageID() != null) {
        dsn.setHeader("In-Reply-To", orig.getMessageID());
        dsn.setHeader("References", orig.getMessageID());
      }
      dsn.saveChanges();
      return dsn;
    } catch (MessagingException | IllegalArgumentException e) {
      throw new TrackingException(TrackingException.Reason.MALFORMED_MIME, "the DSN cannot be built: " + e.getMessage(), e);
    }
  }

  private String summary() {
    if (recipients.stream().anyMatch(r -> r.action() == Action.FAILED)) {
      return "failure";
    }
    if (recipients.stream().anyMatch(r -> r.action() == Action.DELAYED)) {
      return "delay";
    }
    return "success";
  }

  private String defaultText() {
    StringBuilder sb = new StringBuilder("This is a delivery status notification from " + reportingMta + ".\n\n");
    for (RecipientStatus r : recipients) {
      sb.append(r.finalRecipient()).append(": ").append(r.action().keyword()).append(" (").append(r.status()).append(")");
      r.diagnosticCode().ifPresent(d -> sb.append(" - ").append(d));
      sb.append('\n');
    }
    return sb.toString();
  }
}
