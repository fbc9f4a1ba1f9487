package org.pont.transport;

import java.time.Duration;
import java.util.List;

/** What a sync run did, per folder and in total. */
public record SyncResult(List<FolderSyncResult> folders, Duration elapsed) {

  public SyncResult {
    folders = List.copyOf(folders);
  }

  public long fetched() {
    return folders.stream().mapToLong(FolderSyncResult::fetched).sum();
  }

  public long indexed() {
    return folders.stream().mapToLong(FolderSyncResult::indexed).sum();
  }

  public long skipped() {
    return folders.stream().mapToLong(FolderSyncResult::skipped).sum();
  }

  public long failed() {
    return folders.stream().mapToLong(FolderSyncResult::failed).sum();
  }

  public List<SyncFailure> failures() {
    return folders.stream().flatMap(f -> f.failures().stream()).toList();
  }
}
