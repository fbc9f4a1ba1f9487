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
}
