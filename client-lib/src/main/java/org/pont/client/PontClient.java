package org.pont.client;

import jakarta.mail.Flags;
import jakarta.mail.internet.MimeMessage;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.pont.index.DefaultMessageExtractor;
import org.pont.index.IndexException;
import org.pont.index.MessageExtractor;
import org.pont.index.MessageIndex;
import org.pont.index.MessageRef;
import org.pont.index.SearchQuery;
import org.pont.index.SearchResults;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SecureMessaging;
import org.pont.smime.SignatureVerdict;
import org.pont.smime.SignerBinding;
import org.pont.smime.SmimeException;
import org.pont.smime.VerdictReason;
import org.pont.tracking.Disposition;
import org.pont.tracking.LoopPrevention;
import org.pont.tracking.MdnBuilder;
import org.pont.tracking.ReceiptRequests;
import org.pont.tracking.TrackingException;
import org.pont.transport.ImapMailbox;
import org.pont.transport.MailSender;
import org.pont.transport.MailboxSync;
import org.pont.transport.NewMailWatch;
import org.pont.transport.SyncProgress;
import org.pont.transport.SyncResult;
import org.pont.transport.TransportException;

/**
 * The one entry point for software that embeds Pont: send, sync, search, open and acknowledge,
 * over a mailbox and a local index, from typed {@link PontSettings}.
 *
 * <pre>{@code
 * try (PontClient pont = PontClient.open(settings)) {
 *   pont.send(message, MailSender.Protection.SIGN_AND_ENCRYPT, List.of(recipientCert));
 *   pont.sync(p -> System.out.printf("%d/%d%n", p.done(), p.total()));
 *   for (SearchHit hit : pont.search(SearchQuery.text("rééducation")).hits()) {
 *     OpenedMessage original = pont.open(hit.ref());
 *     pont.acknowledge(hit.ref()); // sends the read receipt the sender asked for, once
 *   }
 * }
 * }</pre>
 *
 * Thread-safety: send, search, open and acknowledge may be called concurrently; run one sync at a time.
 */
public final class PontClient implements AutoCloseable {
  private final PontSettings settings;
  private final MessageIndex index;
  private final MailSender sender;
  private final MailboxSync sync;
  private final ImapMailbox mailbox;

  private PontClient(PontSettings settings, MessageIndex index, MessageExtractor extractor) {
    this.settings = settings;
    this.index = index;
    MailSender s = MailSender.of(settings.smtp(), settings.credentials());
    this.sender = settings.secureMessaging().map(s::withSecureMessaging).orElse(s);
    this.sync = MailboxSync.builder(settings.imap(), settings.credentials(), index)
        .extractor(extractor).folders(settings.folders().toArray(String[]::new)).batchSize(settings.batchSize()).build();
    this.mailbox = ImapMailbox.of(settings.imap(), settings.credentials());
  }

  /** Opens (or creates) the index and readies the client; nothing connects until a call needs it. */
  public static PontClient open(PontSettings settings) throws IndexException {
    DefaultMessageExtractor.Builder extractor = DefaultMessageExtractor.builder();
    settings.secureMessaging().ifPresent(extractor::secureMessaging);
    return open(settings, extractor.build());
  }

  /** The same with another extractor (e.g. one that also reads XDM/CDA attachments). */
  public static PontClient open(PontSettings settings, MessageExtractor extractor) throws IndexException {
    return new PontClient(settings, MessageIndex.open(settings.indexFolder()), extractor);
  }

  /** Submits a message as it is; returns its Message-ID. */
  public String send(MimeMessage message) throws TransportException, SmimeException {
    return sender.send(message);
  }

  /** Signs or signs-and-encrypts (needs S/MIME settings), then submits; returns the Message-ID. */
  public String send(MimeMessage message, MailSender.Protection protection, List<X509Certificate> recipientCertificates)
      throws TransportException, SmimeException {
    return sender.send(message, protection, recipientCertificates);
  }

  /** Brings the index up to date with the configured folders. */
  public SyncResult sync(SyncProgress.Listener listener) throws TransportException, IndexException {
    return sync.sync(listener);
  }

  /** Empties the index and syncs everything again. */
  public SyncResult rebuild(SyncProgress.Listener listener) throws TransportException, IndexException {
    return sync.rebuild(listener);
  }

  /** Searches the local index (no server needed). */
  public SearchResults search(SearchQuery query) throws IndexException {
    return index.search(query);
  }

  /**
   * Fetches the original message and opens it: decrypted and verified when S/MIME settings are
   * configured; otherwise as it came, with a {@code NOT_SIGNED} verdict if it is not signed.
   */
  public OpenedMessage open(MessageRef ref) throws TransportException, SmimeException {
    MimeMessage original = mailbox.fetch(ref);
    Optional<SecureMessaging> smime = settings.secureMessaging();
    if (smime.isPresent()) {
      return smime.get().open(original);
    }
    return new OpenedMessage(false, new SignatureVerdict(VerdictReason.NOT_SIGNED,
        "no S/MIME settings: the signature, if any, was not checked", Optional.empty(), Optional.empty(),
        Optional.empty(), SignerBinding.NONE), original);
  }

  /**
   * What {@link #acknowledge} did about the receipt the sender asked for.
   *
   * @param mdnMessageId the Message-ID of the MDN sent now, if one was sent
   * @param detail why no MDN was sent (already sent, none asked, the message is a notification...), or what was sent
   */
  public record Acknowledgement(Optional<String> mdnMessageId, String detail) {
    public Acknowledgement {
      Objects.requireNonNull(mdnMessageId, "mdnMessageId");
      Objects.requireNonNull(detail, "detail");
    }

    public boolean mdnSent() {
      return mdnMessageId.isPresent();
    }
  }

  /**
   * Acknowledges a message a person has displayed: sends the read receipt its sender asked for
   * ({@code manual-action/MDN-sent-manually; displayed}), then marks it read and acknowledged.
   *
   * @see #acknowledge(MessageRef, Disposition)
   */
  public Acknowledgement acknowledge(MessageRef ref) throws TransportException, IndexException, SmimeException {
    return acknowledge(ref, Disposition.displayedManually());
  }

  /**
   * Sends the MDN (RFC 8098) the message's {@code Disposition-Notification-To} asks for, with the
   * given disposition — {@link Disposition#processed()} or
   * {@link Disposition#integrationError(org.pont.tracking.IntegrationError)} for the ANS integration
   * acknowledgement — then marks the message {@code \Seen} and {@value MailboxSync#ACKNOWLEDGED_KEYWORD}
   * on the server and in the index. At most one MDN per message: a message that already carries
   * {@value MailboxSync#ACKNOWLEDGED_KEYWORD} (RFC 3503) is only marked again. No MDN answers a
   * notification, an automatic message or a message that asked for none ({@link LoopPrevention});
   * an encrypted message is opened first so that an encrypted notification is recognised too.
   */
  public Acknowledgement acknowledge(MessageRef ref, Disposition disposition)
      throws TransportException, IndexException, SmimeException {
    Objects.requireNonNull(disposition, "disposition");
    Acknowledgement result;
    if (mailbox.flags(ref).contains(MailboxSync.ACKNOWLEDGED_KEYWORD)) {
      result = new Acknowledgement(Optional.empty(), "already acknowledged: no second MDN");
    } else {
      result = sendMdn(ref, disposition);
    }
    Flags flags = new Flags(Flags.Flag.SEEN);
    flags.add(MailboxSync.ACKNOWLEDGED_KEYWORD);
    mailbox.setFlags(ref, flags, true);
    index.updateFlags(ref, true, true);
    index.commit();
    return result;
  }

  private Acknowledgement sendMdn(MessageRef ref, Disposition disposition) throws TransportException, SmimeException {
    MimeMessage original = mailbox.fetch(ref);
    Optional<String> why = LoopPrevention.whyNot(original);
    if (why.isEmpty() && settings.secureMessaging().isPresent() && isEncrypted(original)) {
      why = LoopPrevention.whyNot(settings.secureMessaging().get().open(original).content());
    }
    if (why.isPresent()) {
      return new Acknowledgement(Optional.empty(), "no MDN: " + why.get());
    }
    try {
      if (ReceiptRequests.mdnRequestedBy(original).isEmpty()) {
        return new Acknowledgement(Optional.empty(), "no MDN: the sender asked for none");
      }
      String me = settings.credentials().user();
      MimeMessage mdn = MdnBuilder.answering(original)
          .from(me)
          .finalRecipient(me)
          .reportingUa(domainOf(me) + "; Pont")
          .disposition(disposition)
          .build();
      String id;
      try {
        id = sender.send(mdn);
      } catch (TransportException e) {
        if (e.reason() != TransportException.Reason.REJECTED || !(mdn instanceof SMTPMessage smtp)) {
          throw e;
        }
        // RFC 8098 §3: the envelope sender SHOULD be null, and some submission servers refuse
        // MAIL FROM:<>. The mailbox's own address is the fallback; Auto-Submitted and the report
        // type still keep anybody from answering the MDN.
        smtp.setEnvelopeFrom(me);
        id = sender.send(mdn);
      }
      return new Acknowledgement(Optional.of(id), "MDN " + disposition.format() + " sent");
    } catch (jakarta.mail.MessagingException e) {
      return new Acknowledgement(Optional.empty(), "no MDN: the message headers cannot be read: " + e.getMessage());
    } catch (TrackingException e) {
      return new Acknowledgement(Optional.empty(), "no MDN: " + e.getMessage());
    }
  }

  private static boolean isEncrypted(MimeMessage m) {
    try {
      return m.isMimeType("application/pkcs7-mime") || m.isMimeType("application/x-pkcs7-mime");
    } catch (jakarta.mail.MessagingException e) {
      return false;
    }
  }

  private static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    return at < 0 ? address : address.substring(at + 1);
  }

  /** Watches a folder for new mail (IMAP IDLE, or polling) and tells the listener; close the watch to stop. */
  public NewMailWatch watch(String folder, NewMailWatch.Listener listener) {
    return NewMailWatch.start(sync, folder, Duration.ofSeconds(60), listener);
  }

  /** The local index, for what this facade does not cover. */
  public MessageIndex index() {
    return index;
  }

  @Override
  public void close() throws IndexException {
    index.close();
  }
}
