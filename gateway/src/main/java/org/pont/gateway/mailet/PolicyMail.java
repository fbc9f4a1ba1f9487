package org.pont.gateway.mailet;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.james.core.MailAddress;
import org.pont.gateway.audit.AuditEvent;

/** What the policy mailets record on a mail as it goes through the pipeline. */
public final class PolicyMail {

  /** The processor refused mail is sent to (mailetcontainer.xml). */
  public static final String QUARANTINE_PROCESSOR = "pont-quarantine";
  /** The refusal reason code, e.g. {@code UNTRUSTED_DOMAIN}. */
  public static final AttributeName REASON = AttributeName.of("org.pont.quarantine.reason");
  /** A sentence about the refusal (the message's form, never its content). */
  public static final AttributeName REASON_DETAIL = AttributeName.of("org.pont.quarantine.detail");
  /** The signature verdict or outbound treatment. */
  public static final AttributeName VERDICT = AttributeName.of("org.pont.verdict");
  /** The document type codes, comma separated. */
  public static final AttributeName DOCUMENT_TYPES = AttributeName.of("org.pont.document-types");

  private PolicyMail() {}

  /**
   * Sends the mail to the quarantine processor with its reason: there it is stored in the
   * quarantine repository and, unless it is itself a notification, bounced with a DSN that says why.
   */
  static void refuse(Mail mail, String reason, String detail) {
    mail.setAttribute(new Attribute(REASON, AttributeValue.of(reason)));
    mail.setAttribute(new Attribute(REASON_DETAIL, AttributeValue.of(detail)));
    mail.setErrorMessage("Pont refused this message (" + reason + "): " + detail);
    mail.setState(QUARANTINE_PROCESSOR);
  }

  /** Forgets every policy outcome recorded on the mail. */
  static void clear(Mail mail) {
    for (AttributeName name : List.of(REASON, REASON_DETAIL, VERDICT, DOCUMENT_TYPES)) {
      mail.removeAttribute(name);
    }
  }

  static Optional<String> string(Mail mail, AttributeName name) {
    return mail.getAttribute(name).map(a -> a.getValue().value()).filter(String.class::isInstance).map(String.class::cast);
  }

  static void set(Mail mail, AttributeName name, String value) {
    mail.setAttribute(new Attribute(name, AttributeValue.of(value)));
  }

  /** An audit event for the mail as it stands: sender, recipients, Message-ID, codes and verdict. */
  static AuditEvent event(Clock clock, AuditEvent.Type type, Mail mail) {
    Optional<String> messageId;
    try {
      messageId = Optional.ofNullable(mail.getMessage().getMessageID());
    } catch (MessagingException e) {
      messageId = Optional.empty();
    }
    List<String> types = string(mail, DOCUMENT_TYPES)
        .map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList())
        .orElseGet(() -> {
          try {
            return declaredTypes(mail.getMessage());
          } catch (MessagingException e) {
            return List.of();
          }
        });
    return new AuditEvent(clock.instant(), type, messageId, mail.getMaybeSender().asString("<>"),
        mail.getRecipients().stream().map(MailAddress::asString).toList(), types,
        string(mail, VERDICT), string(mail, REASON));
  }

  /** What the sender declared (X-MSS-CODECDA), when the gateway has not read the documents itself. */
  static List<String> declaredTypes(javax.mail.internet.MimeMessage message) {
    try {
      String[] values = message.getHeader("X-MSS-CODECDA");
      if (values == null) {
        return List.of();
      }
      return Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).map(String::strip)
          .filter(x -> x.matches("[A-Za-z0-9.\\-]{1,40}")).toList();
    } catch (MessagingException e) {
      return List.of();
    }
  }
}
