package org.pont.index;

import java.util.List;

/**
 * One page of results: the total number of matching messages, the hits of the requested page, and
 * facet counts over all matching messages (by document type code and by sender, most frequent first).
 */
public record SearchResults(long totalHits, int page, int pageSize, List<SearchHit> hits,
    List<FacetCount> byDocumentType, List<FacetCount> bySender) {

  public SearchResults {
    hits = List.copyOf(hits);
    byDocumentType = List.copyOf(byDocumentType);
    bySender = List.copyOf(bySender);
  }

  /** Whether a further page exists. */
  public boolean hasNextPage() {
    return (long) (page + 1) * pageSize < totalHits;
  }
}
