package org.pont.index;

import java.util.List;

/**
 * One page of results: how many messages match, the hits of the requested page, and, when the query
 * asked for them ({@link SearchQuery.Builder#withFacets()}), facet counts over all matching messages
 * (by document type code and by sender, most frequent first; empty otherwise).
 *
 * @param totalHits the number of matching messages: exact when {@code totalHitsExact}, otherwise a
 *     lower bound (the query's {@link SearchQuery#exactTotalUpTo()} was reached)
 * @param totalHitsExact whether {@code totalHits} is the exact count
 */
public record SearchResults(long totalHits, boolean totalHitsExact, int page, int pageSize, List<SearchHit> hits,
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
