package org.pont.transport;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.pont.smime.SecureMessaging;
import org.pont.smime.SmimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits messages over SMTP (RFC 6409) with TLS required (STARTTLS or implicit) and AUTH,
 * optionally signing or signing-and-encrypting them end to end first. Immutable and thread-safe;
 * each call opens its own connection.
 *
 * <pre>{@code
 * MailSender sender = MailSender.of(ServerSettings.starttls("mail.hopital.test", 587, trust), credentials)
 *     .withSecureMessaging(smime);
 * String id = sender.send(message, Protection.SIGN_AND_ENCRYPT, List.of(recipientCert));
 * }</pre>
 */
public final class MailSender {
  private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);

  /** What end-to-end S/MIME protection to apply before submission. */
  public enum Protection {
    /** Send as is (the gateway may still sign and encrypt for the organisation). */
    NONE,
    /** Sign with our signature key. */
    SIGN,
    /** Sign, then encrypt to the recipients' certificates (and our own). */
    SIGN_AND_ENCRYPT
  }

  private final ServerSettings server;
  private final MailCredentials credentials;
  private final Optional<SecureMessaging> smime;

  private MailSender(ServerSettings server, MailCredentials credentials, Optional<SecureMessaging> smime) {
    this.server = Objects.requireNonNull(server, "server");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.smime = smime;
  }

  public static MailSender of(ServerSettings server, MailCredentials credentials) {
    return new MailSender(server, credentials, Optional.empty());
  }

  /** The same sender with S/MIME keys for {@link Protection#SIGN} and {@link Protection#SIGN_AND_ENCRYPT}. */
  public MailSender withSecureMessaging(SecureMessaging secureMessaging) {
    return new MailSender(server, credentials, Optional.of(secureMessaging));
  }

  /** Submits the message as it is. */
  public String send(MimeMessage message) throws TransportException, SmimeException {
    return send(message, Protection.NONE, List.of());
  }

  /**
   * Protects (if asked), then submits the message to its To/Cc/Bcc recipients.
   *
   * @param recipientCertificates the recipients' encryption certificates (for {@link Protection#SIGN_AND_ENCRYPT})
   * @return the Message-ID of what was sent, with its angle brackets
   * @throws SmimeException if signing or encryption fails (bad key, recipient certificate expired...)
   * @throws TransportException if the server cannot be reached, refuses TLS, the login or the message
   */
  public String send(MimeMessage message, Protection protection, List<X509Certificate> recipientCertificates)
      throws TransportException, SmimeException {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(protection, "protection");
    Session session = MailSessions.session("smtp", server, credentials.mechanism());
    MimeMessage out;
    Address[] recipients;
    try {
      message.saveChanges(); // fixes the Message-ID before signing, so the signed copy keeps it
      recipients = message.getAllRecipients();
      if (recipients == null || recipients.length == 0) {
        throw new TransportException(TransportException.Reason.REJECTED, "the message has no recipient", null);
      }
      out = switch (protection) {
        case NONE -> message;
        case SIGN -> requireSmime().sign(message);
        case SIGN_AND_ENCRYPT -> requireSmime().signAndEncrypt(message, recipientCertificates);
      };
      if (out != message) {
        carryEnvelope(message, session);
      }
    } catch (MessagingException e) {
      throw new TransportException(TransportException.Reason.PROTOCOL, "the message cannot be prepared: " + e.getMessage(), e);
    }
    char[] password = credentials.password();
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect(server.host(), server.port(), credentials.user(), new String(password));
      transport.sendMessage(out, recipients);
      String id = out.getMessageID();
      LOG.info("sent message_id={} recipients={} protection={}", id, recipients.length, protection);
      return id;
    } catch (MessagingException e) {
      throw MailSessions.map("sending through", server, e);
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
  }

  /**
   * Signing and encrypting make a new message, which would drop the SMTP envelope options of an
   * Angus {@link SMTPMessage} (RFC 3461 NOTIFY, RET, ENVID via the MAIL extension, envelope sender,
   * e.g. from {@code DsnRequest.applyTo}): they move to this send's own session, which Angus reads
   * when the message itself carries none.
   */
  static void carryEnvelope(MimeMessage original, Session session) {
    if (!(original instanceof SMTPMessage smtp)) {
      return;
    }
    java.util.Properties p = session.getProperties();
    int notify = smtp.getNotifyOptions();
    if (notify == SMTPMessage.NOTIFY_NEVER) {
      p.setProperty("mail.smtp.dsn.notify", "NEVER");
    } else if (notify != 0) {
      List<String> on = new java.util.ArrayList<>();
      if ((notify & SMTPMessage.NOTIFY_SUCCESS) != 0) {
        on.add("SUCCESS");
      }
      if ((notify & SMTPMessage.NOTIFY_FAILURE) != 0) {
        on.add("FAILURE");
      }
      if ((notify & SMTPMessage.NOTIFY_DELAY) != 0) {
        on.add("DELAY");
      }
      p.setProperty("mail.smtp.dsn.notify", String.join(",", on));
    }
    switch (smtp.getReturnOption()) {
      case SMTPMessage.RETURN_FULL -> p.setProperty("mail.smtp.dsn.ret", "FULL");
      case SMTPMessage.RETURN_HDRS -> p.setProperty("mail.smtp.dsn.ret", "HDRS");
      default -> { }
    }
    if (smtp.getMailExtension() != null) {
      p.setProperty("mail.smtp.mailextension", smtp.getMailExtension());
    }
    if (smtp.getEnvelopeFrom() != null) {
      p.setProperty("mail.smtp.from", smtp.getEnvelopeFrom());
    }
    if (smtp.getSubmitter() != null) {
      p.setProperty("mail.smtp.submitter", smtp.getSubmitter());
    }
  }

  /** The addresses of a message's recipients, for looking up their certificates. */
  public static List<String> recipientAddresses(MimeMessage message) throws MessagingException {
    Address[] all = message.getAllRecipients();
    return all == null ? List.of() : java.util.Arrays.stream(all).map(a -> ((InternetAddress) a).getAddress()).toList();
  }

  private SecureMessaging requireSmime() {
    return smime.orElseThrow(() -> new IllegalStateException("no S/MIME keys configured: call withSecureMessaging(...)"));
  }

  @Override
  public String toString() {
    return "MailSender[" + server.address() + " " + server.tls() + ", user=" + credentials.user() + "]";
  }
}
