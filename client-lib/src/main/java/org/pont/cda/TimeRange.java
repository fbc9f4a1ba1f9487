package org.pont.cda;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/** A period such as a hospital stay: a start and, once it is over, an end (HL7 IVL_TS low/high). */
public record TimeRange(OffsetDateTime start, Optional<OffsetDateTime> end) {

  public TimeRange {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isPresent() && end.get().isBefore(start)) {
      throw new IllegalArgumentException("a period cannot end before it starts");
    }
  }

  public static TimeRange of(OffsetDateTime start, OffsetDateTime end) {
    return new TimeRange(start, Optional.of(end));
  }

  public static TimeRange startingAt(OffsetDateTime start) {
    return new TimeRange(start, Optional.empty());
  }
}
