package org.pont.tracking;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a sender waits, after acceptance, for a recipient to reach {@code awaited} (e.g.
 * {@link DeliveryStatus#DELIVERED} for a DSN, {@link DeliveryStatus#INTEGRATED} for the ANS
 * integration acknowledgement) before the recipient is reported {@link DeliveryStatus#TIMED_OUT}.
 */
public record TimeoutPolicy(DeliveryStatus awaited, Duration within) {
  public TimeoutPolicy {
    Objects.requireNonNull(awaited, "awaited");
    Objects.requireNonNull(within, "within");
    if (awaited.isNegative() || awaited == DeliveryStatus.ACCEPTED) {
      throw new IllegalArgumentException("a timeout awaits a positive status beyond ACCEPTED, not " + awaited);
    }
    if (within.isNegative() || within.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + within);
    }
  }

  /** Waits for the integration acknowledgement ({@code processed} MDN). */
  public static TimeoutPolicy integratedWithin(Duration within) {
    return new TimeoutPolicy(DeliveryStatus.INTEGRATED, within);
  }

  public static TimeoutPolicy deliveredWithin(Duration within) {
    return new TimeoutPolicy(DeliveryStatus.DELIVERED, within);
  }
}
