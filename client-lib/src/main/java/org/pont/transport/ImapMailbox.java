package org.pont.transport;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.pont.index.MessageRef;

/**
 * One IMAP account, for the operations on single messages that search results lead to: fetch the
 * original of a {@link MessageRef} and set its flags. Each call opens its own connection (IMAP
 * connections are not shared across threads); thread-safe.
 */
public final class ImapMailbox {
  private final ServerSettings server;
  private final MailCredentials credentials;

  private ImapMailbox(ServerSettings server, MailCredentials credentials) {
    this.server = Objects.requireNonNull(server, "server");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  public static ImapMailbox of(ServerSettings imap, MailCredentials credentials) {
    return new ImapMailbox(imap, credentials);
  }

  /** The server this mailbox is on. */
  public ServerSettings server() {
    return server;
  }

  /** A new logged-in connection; the caller closes it. */
  Store connect() throws TransportException {
    return connect(null);
  }

  /** The same, the IMAP dialogue written to {@code trace} if not null (tests count commands with it). */
  Store connect(java.io.PrintStream trace) throws TransportException {
    Session session = MailSessions.session("imap", server, credentials.mechanism());
    if (trace != null) {
      session.setDebugOut(trace);
      session.setDebug(true);
    }
    char[] password = credentials.password();
    try {
      Store store = session.getStore("imap");
      store.connect(server.host(), server.port(), credentials.user(), new String(password));
      return store;
    } catch (MessagingException e) {
      throw MailSessions.map("connecting to", server, e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * Downloads the original message, streamed to a temporary file (unlinked at once, readable until
   * the message is dropped), without marking it read.
   *
   * @throws TransportException {@code PROTOCOL} if the message no longer exists or the folder's
   *     UIDVALIDITY changed since it was indexed (sync again)
   */
  public MimeMessage fetch(MessageRef ref) throws TransportException {
    try (Store store = connect()) {
      IMAPFolder folder = open(store, ref, Folder.READ_ONLY);
      try {
        Message m = folder.getMessageByUID(ref.uid());
        if (m == null) {
          throw gone(ref, "it was deleted or moved");
        }
        try (SpoolFile spool = SpoolFile.of(m)) {
          return spool.detach(Session.getInstance(new java.util.Properties()));
        }
      } finally {
        folder.close(false);
      }
    } catch (MessagingException | IOException e) {
      throw e instanceof MessagingException me ? MailSessions.map("fetching from", server, me)
          : new ServerUnreachableException("download of " + ref + " failed: " + e.getMessage(), e);
    }
  }

  /** The message's flags on the server now (system flags and keywords such as {@value MailboxSync#ACKNOWLEDGED_KEYWORD}). */
  public Flags flags(MessageRef ref) throws TransportException {
    try (Store store = connect()) {
      IMAPFolder folder = open(store, ref, Folder.READ_ONLY);
      try {
        Message m = folder.getMessageByUID(ref.uid());
        if (m == null) {
          throw gone(ref, "it was deleted or moved");
        }
        return m.getFlags();
      } finally {
        folder.close(false);
      }
    } catch (MessagingException e) {
      throw MailSessions.map("reading flags on", server, e);
    }
  }

  /** Adds (or removes) flags of a message, e.g. {@code \Seen} and {@value MailboxSync#ACKNOWLEDGED_KEYWORD}. */
  public void setFlags(MessageRef ref, Flags flags, boolean set) throws TransportException {
    try (Store store = connect()) {
      IMAPFolder folder = open(store, ref, Folder.READ_WRITE);
      try {
        Message m = folder.getMessageByUID(ref.uid());
        if (m == null) {
          throw gone(ref, "it was deleted or moved");
        }
        m.setFlags(flags, set);
      } finally {
        folder.close(false);
      }
    } catch (MessagingException e) {
      throw MailSessions.map("updating flags on", server, e);
    }
  }

  private IMAPFolder open(Store store, MessageRef ref, int mode) throws MessagingException, TransportException {
    IMAPFolder folder = (IMAPFolder) store.getFolder(ref.folder());
    if (!folder.exists()) {
      throw gone(ref, "its folder no longer exists");
    }
    folder.open(mode);
    if (folder.getUIDValidity() != ref.uidValidity()) {
      folder.close(false);
      throw gone(ref, "the folder's UIDVALIDITY changed; sync again");
    }
    return folder;
  }

  private TransportException gone(MessageRef ref, String why) {
    return new TransportException(TransportException.Reason.PROTOCOL, "message " + ref + " is not on " + server.address() + ": " + why, null);
  }
}
