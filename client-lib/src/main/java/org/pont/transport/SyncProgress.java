package org.pont.transport;

/**
 * Where a running sync stands, reported after each message: enough for a progress bar.
 *
 * @param folder the folder being synced
 * @param done messages of this folder handled so far in this run
 * @param total new messages this run found in the folder
 */
public record SyncProgress(String folder, long done, long total, long indexed, long skipped, long failed) {

  /** Receives progress; called on the syncing thread, so keep it quick. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = p -> {};

    void onProgress(SyncProgress progress);
  }
}
