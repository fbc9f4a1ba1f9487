package org.pont.tracking;

/**
 * Where a sent message stands for one recipient. Positive states are ordered (a later one is more
 * progress); {@link #FAILED} and {@link #TIMED_OUT} are the negative ends, which a late proof of
 * receipt can still overturn (see {@link Timeline#apply(DeliveryEvent)}).
 */
public enum DeliveryStatus {
  ACCEPTED(0),
  RELAYED(2),
  DELAYED(3),
  DELIVERED(4),
  /** A person displayed the message (MDN {@code displayed}). */
  DISPLAYED(6),
  /** The receiving software integrated it (MDN {@code processed}, the ANS integration acknowledgement). */
  INTEGRATED(8),
  /** The receiving software refused to integrate it ({@code processed/Error: code^label}). */
  INTEGRATION_ERROR(8),
  FAILED(-1),
  TIMED_OUT(-1);

  private final int rank;

  DeliveryStatus(int rank) {
    this.rank = rank;
  }

  int rank() {
    return rank;
  }

  public boolean isNegative() {
    return rank < 0;
  }

  /** Evidence that the recipient's side has the message. */
  public boolean provesReceipt() {
    return rank >= DELIVERED.rank;
  }
}
