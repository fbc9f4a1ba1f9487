package org.pont.transport;

import java.util.List;

/**
 * What one folder's sync did.
 *
 * @param uidValidityChanged whether the server's UIDVALIDITY differed from the checkpoint (the
 *     folder's entries were dropped and it was synced from scratch)
 * @param fetched new messages downloaded
 * @param indexed messages added to the index
 * @param skipped messages found already indexed (after an interrupted run) or over the size limit
 * @param failed messages that could not be read; see {@code failures}
 * @param lastUid the UID the folder's checkpoint now stands at
 */
public record FolderSyncResult(String folder, long uidValidity, boolean uidValidityChanged, long fetched,
    long indexed, long skipped, long failed, List<SyncFailure> failures, long lastUid) {

  public FolderSyncResult {
    failures = List.copyOf(failures);
  }
}
