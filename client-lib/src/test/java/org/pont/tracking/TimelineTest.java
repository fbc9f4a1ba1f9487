package org.pont.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
  private static final TimeoutPolicy POLICY = TimeoutPolicy.integratedWithin(Duration.ofHours(24));
  private static final String MSG = "<orig-1@hopital.test>";
  private static final String RCPT = "dr.martin@cabinet.test";

  private static Optional<String> id(String s) {
    return Optional.of("<" + s + "@cabinet.test>");
  }

  private final Timeline start = Timeline.accepted(MSG, RCPT, T0);

  @Test
  void statusesMoveForwardOnly() {
    Timeline t = start.apply(new DeliveryEvent.Delivered(T0.plusSeconds(60), id("dsn1")))
        .apply(new DeliveryEvent.Relayed(T0.plusSeconds(30), id("dsn0")));

    assertThat(t.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(t.history()).hasSize(3);
  }

  @Test
  void noTimeoutIsDueBeforeTheDeadline() {
    assertThat(start.timeoutDue(T0.plus(Duration.ofHours(23)), POLICY)).isEmpty();
    assertThat(start.timeoutDue(T0.plus(Duration.ofHours(24)), POLICY)).get()
        .satisfies(e -> assertThat(e.waited()).isEqualTo(Duration.ofHours(24)));
  }

  @Test
  void aLateMdnAfterATimeoutMovesTheStatusForwardAndIsMarkedLate() {
    Timeline timedOut = start.apply(start.timeoutDue(T0.plus(Duration.ofHours(25)), POLICY).orElseThrow());
    assertThat(timedOut.status()).isEqualTo(DeliveryStatus.TIMED_OUT);
    assertThat(timedOut.timeoutDue(T0.plus(Duration.ofDays(3)), POLICY)).as("a timeout is reported once").isEmpty();

    Timeline late = timedOut.apply(new DeliveryEvent.Integrated(T0.plus(Duration.ofDays(2)), id("mdn1")));

    assertThat(late.status()).isEqualTo(DeliveryStatus.INTEGRATED);
    assertThat(late.reconciledLate()).isTrue();
    assertThat(late.history().get(late.history().size() - 1).late()).isTrue();
    assertThat(late.timeoutDue(T0.plus(Duration.ofDays(5)), POLICY)).as("no second timeout days later").isEmpty();
  }

  @Test
  void aLateMdnAfterAFailureOverturnsItAndRecordsTheConflict() {
    Timeline t = start.apply(new DeliveryEvent.Failed(T0.plusSeconds(10), "5.0.0 smtp; 550", id("dsn1")))
        .apply(new DeliveryEvent.Displayed(T0.plusSeconds(900), id("mdn1")));

    assertThat(t.status()).isEqualTo(DeliveryStatus.DISPLAYED);
    assertThat(t.reconciledLate()).isTrue();
    assertThat(t.conflicts()).singleElement().asString().contains("after a failure (5.0.0 smtp; 550)");
  }

  @Test
  void aDuplicateMdnChangesNothing() {
    DeliveryEvent mdn = new DeliveryEvent.Integrated(T0.plusSeconds(60), id("mdn1"));
    Timeline once = start.apply(mdn);
    DeliveryEvent sameNotificationSeenLater = new DeliveryEvent.Integrated(T0.plusSeconds(7200), id("mdn1"));

    assertThat(once.apply(mdn)).isSameAs(once);
    assertThat(once.apply(sameNotificationSeenLater)).isSameAs(once);
  }

  @Test
  void aFailureDsnAfterAProcessedMdnDoesNotRegressTheStatus() {
    Timeline t = start.apply(new DeliveryEvent.Integrated(T0.plusSeconds(60), id("mdn1")))
        .apply(new DeliveryEvent.Failed(T0.plusSeconds(120), "5.4.7 delivery time expired", id("dsn1")));

    assertThat(t.status()).isEqualTo(DeliveryStatus.INTEGRATED);
    assertThat(t.failureReason()).isEmpty();
    assertThat(t.conflicts()).singleElement().asString().contains("5.4.7 delivery time expired").contains("status kept");
  }

  @Test
  void anIntegrationErrorIsAFinalAnswerWithItsCode() {
    IntegrationError error = IntegrationError.of(IntegrationErrorCode.INS_MISMATCH);
    Timeline t = start.apply(new DeliveryEvent.Delivered(T0.plusSeconds(5), id("dsn1")))
        .apply(new DeliveryEvent.IntegrationFailed(T0.plusSeconds(60), error, id("mdn1")));

    assertThat(t.status()).isEqualTo(DeliveryStatus.INTEGRATION_ERROR);
    assertThat(t.integrationError()).contains(error);
    assertThat(t.timeoutDue(T0.plus(Duration.ofDays(3)), POLICY)).isEmpty();
  }

  @Test
  void aFailureIsVisibleWithItsReason() {
    Timeline t = start.apply(new DeliveryEvent.Failed(T0.plusSeconds(10), "5.1.1 no such user", id("dsn1")));

    assertThat(t.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(t.failureReason()).contains("5.1.1 no such user");
  }
}
