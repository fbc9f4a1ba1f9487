package org.pont.transport;

import java.util.Objects;

/**
 * How far a folder has been synced: every message with a UID up to {@code lastUid} under this
 * {@code uidValidity} is in the index.
 */
public record Checkpoint(String folder, long uidValidity, long lastUid) {

  public Checkpoint {
    Objects.requireNonNull(folder, "folder");
    if (uidValidity <= 0 || lastUid < 0) {
      throw new IllegalArgumentException("invalid checkpoint " + uidValidity + "/" + lastUid);
    }
  }
}
