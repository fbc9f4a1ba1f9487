package org.pont.index;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.pont.smime.VerdictReason;

/**
 * What to look for: free text (French analysis; {@code "quoted phrases"}, {@code -excluded},
 * {@code prefix*} and {@code a | b} work), and exact filters. Every part is optional: an empty
 * query lists every message. Built with {@link #builder()}.
 *
 * <pre>{@code
 * SearchQuery q = SearchQuery.builder().text("rééducation genou")
 *     .patientIns("180012B02600123").documentType("PRESC-KINE")
 *     .sentBetween(Instant.parse("2026-01-01T00:00:00Z"), Instant.now())
 *     .sort(SortOrder.RELEVANCE).page(0, 20).build();
 * }</pre>
 *
 * @param page zero-based page number
 * @param pageSize hits per page (1 to 1000, default 20)
 * @param facets whether to count matches by document type and by sender (off by default: counting
 *     visits every match, where a page of hits alone lets Lucene skip most of them)
 * @param exactTotalUpTo the total is counted exactly up to this many matches and reported as a lower
 *     bound beyond it ({@link SearchResults#totalHitsExact()}); default 1,000. With facets the
 *     total is always exact (every match is visited anyway).
 */
public record SearchQuery(
    Optional<String> text,
    Optional<String> patientIns,
    Optional<String> documentType,
    Optional<String> sender,
    Optional<Instant> sentFrom,
    Optional<Instant> sentBefore,
    Optional<VerdictReason> verdict,
    Optional<String> folder,
    Optional<Boolean> read,
    Optional<Boolean> acknowledged,
    SortOrder sort,
    int page,
    int pageSize,
    boolean facets,
    int exactTotalUpTo) {

  public static final int MAX_PAGE_SIZE = 1000;
  /** Default for {@link #exactTotalUpTo}: enough for "1 to 1,000 of N" paging displays. */
  public static final int DEFAULT_EXACT_TOTAL_UP_TO = 1000;

  public SearchQuery {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(patientIns, "patientIns");
    Objects.requireNonNull(documentType, "documentType");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(sentFrom, "sentFrom");
    Objects.requireNonNull(sentBefore, "sentBefore");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(read, "read");
    Objects.requireNonNull(acknowledged, "acknowledged");
    Objects.requireNonNull(sort, "sort");
    if (page < 0) {
      throw new IllegalArgumentException("page must be 0 or more");
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be between 1 and " + MAX_PAGE_SIZE);
    }
    if (exactTotalUpTo < 1) {
      throw new IllegalArgumentException("exactTotalUpTo must be 1 or more");
    }
  }

  /** Every message, newest first, first page. */
  public static SearchQuery all() {
    return builder().build();
  }

  /** Free text, newest first. */
  public static SearchQuery text(String text) {
    return builder().text(text).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects a {@link SearchQuery}. */
  public static final class Builder {
    private String text;
    private String patientIns;
    private String documentType;
    private String sender;
    private Instant sentFrom;
    private Instant sentBefore;
    private VerdictReason verdict;
    private String folder;
    private Boolean read;
    private Boolean acknowledged;
    private SortOrder sort = SortOrder.NEWEST_FIRST;
    private int page;
    private int pageSize = 20;
    private boolean facets;
    private int exactTotalUpTo = DEFAULT_EXACT_TOTAL_UP_TO;

    private Builder() {}

    public Builder text(String t) {
      this.text = t == null || t.isBlank() ? null : t;
      return this;
    }

    /** The 15-character INS (matricule + key). */
    public Builder patientIns(String ins) {
      this.patientIns = ins.strip().toUpperCase(java.util.Locale.ROOT);
      return this;
    }

    /** A document type code, e.g. {@code 11490-0}. */
    public Builder documentType(String code) {
      this.documentType = Objects.requireNonNull(code);
      return this;
    }

    /** The sender's address (the domain part compares case-insensitively). */
    public Builder sender(String address) {
      this.sender = MessageIndex.normalizeAddress(address);
      return this;
    }

    /** Messages dated at or after {@code from} and strictly before {@code before}. */
    public Builder sentBetween(Instant from, Instant before) {
      this.sentFrom = from;
      this.sentBefore = before;
      return this;
    }

    public Builder sentFrom(Instant from) {
      this.sentFrom = from;
      return this;
    }

    public Builder sentBefore(Instant before) {
      this.sentBefore = before;
      return this;
    }

    public Builder verdict(VerdictReason v) {
      this.verdict = Objects.requireNonNull(v);
      return this;
    }

    public Builder folder(String f) {
      this.folder = Objects.requireNonNull(f);
      return this;
    }

    public Builder read(boolean value) {
      this.read = value;
      return this;
    }

    public Builder acknowledged(boolean value) {
      this.acknowledged = value;
      return this;
    }

    public Builder sort(SortOrder order) {
      this.sort = Objects.requireNonNull(order);
      return this;
    }

    public Builder page(int number, int size) {
      this.page = number;
      this.pageSize = size;
      return this;
    }

    /** Also count all matches by document type and by sender ({@link SearchResults#byDocumentType()}). */
    public Builder withFacets() {
      this.facets = true;
      return this;
    }

    /**
     * Count the total exactly up to {@code n} matches ({@link Integer#MAX_VALUE}: always exactly,
     * at the cost of visiting every match).
     */
    public Builder exactTotalUpTo(int n) {
      this.exactTotalUpTo = n;
      return this;
    }

    public SearchQuery build() {
      return new SearchQuery(Optional.ofNullable(text), Optional.ofNullable(patientIns), Optional.ofNullable(documentType),
          Optional.ofNullable(sender), Optional.ofNullable(sentFrom), Optional.ofNullable(sentBefore),
          Optional.ofNullable(verdict), Optional.ofNullable(folder), Optional.ofNullable(read),
          Optional.ofNullable(acknowledged), sort, page, pageSize, facets, exactTotalUpTo);
    }
  }
}
