package org.pont.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TimelineStore} must do; the gateway's storage-backed store can extend this
 * class as {@link InMemoryTimelineStoreTest} does.
 */
abstract class TimelineStoreContract {
  private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
  private static final TimeoutPolicy POLICY = TimeoutPolicy.integratedWithin(Duration.ofHours(4));

  /** A new, empty store. */
  protected abstract TimelineStore newStore();

  private TimelineStore store;

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void concurrentNotificationsForOneRecipientAreAllKept() throws Exception {
    store.accepted("<m@hopital.test>", "r@cabinet.test", T0);
    int n = 200;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(pool.submit(() -> store.apply("<m@hopital.test>", "r@cabinet.test",
            new DeliveryEvent.Relayed(T0.plusSeconds(k), Optional.of("<dsn" + k + "@x.test>")))));
      }
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.find("<m@hopital.test>", "r@cabinet.test").orElseThrow().history()).hasSize(n + 1);
  }

  @Test
  void acceptingTwiceKeepsTheFirstTimeline() {
    Timeline first = store.accepted("<m@hopital.test>", "r@cabinet.test", T0);
    assertThat(store.accepted("<m@hopital.test>", "R@Cabinet.test", T0.plusSeconds(5))).isEqualTo(first);
  }

  @Test
  void aRecipientsTimeoutIsVisibleAndALateAcknowledgementReconcilesIt() throws Exception {
    MimeMessage sent = BuildAndParseTest.sentMessage();
    store.accepted("<orig-1@hopital.test>", "Dr.Martin@cabinet.test", T0);
    store.accepted("<orig-1@hopital.test>", "dr.x@cabinet.test", T0);

    assertThat(store.timeoutsDue(T0.plus(Duration.ofHours(5)), POLICY)).hasSize(2);
    assertThat(store.applyTimeouts(T0.plus(Duration.ofHours(5)), POLICY)).extracting(Timeline::status)
        .containsOnly(DeliveryStatus.TIMED_OUT);
    assertThat(store.timeoutsDue(T0.plus(Duration.ofDays(2)), POLICY)).isEmpty();

    MimeMessage ack = Samples.reread(MdnBuilder.answering(sent).from("dr.martin@cabinet.test").build());
    Notification n = NotificationParser.parse(ack).orElseThrow();
    assertThat(store.record(n, T0.plus(Duration.ofDays(1)))).singleElement().satisfies(t -> {
      assertThat(t.status()).isEqualTo(DeliveryStatus.INTEGRATED);
      assertThat(t.reconciledLate()).isTrue();
    });
    assertThat(store.record(n, T0.plus(Duration.ofDays(1)))).singleElement()
        .satisfies(t -> assertThat(t.history()).as("the same MDN twice is applied once").hasSize(3));
    assertThat(store.forMessage("<orig-1@hopital.test>")).extracting(Timeline::status)
        .containsExactly(DeliveryStatus.INTEGRATED, DeliveryStatus.TIMED_OUT);
  }

  @Test
  void aDsnUpdatesEachOfItsRecipients() throws Exception {
    store.accepted("<orig-1@hopital.test>", "dr.x@cabinet.test", T0);
    store.accepted("<orig-1@hopital.test>", "dr.martin@cabinet.test", T0);
    MimeMessage dsn = DsnBuilder.about(BuildAndParseTest.sentMessage(), "mx.hopital.test").to("dr.durand@hopital.test")
        .recipient(RecipientStatus.of("dr.x@cabinet.test", Action.FAILED, StatusCode.parse("5.1.1")).withDiagnosticCode("smtp; 550 no such user"))
        .recipient(RecipientStatus.of("dr.martin@cabinet.test", Action.RELAYED, StatusCode.parse("2.0.0")))
        .build();

    store.record(NotificationParser.parse(Samples.reread(dsn)).orElseThrow(), T0.plusSeconds(30));

    assertThat(store.find("<orig-1@hopital.test>", "dr.x@cabinet.test").orElseThrow().failureReason())
        .contains("5.1.1 smtp; 550 no such user");
    assertThat(store.find("<orig-1@hopital.test>", "dr.martin@cabinet.test").orElseThrow().status()).isEqualTo(DeliveryStatus.RELAYED);
  }

  @Test
  void aNotificationForAMessageWeDidNotSendChangesNothing() {
    assertThat(store.record(NotificationParser.parse(Samples.sample("direct-MDNMessage.txt")).orElseThrow(), T0)).isEmpty();
  }
}
