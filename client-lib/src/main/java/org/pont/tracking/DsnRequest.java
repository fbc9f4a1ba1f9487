package org.pont.tracking;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * The DSN parameters a sender asks for (RFC 3461): NOTIFY per recipient, RET and ENVID on MAIL FROM,
 * ORCPT per recipient. {@link #applyTo(MimeMessage)} gives the SMTP layer an Angus
 * {@link SMTPMessage} carrying NOTIFY, RET and ENVID; Angus has no ORCPT support, so
 * {@link #originalRecipient()} is kept for the record but not sent (see ADR 0006).
 */
public record DsnRequest(Set<Notify> notifyOn, Optional<Ret> ret, Optional<String> envelopeId, Optional<String> originalRecipient) {

  /** RFC 3461 NOTIFY keywords. */
  public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }

  /** RFC 3461 RET keywords. */
  public enum Ret { FULL, HDRS }

  public DsnRequest {
    notifyOn = Set.copyOf(notifyOn);
    Objects.requireNonNull(ret, "ret");
    Objects.requireNonNull(envelopeId, "envelopeId");
    Objects.requireNonNull(originalRecipient, "originalRecipient");
    if (notifyOn.isEmpty()) {
      throw new IllegalArgumentException("NOTIFY needs at least one keyword");
    }
    if (notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1) {
      throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other keywords");
    }
    envelopeId.ifPresent(DsnRequest::checkXtext);
  }

  /** NOTIFY=SUCCESS,FAILURE,DELAY with RET=HDRS: what Pont asks for by default. */
  public static DsnRequest all() {
    return new DsnRequest(EnumSet.of(Notify.SUCCESS, Notify.FAILURE, Notify.DELAY), Optional.of(Ret.HDRS), Optional.empty(), Optional.empty());
  }

  public DsnRequest withEnvelopeId(String envid) {
    return new DsnRequest(notifyOn, ret, Optional.of(envid), originalRecipient);
  }

  public DsnRequest withOriginalRecipient(String address) {
    return new DsnRequest(notifyOn, ret, envelopeId, Optional.of(address));
  }

  /** The NOTIFY value in RFC order, e.g. {@code SUCCESS,FAILURE,DELAY}. */
  public String notifyParameter() {
    return EnumSet.copyOf(notifyOn).stream().map(Enum::name).collect(Collectors.joining(","));
  }

  /**
   * A copy of the message as an Angus {@link SMTPMessage} with NOTIFY, RET and ENVID set, for
   * {@code Transport.sendMessage}. The server must announce the DSN extension, or Angus leaves the
   * parameters out.
   */
  public SMTPMessage applyTo(MimeMessage message) throws MessagingException {
    SMTPMessage smtp = message instanceof SMTPMessage s ? s : new SMTPMessage(message);
    int options = 0;
    for (Notify n : notifyOn) {
      options |= switch (n) {
        case NEVER -> SMTPMessage.NOTIFY_NEVER;
        case SUCCESS -> SMTPMessage.NOTIFY_SUCCESS;
        case FAILURE -> SMTPMessage.NOTIFY_FAILURE;
        case DELAY -> SMTPMessage.NOTIFY_DELAY;
      };
    }
    smtp.setNotifyOptions(options);
    ret.ifPresent(r -> smtp.setReturnOption(r == Ret.FULL ? SMTPMessage.RETURN_FULL : SMTPMessage.RETURN_HDRS));
    envelopeId.ifPresent(id -> smtp.setMailExtension("ENVID=" + id));
    return smtp;
  }

  /** ENVID is xtext (RFC 3461 §4): printable ASCII without '+', '=' or spaces; at most 100 characters. */
  private static void checkXtext(String id) {
    if (id.isEmpty() || id.length() > 100 || !id.chars().allMatch(c -> c > 32 && c < 127 && c != '+' && c != '=')) {
      throw new IllegalArgumentException("ENVID must be 1-100 printable ASCII characters without '+', '=' or spaces: '" + id + "'");
    }
  }
}
