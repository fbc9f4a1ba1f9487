package org.pont.gateway.directory;

import java.util.List;

/**
 * One page of search results, best first.
 *
 * @param total how many published entries matched in all
 * @param entries this page's entries, as published (no liste-rouge mailbox)
 */
public record DirectoryPage(long total, int page, int pageSize, List<DirectoryEntry> entries) {
  public DirectoryPage {
    entries = List.copyOf(entries);
  }
}
