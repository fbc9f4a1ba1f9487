package org.pont.transport;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a listener when new mail arrives in a folder, using IMAP IDLE (RFC 2177) when the server
 * offers it and polling otherwise. Runs on its own daemon thread; reconnects with a growing delay
 * after a dropped connection; {@link #close()} stops it. A typical listener calls
 * {@link MailboxSync#sync()} (on another thread, or directly: the watch uses its own connection).
 *
 * <pre>{@code
 * try (NewMailWatch watch = NewMailWatch.start(sync, "INBOX", Duration.ofSeconds(30), listener)) { ... }
 * }</pre>
 */
public final class NewMailWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NewMailWatch.class);

  /** What a watch reports. Called on the watch's thread. */
  public interface Listener {
    /** New messages arrived in the folder (or may have: after a reconnection this is called once). */
    void newMail(String folder);

    /** The connection failed; the watch retries on its own. */
    default void connectionFailed(TransportException e) {}
  }

  private final MailboxSync source;
  private final String folderName;
  private final Duration pollInterval;
  private final Listener listener;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile Store store;
  private volatile boolean usingIdle;

  private NewMailWatch(MailboxSync source, String folderName, Duration pollInterval, Listener listener) {
    this.source = source;
    this.folderName = folderName;
    this.pollInterval = pollInterval;
    this.listener = listener;
    this.thread = new Thread(this::run, "pont-watch-" + folderName);
    thread.setDaemon(true);
  }

  /**
   * Starts watching.
   *
   * @param pollInterval how often to check when the server has no IDLE (and the longest an IDLE lasts)
   */
  public static NewMailWatch start(MailboxSync source, String folder, Duration pollInterval, Listener listener) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(listener, "listener");
    NewMailWatch w = new NewMailWatch(source, folder, pollInterval, listener);
    w.thread.start();
    return w;
  }

  /** Whether the server accepted IDLE (false while polling). */
  public boolean usingIdle() {
    return usingIdle;
  }

  private void run() {
    long backoffMs = 1000;
    boolean first = true;
    try {
      while (running) {
        try {
          store = source.connect();
          IMAPFolder folder = (IMAPFolder) store.getFolder(folderName);
          folder.open(Folder.READ_ONLY);
          folder.addMessageCountListener(new MessageCountAdapter() {
            @Override
            public void messagesAdded(MessageCountEvent e) {
              listener.newMail(folderName);
            }
          });
          if (!first) {
            listener.newMail(folderName); // mail may have come while disconnected
          }
          first = false;
          backoffMs = 1000;
          watch(folder);
        } catch (TransportException e) {
          if (running) {
            listener.connectionFailed(e);
          }
        } catch (MessagingException | RuntimeException e) {
          if (running) {
            listener.connectionFailed(new ServerUnreachableException("watch of " + folderName + " interrupted: " + e.getMessage(), e));
          }
        } finally {
          closeStore();
        }
        if (running) {
          sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, 60_000);
        }
      }
    } finally {
      stopped.countDown();
    }
  }

  private void watch(IMAPFolder folder) throws MessagingException {
    boolean idle = folder.getStore() instanceof org.eclipse.angus.mail.imap.IMAPStore s && s.hasCapability("IDLE");
    usingIdle = idle;
    while (running && folder.isOpen()) {
      if (idle) {
        folder.idle(true); // returns on any server event; message count events fire from here
      } else {
        sleep(pollInterval.toMillis());
        folder.getMessageCount(); // a NOOP that lets the server tell us of new messages
      }
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void closeStore() {
    Store s = store;
    if (s != null) {
      try {
        s.close();
      } catch (MessagingException e) {
        // closing a broken connection
      }
    }
  }

  /** Stops watching and waits (a few seconds at most) for the thread to end. */
  @Override
  public void close() {
    running = false;
    closeStore(); // breaks an IDLE in progress
    thread.interrupt();
    try {
      stopped.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
