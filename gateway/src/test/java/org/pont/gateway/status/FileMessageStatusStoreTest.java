package org.pont.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.gateway.status.MessageStatusStore.State;

class FileMessageStatusStoreTest {

  @TempDir Path data;

  private static final String A = "dr.martin@cabinet.test";
  private static final String B = "kine.durand@cabinet.test";

  @Test
  void statesOnlyMoveForwardAndFailedIsFinal() {
    MessageStatusStore store = FileMessageStatusStore.in(data);
    store.create("m1", "<m1@hopital.test>", "t1", "secretariat@hopital.test", List.of(A, B));

    assertThat(store.update("m1", A, State.FAILED, Optional.of("quarantined: INS mismatch"))).isTrue();
    // A late "delivered" (reported by another mailet after the quarantine) must not hide the failure.
    assertThat(store.update("m1", A, State.DELIVERED, Optional.empty())).isTrue();
    assertThat(store.update("m1", B, State.DELIVERED, Optional.empty())).isTrue();
    assertThat(store.update("m1", B, State.RELAYED, Optional.empty())).isTrue();

    MessageStatusStore.MessageStatus s = FileMessageStatusStore.in(data).find("m1").orElseThrow();
    assertThat(s.recipients().get(A).state()).isEqualTo(State.FAILED);
    assertThat(s.recipients().get(A).reason()).contains("quarantined: INS mismatch");
    assertThat(s.recipients().get(B).state()).isEqualTo(State.DELIVERED);
  }

  @Test
  void aDeliveredRecipientCanStillFailAndUnknownOnesAreIgnored() {
    MessageStatusStore store = FileMessageStatusStore.in(data);
    store.create("m2", "<m2@hopital.test>", "t1", "secretariat@hopital.test", List.of(A));
    store.update("m2", A, State.DELIVERED, Optional.empty());
    store.update("m2", A, State.FAILED, Optional.of("DSN 5.1.1"));
    assertThat(store.update("m2", "nobody@cabinet.test", State.FAILED, Optional.empty())).isTrue();
    assertThat(store.update("absent", A, State.FAILED, Optional.empty())).isFalse();

    MessageStatusStore.MessageStatus s = store.find("m2").orElseThrow();
    assertThat(s.recipients()).containsOnlyKeys(A);
    assertThat(s.recipients().get(A).state()).isEqualTo(State.FAILED);
    assertThat(State.mayMove(State.ACCEPTED, State.RELAYED)).isTrue();
    assertThat(State.mayMove(State.RELAYED, State.ACCEPTED)).isFalse();
  }

  @Test
  void theRecipientsAnswerOverturnsAFailureButThePipelineDoesNotAndTheTimelineSurvivesARestart() {
    MessageStatusStore store = FileMessageStatusStore.in(data);
    store.create("m3", "<m3@hopital.test>", "t1", "secretariat@hopital.test", List.of(A));
    store.update("m3", A, State.FAILED, Optional.of("relay: 4.4.7 expired"));
    store.update("m3", A, State.DELIVERED, Optional.empty()); // the pipeline: ignored
    Optional<MessageStatusStore.Change> read = store.report("m3", A, new MessageStatusStore.Report(State.READ, Optional.empty(),
        MessageStatusStore.Source.NOTIFICATION, Optional.of("<mdn-1@cabinet.test>"), Optional.empty()));
    assertThat(read).hasValueSatisfying(c -> {
      assertThat(c.previous()).isEqualTo(State.FAILED);
      assertThat(c.event().late()).isTrue();
    });
    // the same MDN again, and a "displayed" after integration: no move
    assertThat(store.report("m3", A, new MessageStatusStore.Report(State.READ, Optional.empty(),
        MessageStatusStore.Source.NOTIFICATION, Optional.of("<mdn-1@cabinet.test>"), Optional.empty()))).isEmpty();

    MessageStatusStore.RecipientStatus r = FileMessageStatusStore.in(data).find("m3").orElseThrow().recipients().get(A);
    assertThat(r.state()).isEqualTo(State.READ);
    assertThat(r.reason()).isEmpty();
    assertThat(r.timeline()).extracting(MessageStatusStore.Event::state).containsExactly(State.ACCEPTED, State.FAILED, State.READ);
    assertThat(r.timeline().get(1).reason()).contains("relay: 4.4.7 expired");
    assertThat(r.timeline().get(2).notificationId()).contains("<mdn-1@cabinet.test>");
    assertThat(State.fromLabel("timed-out")).contains(State.TIMED_OUT);
    assertThat(store.open()).extracting(MessageStatusStore.MessageStatus::id).contains("m3");
  }

  @Test
  void aStatusFileWrittenBeforeTimelinesIsStillRead() throws Exception {
    java.nio.file.Path dir = data.resolve("api/messages");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(dir.resolve("old.json"), "{\"id\":\"old\",\"messageId\":\"<o@h.test>\",\"tokenId\":\"t\","
        + "\"sender\":\"s@h.test\",\"submitted\":\"2026-11-01T10:00:00Z\",\"recipients\":{\"" + A + "\":"
        + "{\"state\":\"delivered\",\"updated\":\"2026-11-01T10:00:01Z\"}}}");
    MessageStatusStore.RecipientStatus r = FileMessageStatusStore.in(data).find("old").orElseThrow().recipients().get(A);
    assertThat(r.state()).isEqualTo(State.DELIVERED);
    assertThat(r.timeline()).isEmpty();
    assertThat(r.acceptedAt()).isEqualTo(java.time.Instant.parse("2026-11-01T10:00:01Z"));
  }
}
