package org.pont.index;

/** How search results are ordered. */
public enum SortOrder {
  /** Newest first (the default: a mailbox view). */
  NEWEST_FIRST,
  /** Oldest first. */
  OLDEST_FIRST,
  /** Best match first (useful with free text). */
  RELEVANCE
}
