package org.pont.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.transport.MailServers.*;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pont.index.MessageIndex;

/**
 * The work a sync asks of the server, counted on the IMAP dialogue rather than timed: FETCH
 * commands per batch and FETCH responses per message must not grow with the mailbox. Servers may
 * spend time proportional to the mailbox on each FETCH response (GreenMail does), so a sync that
 * asked more per message, or re-listed the folder per batch, turned 10,000 messages into minutes.
 */
class MailboxSyncRoundTripsTest {
  @RegisterExtension
  static final GreenMailExtension GREENMAIL = new GreenMailExtension(new ServerSetup[] {imaps()})
      .withConfiguration(GreenMailConfiguration.aConfig())
      .withPerMethodLifecycle(false);

  @TempDir
  Path dir;

  /** Counts lines of the Angus debug output; keeps no content (it includes the messages). */
  private static final class DialogueCounter extends OutputStream {
    private static final Pattern FETCH_COMMAND = Pattern.compile("^[A-Z]+\\d+ (UID )?FETCH .*"); // tags A1, B1... per connection
    private static final Pattern FETCH_RESPONSE = Pattern.compile("^\\* \\d+ FETCH .*");
    private final StringBuilder line = new StringBuilder();
    int fetchCommands;
    int fetchResponses;

    @Override
    public void write(int b) {
      if (b == '\n') {
        String l = line.toString();
        if (FETCH_COMMAND.matcher(l).matches()) {
          fetchCommands++;
        } else if (FETCH_RESPONSE.matcher(l).matches()) {
          fetchResponses++;
        }
        line.setLength(0);
      } else if (b != '\r' && line.length() < 200) {
        line.append((char) b);
      }
    }

    void reset() {
      fetchCommands = 0;
      fetchResponses = 0;
    }
  }

  private static void deliver(GreenMailUser user, String to, int from, int count) throws Exception {
    for (int i = from; i < from + count; i++) {
      user.deliver(MailMessages.text(SENDER, to, "Message " + i, "Compte rendu numéro " + i + " : rééducation.",
          Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i * 60L)));
    }
  }

  @Test
  void eachMessageCostsTwoFetchResponsesAndEachBatchOneFetchWhateverTheMailboxSize() throws Exception {
    String address = "rounds@" + DOMAIN;
    GreenMailUser user = GREENMAIL.setUser(address, address, PASSWORD);
    ServerSettings imaps = ServerSettings.implicitTls(HOST, GREENMAIL.getImaps().getPort(), trust())
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
    DialogueCounter counter = new DialogueCounter();
    deliver(user, address, 1, 300);
    try (MessageIndex index = MessageIndex.open(dir);
        PrintStream trace = new PrintStream(counter, true, StandardCharsets.UTF_8)) {
      MailboxSync sync = MailboxSync.builder(imaps, MailCredentials.of(address, PASSWORD.toCharArray()), index)
          .batchSize(25).protocolTrace(trace).build();

      SyncResult first = sync.sync();
      int firstCommands = counter.fetchCommands;
      int firstResponses = counter.fetchResponses;

      deliver(user, address, 301, 50);
      counter.reset();
      SyncResult second = sync.sync();

      assertThat(first.indexed()).isEqualTo(300);
      assertThat(second.indexed()).isEqualTo(50);
      assertThat(index.count()).isEqualTo(350);
      // First sync: one listing, then one body fetch per batch of 25; 300 listing + 300 body responses.
      assertThat(firstCommands).isEqualTo(1 + 300 / 25);
      assertThat(firstResponses).isEqualTo(2 * 300);
      // Second: one listing that also refreshes the flags of the 300 indexed messages, two batches.
      assertThat(counter.fetchCommands).isEqualTo(1 + 2);
      assertThat(counter.fetchResponses).isEqualTo(300 + 2 * 50);
      assertThat(List.of(first, second)).allSatisfy(r -> assertThat(r.failed()).isZero());
    }
  }
}
