package org.pont.transport;

import java.util.Objects;
import org.pont.index.MessageRef;

/** A message that could not be indexed, and why; the sync goes on past it. */
public record SyncFailure(MessageRef ref, String reason) {
  public SyncFailure {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(reason, "reason");
  }
}
