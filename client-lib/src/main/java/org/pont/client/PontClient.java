package org.pont.client;

import jakarta.mail.Flags;
import jakarta.mail.internet.MimeMessage;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 *     pont.acknowledge(hit.ref());
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
   * Marks a message read and acknowledged on the server ({@code \Seen} and
   * {@value MailboxSync#ACKNOWLEDGED_KEYWORD}) and in the index. Building and sending the
   * integration acknowledgement (MDN) itself is the tracking package's job.
   */
  public void acknowledge(MessageRef ref) throws TransportException, IndexException {
    Flags flags = new Flags(Flags.Flag.SEEN);
    flags.add(MailboxSync.ACKNOWLEDGED_KEYWORD);
    mailbox.setFlags(ref, flags, true);
    index.updateFlags(ref, true, true);
    index.commit();
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
