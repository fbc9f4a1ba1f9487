package org.pont.transport;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jakarta.mail.util.SharedByteArrayInputStream;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.pont.index.DefaultMessageExtractor;
import org.pont.index.IndexException;
import org.pont.index.MessageExtractor;
import org.pont.index.MessageIndex;
import org.pont.index.MessageRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the index up to date with IMAP folders, incrementally: for each folder it lists UID,
 * flags and size of the messages above the folder's checkpoint UID in one {@code UID FETCH}, then
 * downloads them in batches (one {@code UID FETCH} of the small ones' bodies per batch, the large
 * ones streamed to a temporary file), extracts and indexes them, commits the index, and only then
 * moves the checkpoint. Each message costs the server two FETCH responses (one if already indexed
 * and only its flags are refreshed), whatever the mailbox size. So an interrupted sync (crash, dropped connection) resumes where it stopped with
 * nothing missing, and what was indexed but not yet checkpointed is recognised and not duplicated
 * (indexing is idempotent on folder, UIDVALIDITY and UID). A changed UIDVALIDITY drops the
 * folder's entries and syncs it from scratch. Messages are never marked read by syncing.
 *
 * <pre>{@code
 * MailboxSync sync = MailboxSync.builder(imap, credentials, index)
 *     .extractor(DefaultMessageExtractor.builder().secureMessaging(smime).build())
 *     .folders("INBOX").build();
 * SyncResult r = sync.sync(p -> bar.update(p.done(), p.total()));
 * }</pre>
 *
 * Calls on one instance run one at a time (a second caller waits); do not run two instances on one index.
 */
public final class MailboxSync {
  private static final Logger LOG = LoggerFactory.getLogger(MailboxSync.class);
  /** The IMAP keyword Pont sets once a message has been acknowledged (RFC 3503's MDN-sent keyword). */
  public static final String ACKNOWLEDGED_KEYWORD = "$MDNSent";

  static final long PREFETCH_MAX_MESSAGE = 256L * 1024;
  static final long PREFETCH_MAX_BATCH = 8L * 1024 * 1024;

  private final ServerSettings server;
  private final MailCredentials credentials;
  private final MessageIndex index;
  private final MessageExtractor extractor;
  private final List<String> folders;
  private final int batchSize;
  private final long maxMessageBytes;
  private final boolean refreshFlags;
  private final java.io.PrintStream protocolTrace;

  private MailboxSync(Builder b) {
    this.server = b.server;
    this.credentials = b.credentials;
    this.index = b.index;
    this.extractor = b.extractor;
    this.folders = List.copyOf(b.folders);
    this.batchSize = b.batchSize;
    this.maxMessageBytes = b.maxMessageBytes;
    this.refreshFlags = b.refreshFlags;
    this.protocolTrace = b.protocolTrace;
  }

  public static Builder builder(ServerSettings imap, MailCredentials credentials, MessageIndex index) {
    return new Builder(imap, credentials, index);
  }

  /** Syncs every configured folder without progress reports. */
  public SyncResult sync() throws TransportException, IndexException {
    return sync(SyncProgress.Listener.NONE);
  }

  /**
   * Syncs every configured folder.
   *
   * @throws ServerUnreachableException if the connection fails or drops (retryable: what was done is kept)
   * @throws AuthenticationException, TlsException on login or TLS problems
   * @throws IndexException if the index cannot be written
   */
  public synchronized SyncResult sync(SyncProgress.Listener listener) throws TransportException, IndexException {
    Objects.requireNonNull(listener, "listener");
    long start = System.nanoTime();
    CheckpointStore checkpoints = checkpoints();
    List<FolderSyncResult> results = new ArrayList<>();
    try (Store store = connect()) {
      for (String name : folders) {
        results.add(syncFolder(store, name, checkpoints, listener));
      }
    } catch (MessagingException e) {
      throw MailSessions.map("syncing with", server, e);
    }
    return new SyncResult(results, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Empties the index and its checkpoints, then syncs every folder from scratch: one call to rebuild. */
  public synchronized SyncResult rebuild(SyncProgress.Listener listener) throws TransportException, IndexException {
    index.deleteAll();
    index.commit();
    try {
      checkpoints().clear();
    } catch (IOException e) {
      throw new IndexException(IndexException.Reason.IO, "cannot clear the sync checkpoints: " + e.getMessage(), e);
    }
    return sync(listener);
  }

  /** Opens a new IMAP connection, logged in (for watchers). */
  Store connect() throws TransportException {
    return ImapMailbox.of(server, credentials).connect(protocolTrace);
  }

  private CheckpointStore checkpoints() throws IndexException {
    try {
      return CheckpointStore.in(index.folder());
    } catch (IOException e) {
      throw new IndexException(IndexException.Reason.CORRUPT, "the sync checkpoints of " + index.folder() + " are unreadable: "
          + e.getMessage() + "; rebuild the index", e);
    }
  }

  private FolderSyncResult syncFolder(Store store, String name, CheckpointStore checkpoints, SyncProgress.Listener listener)
      throws MessagingException, TransportException, IndexException {
    IMAPFolder folder = (IMAPFolder) store.getFolder(name);
    if (!folder.exists()) {
      throw new TransportException(TransportException.Reason.PROTOCOL, "the folder " + name + " does not exist on " + server.address(), null);
    }
    folder.open(Folder.READ_ONLY);
    try {
      long uidValidity = folder.getUIDValidity();
      var previous = checkpoints.get(name);
      boolean changed = previous.isPresent() && previous.get().uidValidity() != uidValidity;
      long lastUid = previous.filter(c -> c.uidValidity() == uidValidity).map(Checkpoint::lastUid).orElse(0L);
      if (previous.isEmpty() || changed) {
        if (changed) {
          LOG.info("folder={} UIDVALIDITY changed {} -> {}: resyncing it from scratch", name, previous.get().uidValidity(), uidValidity);
        }
        index.deleteStale(name, uidValidity);
        index.commit();
        write(checkpoints, new Checkpoint(name, uidValidity, 0));
      }
      // One FETCH response per message for the listing: UID, flags and size of every message above
      // the checkpoint, and of the already indexed ones too when their flags are refreshed. (Servers
      // may spend O(mailbox) per FETCH response, GreenMail does: never ask twice per message.)
      boolean refresh = refreshFlags && lastUid > 0;
      List<MessageMeta> todo = new ArrayList<>();
      java.util.Set<Long> present = new java.util.HashSet<>();
      for (MessageMeta meta : listing(folder, refresh ? 1 : lastUid + 1)) {
        if (meta.uid() > lastUid) {
          todo.add(meta); // "n:*" also returns the last message when nothing is newer: filtered here
        } else if (refresh) {
          present.add(meta.uid());
          index.updateFlags(new MessageRef(name, uidValidity, meta.uid()), meta.seen(), meta.acknowledged());
        }
      }
      if (refresh) {
        int removed = index.deleteMissing(name, uidValidity, lastUid, present);
        if (removed > 0) {
          LOG.info("folder={} {} expunged message(s) removed from the index", name, removed);
        }
        index.commit();
      }
      Counters c = new Counters(name, todo.size());
      Session parsing = Session.getInstance(new java.util.Properties());
      long done = lastUid;
      try {
        for (int from = 0; from < todo.size(); from += batchSize) {
          List<MessageMeta> batch = todo.subList(from, Math.min(todo.size(), from + batchSize));
          Map<Long, byte[]> small = prefetchSmall(folder, batch);
          for (MessageMeta meta : batch) {
            handle(folder, meta, new MessageRef(name, uidValidity, meta.uid()), small.remove(meta.uid()), parsing, c);
            done = meta.uid();
            listener.onProgress(c.progress());
          }
          // Checkpoint only what the index durably holds.
          index.commit();
          write(checkpoints, new Checkpoint(name, uidValidity, done));
        }
      } catch (MessagingException | RuntimeException e) {
        // Keep what was fully indexed before the failure, then report it.
        if (done > lastUid) {
          try {
            index.commit();
            write(checkpoints, new Checkpoint(name, uidValidity, done));
          } catch (IndexException | RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
      LOG.info("synced folder={} uidvalidity={} fetched={} indexed={} skipped={} failed={} last_uid={}",
          name, uidValidity, c.fetched, c.indexed, c.skipped, c.failures.size(), done);
      return new FolderSyncResult(name, uidValidity, changed, c.fetched, c.indexed, c.skipped, c.failures.size(), c.failures, done);
    } finally {
      if (folder.isOpen()) {
        try {
          folder.close(false);
        } catch (MessagingException e) {
          // the connection may already be gone
        }
      }
    }
  }

  /** What the listing tells of one message: enough to decide whether and how to download it. */
  record MessageMeta(long uid, long size, boolean seen, boolean acknowledged) {}

  /**
   * {@code UID FETCH from:* (UID FLAGS RFC822.SIZE)}: one command, one response per message, in UID
   * order. Responses it does not consume (EXISTS, EXPUNGE, ...) go to the folder's handlers.
   */
  private static List<MessageMeta> listing(IMAPFolder folder, long fromUid) throws MessagingException {
    List<MessageMeta> metas = new ArrayList<>();
    if (folder.getMessageCount() == 0) {
      // James answers "UID FETCH n:*" on an empty mailbox with BAD (invalid message set).
      return metas;
    }
    folder.doCommand(p -> {
      Response[] r = p.command("UID FETCH " + fromUid + ":* (UID FLAGS RFC822.SIZE)", null);
      Response last = r[r.length - 1];
      for (int i = 0; i < r.length - 1; i++) {
        if (r[i] instanceof FetchResponse fr) {
          UID uid = fr.getItem(UID.class);
          FLAGS flags = fr.getItem(FLAGS.class);
          RFC822SIZE size = fr.getItem(RFC822SIZE.class);
          if (uid != null && flags != null && size != null) {
            metas.add(new MessageMeta(uid.uid, size.size, flags.contains(Flags.Flag.SEEN), flags.contains(ACKNOWLEDGED_KEYWORD)));
            r[i] = null;
          }
        }
      }
      p.notifyResponseHandlers(r);
      p.handleResult(last);
      return null;
    });
    metas.sort(java.util.Comparator.comparingLong(MessageMeta::uid));
    return metas;
  }

  /**
   * Downloads the bodies of a batch's small messages in one {@code UID FETCH} instead of one round
   * trip each. Bounded: messages up to {@value #PREFETCH_MAX_MESSAGE} bytes, {@value #PREFETCH_MAX_BATCH}
   * bytes per batch; larger ones are streamed one by one. Returns UID → raw message.
   */
  private Map<Long, byte[]> prefetchSmall(IMAPFolder folder, List<MessageMeta> batch) throws MessagingException {
    List<Long> uids = new ArrayList<>();
    long total = 0;
    for (MessageMeta m : batch) {
      if (m.size() <= PREFETCH_MAX_MESSAGE && m.size() <= maxMessageBytes && total + m.size() <= PREFETCH_MAX_BATCH) {
        uids.add(m.uid());
        total += m.size();
      }
    }
    Map<Long, byte[]> bodies = new HashMap<>();
    if (uids.isEmpty()) {
      return bodies;
    }
    String set = uidSet(uids);
    try {
      folder.doCommand(p -> {
        Response[] r = p.command("UID FETCH " + set + " (UID BODY.PEEK[])", null);
        Response last = r[r.length - 1];
        for (int i = 0; i < r.length - 1; i++) {
          if (r[i] instanceof FetchResponse fr) {
            UID uid = fr.getItem(UID.class);
            BODY body = fr.getItem(BODY.class);
            if (uid != null && body != null && body.getByteArray() != null) {
              bodies.put(uid.uid, body.getByteArray().getNewBytes());
              r[i] = null; // consumed here; the rest goes to the folder's handlers
            }
          }
        }
        p.notifyResponseHandlers(r);
        p.handleResult(last);
        return null;
      });
    } catch (MessagingException e) {
      if (!folder.isOpen() || !folder.getStore().isConnected()) {
        throw e;
      }
      LOG.info("batch fetch refused by the server ({}); fetching messages one by one", e.getMessage());
      bodies.clear();
    }
    return bodies;
  }

  /** An IMAP sequence set of ascending UIDs, runs collapsed ({@code 3:7,9,12:14}). */
  static String uidSet(List<Long> ascending) {
    StringBuilder set = new StringBuilder();
    int i = 0;
    while (i < ascending.size()) {
      int j = i;
      while (j + 1 < ascending.size() && ascending.get(j + 1) == ascending.get(j) + 1) {
        j++;
      }
      set.append(set.length() == 0 ? "" : ",").append(ascending.get(i));
      if (j > i) {
        set.append(':').append(ascending.get(j));
      }
      i = j + 1;
    }
    return set.toString();
  }

  private void handle(IMAPFolder folder, MessageMeta meta, MessageRef ref, byte[] prefetched, Session parsing, Counters c)
      throws MessagingException, IndexException {
    if (index.contains(ref)) {
      c.skipped++; // indexed by a run interrupted before its checkpoint
      return;
    }
    long size = meta.size();
    if (size > maxMessageBytes) {
      c.skipped++;
      c.failures.add(new SyncFailure(ref, "message of " + size + " bytes is over the " + maxMessageBytes + "-byte limit: not indexed"));
      return;
    }
    MessageExtractor.MessageState state = new MessageExtractor.MessageState(meta.seen(), meta.acknowledged(), Math.max(size, 0));
    if (prefetched != null) {
      c.fetched++;
      try {
        index.index(extractor.extract(ref, new MimeMessage(parsing, new SharedByteArrayInputStream(prefetched)), state));
        c.indexed++;
      } catch (IndexException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn("message {} could not be indexed: {}", ref, e.toString());
        c.failures.add(new SyncFailure(ref, "unreadable: " + e.getMessage()));
      }
      return;
    }
    // Large (or the batch fetch was refused): streamed in partial fetches.
    Message m = folder.getMessageByUID(meta.uid());
    if (m == null) {
      c.failures.add(new SyncFailure(ref, "deleted on the server before it could be downloaded"));
      return;
    }
    SpoolFile spool;
    try {
      spool = SpoolFile.of(m);
    } catch (IOException e) {
      // A stream error while downloading is a dropped connection unless the folder is still usable.
      if (!folder.isOpen() || !folder.getStore().isConnected()) {
        throw new jakarta.mail.FolderClosedException(folder, "connection lost while fetching " + ref);
      }
      c.failures.add(new SyncFailure(ref, "download failed: " + e.getMessage()));
      return;
    }
    c.fetched++;
    LOG.debug("fetched {} ({} bytes, streamed)", ref, size);
    try (spool) {
      MimeMessage parsed = spool.parse(parsing);
      index.index(extractor.extract(ref, parsed, state));
      c.indexed++;
    } catch (IndexException e) {
      throw e;
    } catch (Exception e) {
      LOG.warn("message {} could not be indexed: {}", ref, e.toString());
      c.failures.add(new SyncFailure(ref, "unreadable: " + e.getMessage()));
    } finally {
      if (m instanceof IMAPMessage im) {
        im.invalidateHeaders(); // keep the folder's message cache small in large mailboxes
      }
    }
  }

  private static void write(CheckpointStore store, Checkpoint c) throws IndexException {
    try {
      store.put(c);
    } catch (IOException e) {
      throw new IndexException(IndexException.Reason.IO, "cannot write the sync checkpoint: " + e.getMessage(), e);
    }
  }

  private static final class Counters {
    final String folder;
    final long total;
    long fetched;
    long indexed;
    long skipped;
    final List<SyncFailure> failures = new ArrayList<>();

    Counters(String folder, long total) {
      this.folder = folder;
      this.total = total;
    }

    SyncProgress progress() {
      return new SyncProgress(folder, indexed + skipped + failures.size(), total, indexed, skipped, failures.size());
    }
  }

  /** Options of a sync; server, credentials and index are required, the rest has defaults. */
  public static final class Builder {
    private final ServerSettings server;
    private final MailCredentials credentials;
    private final MessageIndex index;
    private MessageExtractor extractor = DefaultMessageExtractor.plain();
    private List<String> folders = List.of("INBOX");
    private int batchSize = 100;
    private long maxMessageBytes = 64L * 1024 * 1024;
    private boolean refreshFlags = true;
    private java.io.PrintStream protocolTrace;

    private Builder(ServerSettings server, MailCredentials credentials, MessageIndex index) {
      this.server = Objects.requireNonNull(server, "server");
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      this.index = Objects.requireNonNull(index, "index");
    }

    /** How messages become index entries (default: {@link DefaultMessageExtractor#plain()}). */
    public Builder extractor(MessageExtractor e) {
      this.extractor = Objects.requireNonNull(e);
      return this;
    }

    /** The folders to sync, in order (default INBOX). */
    public Builder folders(String... names) {
      if (names.length == 0) {
        throw new IllegalArgumentException("at least one folder");
      }
      this.folders = List.of(names);
      return this;
    }

    /** Messages per UID FETCH and per index commit (default 100). */
    public Builder batchSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("batch size must be positive");
      }
      this.batchSize = n;
      return this;
    }

    /** Messages larger than this are recorded as skipped, not downloaded (default 64 MB). */
    public Builder maxMessageBytes(long bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
   * Whether each sync also refreshes read/acknowledged flags of already indexed messages and drops
   * the entries of messages expunged on the server (default true).
   */
    public Builder refreshFlags(boolean value) {
      this.refreshFlags = value;
      return this;
    }

    /**
     * Tests only: the IMAP dialogue (Angus Mail's debug output, which includes message contents) is
     * written there, to count commands and responses.
     */
    Builder protocolTrace(java.io.PrintStream out) {
      this.protocolTrace = out;
      return this;
    }

    public MailboxSync build() {
      return new MailboxSync(this);
    }
  }
}
