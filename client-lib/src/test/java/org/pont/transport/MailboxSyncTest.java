package org.pont.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pont.transport.MailServers.*;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedFileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pont.index.DefaultMessageExtractor;
import org.pont.index.MessageIndex;
import org.pont.index.SearchHit;
import org.pont.index.SearchQuery;

class MailboxSyncTest {
  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static final GreenMailExtension GREENMAIL = new GreenMailExtension(new ServerSetup[] {imaps()})
      .withConfiguration(GreenMailConfiguration.aConfig())
      .withPerMethodLifecycle(false);

  @TempDir
  Path dir;

  /** Each test has its own mailbox on the shared server. */
  private record Mailbox(GreenMailUser user, MailCredentials credentials) {}

  private static Mailbox newMailbox() {
    String address = "user" + USERS.incrementAndGet() + "@" + DOMAIN;
    GreenMailUser user = GREENMAIL.setUser(address, address, PASSWORD);
    return new Mailbox(user, MailCredentials.of(address, PASSWORD.toCharArray()));
  }

  private static ServerSettings imapsVia(int port) {
    return ServerSettings.implicitTls(HOST, port, trust()).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  private static ServerSettings imapsSettings() {
    return imapsVia(GREENMAIL.getImaps().getPort());
  }

  private static void deliver(Mailbox box, int count) throws Exception {
    for (int i = 1; i <= count; i++) {
      box.user().deliver(MailMessages.text(SENDER, box.credentials().user(), "Message " + i,
          "Compte rendu numéro " + i + " : rééducation.", Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i * 60L)));
    }
  }

  private static Set<Long> indexedUids(MessageIndex index) throws Exception {
    Set<Long> uids = new HashSet<>();
    int page = 0;
    while (true) {
      var r = index.search(SearchQuery.builder().page(page++, 1000).build());
      r.hits().forEach(h -> uids.add(h.ref().uid()));
      if (!r.hasNextPage()) {
        return uids;
      }
    }
  }

  @Test
  void aSecondSyncFetchesOnlyWhatArrivedSinceTheFirst() throws Exception {
    Mailbox box = newMailbox();
    deliver(box, 30);
    try (MessageIndex index = MessageIndex.open(dir)) {
      MailboxSync sync = MailboxSync.builder(imapsSettings(), box.credentials(), index).batchSize(7).build();
      List<SyncProgress> progress = new java.util.ArrayList<>();

      SyncResult first = sync.sync(progress::add);
      deliver(box, 5);
      SyncResult second = sync.sync();
      SyncResult third = sync.sync();

      assertThat(first.fetched()).isEqualTo(30);
      assertThat(first.indexed()).isEqualTo(30);
      assertThat(progress).hasSize(30).last().satisfies(p -> {
        assertThat(p.done()).isEqualTo(30);
        assertThat(p.total()).isEqualTo(30);
      });
      assertThat(second.fetched()).isEqualTo(5);
      assertThat(third.fetched()).isZero();
      assertThat(third.folders().get(0).lastUid()).isEqualTo(35);
      assertThat(index.count()).isEqualTo(35);
      assertThat(indexedUids(index)).hasSize(35);
    }
  }

  @Test
  void aConnectionDroppedMidSyncIsRetryableAndTheNextSyncMissesAndDuplicatesNothing() throws Exception {
    Mailbox box = newMailbox();
    deliver(box, 250);
    try (MessageIndex index = MessageIndex.open(dir); DroppingProxy proxy = new DroppingProxy(GREENMAIL.getImaps().getPort())) {
      MailboxSync sync = MailboxSync.builder(imapsVia(proxy.port()), box.credentials(), index).batchSize(50).refreshFlags(false).build();
      AtomicBoolean dropped = new AtomicBoolean();

      assertThatThrownBy(() -> sync.sync(p -> {
        if (p.done() == 120 && dropped.compareAndSet(false, true)) {
          proxy.dropAll();
        }
      })).isInstanceOf(ServerUnreachableException.class)
          .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isTrue());
      long afterDrop = index.count();
      SyncResult resumed = sync.sync();

      // What was downloaded before the cut is kept (the batch in hand completes from its prefetched bodies).
      assertThat(afterDrop).isBetween(120L, 249L);
      assertThat(resumed.fetched()).isEqualTo(250 - afterDrop);
      assertThat(resumed.indexed()).isEqualTo(250 - afterDrop);
      assertThat(resumed.skipped()).isZero();
      assertThat(index.count()).isEqualTo(250);
      assertThat(indexedUids(index)).hasSize(250);
      System.out.printf("sync rate: %d messages in %d ms%n", resumed.indexed(), resumed.elapsed().toMillis());
    }
  }

  @Test
  void aConnectionDroppedWhileStreamingALargeMessageLosesNothingEither() throws Exception {
    Mailbox box = newMailbox();
    for (int i = 0; i < 6; i++) {
      box.user().deliver(MailMessages.withAttachment(SENDER, box.credentials().user(), "Imagerie " + i, 400_000));
    }
    try (MessageIndex index = MessageIndex.open(dir); DroppingProxy proxy = new DroppingProxy(GREENMAIL.getImaps().getPort())) {
      MailboxSync sync = MailboxSync.builder(imapsVia(proxy.port()), box.credentials(), index).batchSize(4).build();

      assertThatThrownBy(() -> sync.sync(p -> {
        if (p.done() == 2) {
          proxy.dropAll(); // messages over 256 KB are streamed one by one: the third download breaks
        }
      })).isInstanceOf(ServerUnreachableException.class);
      SyncResult resumed = sync.sync();

      assertThat(resumed.indexed()).isEqualTo(4);
      assertThat(indexedUids(index)).hasSize(6);
      assertThat(index.count()).isEqualTo(6);
    }
  }

  @Test
  void aCrashBetweenIndexCommitAndCheckpointIndexesNothingTwice() throws Exception {
    Mailbox box = newMailbox();
    deliver(box, 10);
    try (MessageIndex index = MessageIndex.open(dir)) {
      MailboxSync sync = MailboxSync.builder(imapsSettings(), box.credentials(), index).build();
      SyncResult first = sync.sync();
      // The index holds 10 messages but the checkpoint on disk still says 4, as if the process died before writing it.
      Files.writeString(dir.resolve(CheckpointStore.FILE_NAME),
          "INBOX\t" + first.folders().get(0).uidValidity() + "\t4\n");

      SyncResult again = sync.sync();

      assertThat(again.skipped()).isEqualTo(6);
      assertThat(again.indexed()).isZero();
      assertThat(index.count()).isEqualTo(10);
      assertThat(CheckpointStore.in(dir).get("INBOX")).hasValueSatisfying(c -> assertThat(c.lastUid()).isEqualTo(10));
    }
  }

  @Test
  void aChangedUidValidityDropsTheFolderEntriesAndSyncsItAgain() throws Exception {
    Mailbox box = newMailbox();
    var imap = GREENMAIL.getManagers().getImapHostManager();
    MailFolder archives = imap.createMailbox(box.user(), "Archives");
    for (int i = 0; i < 3; i++) {
      archives.store(MailMessages.text(SENDER, box.credentials().user(), "ancien " + i, "ancien"));
    }
    try (MessageIndex index = MessageIndex.open(dir)) {
      MailboxSync sync = MailboxSync.builder(imapsSettings(), box.credentials(), index).folders("Archives").build();
      SyncResult before = sync.sync();
      imap.deleteMailbox(box.user(), "Archives");
      // GreenMail derives UIDVALIDITY from the clock in seconds: wait for the next second.
      while (System.currentTimeMillis() / 1000 == before.folders().get(0).uidValidity()) {
        Thread.sleep(50);
      }
      MailFolder recreated = imap.createMailbox(box.user(), "Archives");
      for (int i = 0; i < 2; i++) {
        recreated.store(MailMessages.text(SENDER, box.credentials().user(), "nouveau " + i, "nouveau"));
      }

      SyncResult after = sync.sync();

      assertThat(before.indexed()).isEqualTo(3);
      assertThat(after.folders().get(0).uidValidityChanged()).isTrue();
      assertThat(after.indexed()).isEqualTo(2);
      assertThat(index.count()).isEqualTo(2);
      assertThat(index.search(SearchQuery.text("ancien")).hits()).isEmpty();
      assertThat(index.search(SearchQuery.text("nouveau")).hits())
          .allSatisfy(h -> assertThat(h.ref().uidValidity()).isEqualTo(recreated.getUidValidity()));
    }
  }

  @Test
  void aTwentyFiveMegabyteMessageIsStreamedThroughAFileNotHeldInMemory() throws Exception {
    Mailbox box = newMailbox();
    box.user().deliver(MailMessages.withAttachment(SENDER, box.credentials().user(), "Imagerie genou", 25 * 1024 * 1024));
    AtomicBoolean fileBacked = new AtomicBoolean();
    DefaultMessageExtractor plain = DefaultMessageExtractor.plain();
    try (MessageIndex index = MessageIndex.open(dir)) {
      MailboxSync sync = MailboxSync.builder(imapsSettings(), box.credentials(), index)
          .extractor((ref, message, state) -> {
            MimeBodyPart attachment = (MimeBodyPart) ((MimeMultipart) message.getContent()).getBodyPart(1);
            fileBacked.set(attachment.getRawInputStream() instanceof SharedFileInputStream);
            return plain.extract(ref, message, state);
          }).build();

      SyncResult result = sync.sync();

      assertThat(result.indexed()).isEqualTo(1);
      assertThat(fileBacked).as("the message is parsed from a spool file").isTrue();
      SearchHit hit = index.search(SearchQuery.text("genou")).hits().get(0);
      assertThat(hit.subject()).isEqualTo("Imagerie genou");
      System.out.printf("25 MB message synced in %d ms%n", result.elapsed().toMillis());
    }
  }

  @Test
  void messagesOverTheSizeLimitAreSkippedWithAReason() throws Exception {
    Mailbox box = newMailbox();
    box.user().deliver(MailMessages.withAttachment(SENDER, box.credentials().user(), "gros", 200_000));
    deliver(box, 1);
    try (MessageIndex index = MessageIndex.open(dir)) {
      SyncResult r = MailboxSync.builder(imapsSettings(), box.credentials(), index).maxMessageBytes(100_000).build().sync();

      assertThat(r.indexed()).isEqualTo(1);
      assertThat(r.skipped()).isEqualTo(1);
      assertThat(r.failures()).singleElement().satisfies(f -> assertThat(f.reason()).contains("limit"));
    }
  }

  @Test
  void flagsChangedOnTheServerReachTheIndexAtTheNextSync() throws Exception {
    Mailbox box = newMailbox();
    deliver(box, 2);
    try (MessageIndex index = MessageIndex.open(dir)) {
      MailboxSync sync = MailboxSync.builder(imapsSettings(), box.credentials(), index).build();
      sync.sync();
      MailFolder inbox = GREENMAIL.getManagers().getImapHostManager().getInbox(box.user());
      assertThat(inbox.getMessages()).as("syncing marks nothing as read")
          .noneMatch(m -> m.getFlags().contains(jakarta.mail.Flags.Flag.SEEN));
      long uid = inbox.getMessages().get(0).getUid();
      jakarta.mail.Flags flags = new jakarta.mail.Flags(jakarta.mail.Flags.Flag.SEEN);
      flags.add(MailboxSync.ACKNOWLEDGED_KEYWORD);
      inbox.setFlags(flags, true, uid, null, false);

      sync.sync();

      assertThat(index.search(SearchQuery.builder().acknowledged(true).build()).hits())
          .singleElement().satisfies(h -> {
            assertThat(h.ref().uid()).isEqualTo(uid);
            assertThat(h.read()).isTrue();
          });
      assertThat(index.search(SearchQuery.builder().read(false).build()).hits()).hasSize(1);
    }
  }

  @Test
  void messagesExpungedOnTheServerLeaveTheIndexAtTheNextSync() throws Exception {
    Mailbox box = newMailbox();
    deliver(box, 3);
    try (MessageIndex index = MessageIndex.open(dir)) {
      MailboxSync sync = MailboxSync.builder(imapsSettings(), box.credentials(), index).build();
      sync.sync();
      MailFolder inbox = GREENMAIL.getManagers().getImapHostManager().getInbox(box.user());
      long second = inbox.getMessages().get(1).getUid();
      inbox.setFlags(new jakarta.mail.Flags(jakarta.mail.Flags.Flag.DELETED), true, second, null, false);
      inbox.expunge();

      sync.sync();

      assertThat(index.count()).isEqualTo(2);
      assertThat(indexedUids(index)).doesNotContain(second);
    }
  }

  @Test
  void rebuildEmptiesTheIndexAndSyncsEverythingAgainInOneCall() throws Exception {
    Mailbox box = newMailbox();
    deliver(box, 4);
    try (MessageIndex index = MessageIndex.open(dir)) {
      MailboxSync sync = MailboxSync.builder(imapsSettings(), box.credentials(), index).build();
      sync.sync();

      SyncResult rebuilt = sync.rebuild(SyncProgress.Listener.NONE);

      assertThat(rebuilt.indexed()).isEqualTo(4);
      assertThat(index.count()).isEqualTo(4);
    }
  }

  @Test
  void aWatchIsToldOfNewMailThroughIdleAndStopsWhenClosed() throws Exception {
    Mailbox box = newMailbox();
    try (MessageIndex index = MessageIndex.open(dir)) {
      MailboxSync sync = MailboxSync.builder(imapsSettings(), box.credentials(), index).build();
      CountDownLatch told = new CountDownLatch(1);
      try (NewMailWatch watch = NewMailWatch.start(sync, "INBOX", Duration.ofSeconds(1), folder -> told.countDown())) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!watch.usingIdle() && System.currentTimeMillis() < deadline) {
          Thread.sleep(20);
        }
        Thread.sleep(200); // let the IDLE command reach the server
        deliver(box, 1);

        assertThat(told.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(watch.usingIdle()).isTrue();
      }
      assertThat(sync.sync().indexed()).isEqualTo(1);
    }
  }
}
