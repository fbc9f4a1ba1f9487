package org.pont.gateway.directory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an importer read: entries (one per identifier, mailboxes merged) and the lines or
 * resources it skipped, each with why.
 */
public record DirectoryImport(List<DirectoryEntry> entries, List<String> skipped) {
  public DirectoryImport {
    entries = List.copyOf(entries);
    skipped = List.copyOf(skipped);
  }

  public long mailboxCount() {
    return entries.stream().mapToLong(e -> e.mailboxes().size()).sum();
  }

  /** Merges entries that share an identifier (one row per mailbox in the bulk extraction). */
  static DirectoryImport merged(List<DirectoryEntry> rows, List<String> skipped) {
    Map<String, DirectoryEntry> byKey = new LinkedHashMap<>();
    for (DirectoryEntry e : rows) {
      byKey.merge(e.id().key(), e, (a, b) -> a.withMailboxes(b.mailboxes()));
    }
    return new DirectoryImport(new ArrayList<>(byKey.values()), skipped);
  }
}
