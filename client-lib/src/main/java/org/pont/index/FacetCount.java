package org.pont.index;

/** How many matching messages share one value (a document type code, a sender address). */
public record FacetCount(String value, long count) {}
