package org.pont.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a sent message for one recipient. Events that come from a received
 * notification carry its Message-ID ({@link #sourceId()}), which makes applying the same
 * notification twice a no-op.
 */
public sealed interface DeliveryEvent {
  Instant at();

  /** The Message-ID of the notification this event was read from, if any. */
  Optional<String> sourceId();

  /** The status this event stands for. */
  DeliveryStatus status();

  record Accepted(Instant at) implements DeliveryEvent {
    public Accepted {
      Objects.requireNonNull(at, "at");
    }

    public Optional<String> sourceId() {
      return Optional.empty();
    }

    public DeliveryStatus status() {
      return DeliveryStatus.ACCEPTED;
    }
  }

  record Relayed(Instant at, Optional<String> sourceId) implements DeliveryEvent {
    public Relayed {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(sourceId, "sourceId");
    }

    public DeliveryStatus status() {
      return DeliveryStatus.RELAYED;
    }
  }

  record Delayed(Instant at, Optional<String> sourceId) implements DeliveryEvent {
    public Delayed {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(sourceId, "sourceId");
    }

    public DeliveryStatus status() {
      return DeliveryStatus.DELAYED;
    }
  }

  record Delivered(Instant at, Optional<String> sourceId) implements DeliveryEvent {
    public Delivered {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(sourceId, "sourceId");
    }

    public DeliveryStatus status() {
      return DeliveryStatus.DELIVERED;
    }
  }

  record Displayed(Instant at, Optional<String> sourceId) implements DeliveryEvent {
    public Displayed {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(sourceId, "sourceId");
    }

    public DeliveryStatus status() {
      return DeliveryStatus.DISPLAYED;
    }
  }

  record Integrated(Instant at, Optional<String> sourceId) implements DeliveryEvent {
    public Integrated {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(sourceId, "sourceId");
    }

    public DeliveryStatus status() {
      return DeliveryStatus.INTEGRATED;
    }
  }

  record IntegrationFailed(Instant at, IntegrationError error, Optional<String> sourceId) implements DeliveryEvent {
    public IntegrationFailed {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(sourceId, "sourceId");
    }

    public DeliveryStatus status() {
      return DeliveryStatus.INTEGRATION_ERROR;
    }
  }

  /** A failure DSN (or failed MDN); {@code reason} is for people, e.g. the Diagnostic-Code. */
  record Failed(Instant at, String reason, Optional<String> sourceId) implements DeliveryEvent {
    public Failed {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(sourceId, "sourceId");
    }

    public DeliveryStatus status() {
      return DeliveryStatus.FAILED;
    }
  }

  /**
   * No sufficient notification arrived in time: the sender had waited {@code waited} for
   * {@code awaited} (e.g. {@link DeliveryStatus#INTEGRATED}). Produced by
   * {@link Timeline#timeoutDue(Instant, TimeoutPolicy)}, never sent to anyone as a DSN.
   */
  record TimedOut(Instant at, DeliveryStatus awaited, Duration waited) implements DeliveryEvent {
    public TimedOut {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(awaited, "awaited");
      Objects.requireNonNull(waited, "waited");
    }

    public Optional<String> sourceId() {
      return Optional.empty();
    }

    public DeliveryStatus status() {
      return DeliveryStatus.TIMED_OUT;
    }
  }
}
