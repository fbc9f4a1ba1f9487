package org.pont.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.pont.message.DocumentType;
import org.pont.smime.VerdictReason;

/**
 * The local, searchable index of a mailbox: a folder the embedding application owns (Lucene files in
 * {@code lucene/}, sync checkpoints beside them). Indexing is idempotent on (folder, UIDVALIDITY,
 * UID): indexing a message again replaces it. Changes become durable and visible at
 * {@link #commit()}. Thread-safe; one instance per folder per process (the folder is locked).
 *
 * <pre>{@code
 * try (MessageIndex index = MessageIndex.open(Path.of("pont-index"))) {
 *   SearchResults r = index.search(SearchQuery.builder().text("reeducation").build());
 *   r.hits().forEach(h -> System.out.println(h.ref() + " " + h.subject()));
 * }
 * }</pre>
 */
public final class MessageIndex implements AutoCloseable {
  static final String F_ID = "id";
  static final String F_FOLDER = "folder";
  static final String F_UIDVALIDITY = "uidvalidity";
  static final String F_UID = "uid";
  static final String F_MESSAGE_ID = "messageId";
  static final String F_FROM = "from";
  static final String F_TO = "to";
  static final String F_DATE = "date";
  static final String F_SUBJECT = "subject";
  /**
   * Every free-text part of a message in one field (subject, body, document texts, patient names,
   * document type labels, sender and recipient addresses): free text matches and scores here, so a
   * query of n words is a conjunction of n term queries (see {@link #toLucene}).
   */
  static final String F_TEXT = "text";
  static final String F_INS = "ins";
  static final String F_PATIENT = "patient";
  static final String F_TYPE = "type";
  static final String F_VERDICT = "verdict";
  static final String F_ENCRYPTED = "encrypted";
  static final String F_READ = "read";
  static final String F_ACK = "acknowledged";
  static final String F_SIZE = "size";
  static final String F_WARNING = "warning";
  static final String DIM_TYPE = "facet_type";
  static final String DIM_SENDER = "facet_sender";
  private static final String UNCHECKED = "UNCHECKED";

  /**
   * Written in every commit's user data. Absent: an index from before the combined text field
   * ({@link #F_TEXT}), which would find nothing by free text; such an index is refused as
   * {@code CORRUPT} ("recreate it and sync again") rather than silently answering wrongly.
   */
  static final String FORMAT_KEY = "pont.index.format";
  static final String FORMAT = "2";

  /**
   * Free-text relevance, BM25 on {@link #F_TEXT} with the parts of a message weighted inside it: a
   * word of the subject counts {@value} times in the term frequency, a word of a patient name
   * {@value #PATIENT_WEIGHT} times, any other word once ({@link WeightedTextField}), so that subject
   * and patient matches rank above body-only ones as the earlier per-field weights did (subject 2,
   * patient 1.5, rest 1, each field scored on its own).
   */
  static final int SUBJECT_WEIGHT = 3;
  static final int PATIENT_WEIGHT = 2;

  private final Path folder;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final FrenchTextAnalyzer analyzer = new FrenchTextAnalyzer();
  private final FacetsConfig facets = new FacetsConfig();
  private volatile FacetState facetState;

  // Segments are kept newest first, so that the usual listing (newest first) stops after a page of
  // hits per segment instead of visiting every match: a mailbox indexes in arrival order, which is
  // the worst order for date-sorted top-k otherwise.
  static final Sort NEWEST_FIRST = new Sort(
      LongField.newSortField(F_DATE, true, SortedNumericSelector.Type.MIN), new SortField(F_UID, SortField.Type.LONG, true));
  private static final Sort OLDEST_FIRST = new Sort(
      LongField.newSortField(F_DATE, false, SortedNumericSelector.Type.MIN), new SortField(F_UID, SortField.Type.LONG, false));

  private MessageIndex(Path folder) throws IndexException {
    this.folder = folder;
    facets.setMultiValued(DIM_TYPE, true);
    Directory dir = null;
    try {
      Files.createDirectories(folder.resolve("lucene"));
      dir = FSDirectory.open(folder.resolve("lucene"));
      boolean existed = DirectoryReader.indexExists(dir);
      IndexWriterConfig config = new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      config.setCommitOnClose(true);
      config.setIndexSort(NEWEST_FIRST);
      IndexWriter w = new IndexWriter(dir, config);
      if (existed) {
        String format = null;
        for (Map.Entry<String, String> e : w.getLiveCommitData()) {
          if (FORMAT_KEY.equals(e.getKey())) {
            format = e.getValue();
          }
        }
        if (!FORMAT.equals(format)) {
          // An index written before the combined text field would find nothing by free text.
          w.rollback(); // closes without committing anything to the old index
          closeQuietly(dir);
          throw new IndexException(IndexException.Reason.CORRUPT, "the index " + folder + " was written by "
              + (format == null ? "an earlier Pont version" : "another Pont version (index format " + format + ")")
              + " (this version needs index format " + FORMAT + "); recreate it and sync again", null);
        }
      } else {
        w.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT).entrySet());
      }
      this.writer = w;
      this.searchers = new SearcherManager(writer, null);
      this.directory = dir;
    } catch (LockObtainFailedException e) {
      closeQuietly(dir);
      throw new IndexException(IndexException.Reason.LOCKED, "the index " + folder + " is already open in another process or instance", e);
    } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
      closeQuietly(dir);
      throw new IndexException(IndexException.Reason.CORRUPT, "the index " + folder + " is damaged or from an incompatible version ("
          + e.getMessage() + "); recreate it and sync again", e);
    } catch (IOException e) {
      closeQuietly(dir);
      throw io("open", e);
    } catch (IllegalArgumentException e) {
      // An index written before the index was sorted by date: Lucene cannot re-sort it in place.
      closeQuietly(dir);
      throw new IndexException(IndexException.Reason.CORRUPT, "the index " + folder + " was written by an earlier Pont"
          + " version (" + e.getMessage() + "); recreate it and sync again", e);
    }
  }

  /**
   * Opens the index in {@code folder}, creating it if needed.
   *
   * @throws IndexException {@code CORRUPT} if the folder holds a damaged index, {@code LOCKED} if it is open elsewhere
   */
  public static MessageIndex open(Path folder) throws IndexException {
    return new MessageIndex(folder);
  }

  /**
   * Deletes whatever the folder holds (damaged index, checkpoints) and opens an empty index: the
   * way out of {@link IndexException.Reason#CORRUPT}. Sync again afterwards.
   */
  public static MessageIndex recreate(Path folder) throws IndexException {
    try {
      if (Files.exists(folder)) {
        try (Stream<Path> walk = Files.walk(folder)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            if (!p.equals(folder)) {
              Files.delete(p);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IndexException(IndexException.Reason.IO, "cannot clear the index folder " + folder + ": " + e.getMessage(), e);
    }
    return open(folder);
  }

  /** The folder this index lives in (where the sync keeps its checkpoints too). */
  public Path folder() {
    return folder;
  }

  /** Adds the message, or replaces what the index holds for the same (folder, UIDVALIDITY, UID). Durable at {@link #commit()}. */
  public void index(IndexableMessage m) throws IndexException {
    try {
      writer.updateDocument(new Term(F_ID, m.ref().key()), facets.build(toDocument(m)));
    } catch (IOException e) {
      throw io("index " + m.ref(), e);
    }
  }

  /** Updates the read and acknowledged state of an indexed message in place (no re-extraction). */
  public void updateFlags(MessageRef ref, boolean read, boolean acknowledged) throws IndexException {
    try {
      Term id = new Term(F_ID, ref.key());
      writer.updateDocValues(id, new NumericDocValuesField(F_READ, read ? 1 : 0), new NumericDocValuesField(F_ACK, acknowledged ? 1 : 0));
    } catch (IOException e) {
      throw io("update flags of " + ref, e);
    }
  }

  /** Removes every entry of a folder (e.g. after its UIDVALIDITY changed). Durable at {@link #commit()}. */
  public void deleteFolder(String folderName) throws IndexException {
    try {
      writer.deleteDocuments(new TermQuery(new Term(F_FOLDER, folderName)));
    } catch (IOException e) {
      throw io("delete folder", e);
    }
  }

  /** Removes the entries of a folder whose UIDVALIDITY is not {@code current}: they name messages that no longer exist. */
  public void deleteStale(String folderName, long current) throws IndexException {
    try {
      writer.deleteDocuments(new BooleanQuery.Builder()
          .add(new TermQuery(new Term(F_FOLDER, folderName)), Occur.FILTER)
          .add(LongField.newExactQuery(F_UIDVALIDITY, current), Occur.MUST_NOT)
          .build());
    } catch (IOException e) {
      throw io("delete stale entries", e);
    }
  }

  /**
   * Removes the committed entries of a folder (under {@code uidValidity}, UID at most {@code upToUid})
   * whose UID the server no longer lists: messages expunged or moved away since they were indexed.
   *
   * @return how many entries were removed (durable at {@link #commit()})
   */
  public int deleteMissing(String folderName, long uidValidity, long upToUid, java.util.Set<Long> presentUids) throws IndexException {
    List<Long> gone = withSearcher(s -> {
      Query q = new BooleanQuery.Builder()
          .add(new TermQuery(new Term(F_FOLDER, folderName)), Occur.FILTER)
          .add(LongField.newExactQuery(F_UIDVALIDITY, uidValidity), Occur.FILTER)
          .build();
      List<Long> out = new ArrayList<>();
      var stored = s.storedFields();
      for (ScoreDoc sd : s.search(q, Math.max(1, s.getIndexReader().maxDoc())).scoreDocs) {
        long uid = stored.document(sd.doc, java.util.Set.of(F_UID)).getField(F_UID).numericValue().longValue();
        if (uid <= upToUid && !presentUids.contains(uid)) {
          out.add(uid);
        }
      }
      return out;
    });
    try {
      for (long uid : gone) {
        writer.deleteDocuments(new Term(F_ID, MessageRef.of(folderName, uidValidity, uid).key()));
      }
    } catch (IOException e) {
      throw io("delete expunged entries", e);
    }
    return gone.size();
  }

  /** Removes everything (before a rebuild). Durable at {@link #commit()}. */
  public void deleteAll() throws IndexException {
    try {
      writer.deleteAll();
    } catch (IOException e) {
      throw io("clear", e);
    }
  }

  /** Makes every change so far durable (fsync) and visible to searches. */
  public void commit() throws IndexException {
    try {
      writer.commit();
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw io("commit", e);
    }
  }

  /** Whether the message is in the committed index. */
  public boolean contains(MessageRef ref) throws IndexException {
    return withSearcher(s -> s.count(new TermQuery(new Term(F_ID, ref.key()))) > 0);
  }

  /** How many messages the committed index holds. */
  public long count() throws IndexException {
    return withSearcher(s -> (long) s.getIndexReader().numDocs());
  }

  /** Searches the committed index. */
  public SearchResults search(SearchQuery q) throws IndexException {
    Query query = toLucene(q);
    return withSearcher(s -> {
      int want = (q.page() + 1) * q.pageSize();
      Sort sort = switch (q.sort()) {
        case RELEVANCE -> null;
        case NEWEST_FIRST -> NEWEST_FIRST;
        case OLDEST_FIRST -> OLDEST_FIRST;
      };
      TopDocs top;
      List<FacetCount> types = List.of();
      List<FacetCount> senders = List.of();
      if (q.facets()) {
        // Facets visit every match, so the total comes exact with them.
        FacetsCollectorManager fcm = new FacetsCollectorManager();
        FacetsCollectorManager.FacetsResult result = sort == null
            ? FacetsCollectorManager.search(s, query, want, fcm)
            : FacetsCollectorManager.search(s, query, want, sort, false, fcm);
        top = result.topDocs();
        if (s.getIndexReader().numDocs() > 0) {
          try {
            SortedSetDocValuesFacetCounts counts = new SortedSetDocValuesFacetCounts(facetState(s), result.facetsCollector());
            types = facetCounts(counts.getTopChildren(100, DIM_TYPE));
            senders = facetCounts(counts.getTopChildren(100, DIM_SENDER));
          } catch (IllegalArgumentException e) {
            // no message has this dimension yet
          }
        }
      } else {
        // Counting stops at the threshold, which lets Lucene skip blocks of matches that cannot
        // enter the page (block-max WAND for relevance, early termination on the index sort).
        top = sort == null
            ? s.search(query, new TopScoreDocCollectorManager(want, q.exactTotalUpTo()))
            : s.search(query, new TopFieldCollectorManager(sort, want, null, q.exactTotalUpTo()));
      }
      List<SearchHit> hits = new ArrayList<>();
      ScoreDoc[] docs = top.scoreDocs;
      for (int i = q.page() * q.pageSize(); i < docs.length; i++) {
        hits.add(toHit(s, docs[i]));
      }
      return new SearchResults(top.totalHits.value(), top.totalHits.relation() == TotalHits.Relation.EQUAL_TO,
          q.page(), q.pageSize(), hits, types, senders);
    });
  }

  /** The facet ordinals of a reader are costly to map: done once per index refresh, not per search. */
  private SortedSetDocValuesReaderState facetState(IndexSearcher s) throws IOException {
    FacetState cached = facetState;
    if (cached == null || cached.reader() != s.getIndexReader()) {
      cached = new FacetState(s.getIndexReader(), new DefaultSortedSetDocValuesReaderState(s.getIndexReader(), facets));
      facetState = cached;
    }
    return cached.state();
  }

  private record FacetState(IndexReader reader, SortedSetDocValuesReaderState state) {}

  private static List<FacetCount> facetCounts(FacetResult r) {
    if (r == null) {
      return List.of();
    }
    List<FacetCount> out = new ArrayList<>();
    for (LabelAndValue lv : r.labelValues) {
      out.add(new FacetCount(lv.label, lv.value.longValue()));
    }
    out.sort(Comparator.comparingLong(FacetCount::count).reversed().thenComparing(FacetCount::value));
    return out;
  }

  @Override
  public void close() throws IndexException {
    try {
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw io("close", e);
    }
  }

  // ---------------------------------------------------------------- documents

  static String normalizeAddress(String address) {
    String a = address.strip();
    int at = a.lastIndexOf('@');
    return (at < 0 ? a : a.substring(0, at + 1) + a.substring(at + 1)).toLowerCase(Locale.ROOT);
  }

  private static Document toDocument(IndexableMessage m) {
    Document d = new Document();
    d.add(new StringField(F_ID, m.ref().key(), Field.Store.NO));
    d.add(new StringField(F_FOLDER, m.ref().folder(), Field.Store.YES));
    d.add(new LongField(F_UIDVALIDITY, m.ref().uidValidity(), Field.Store.YES));
    d.add(new StoredField(F_UID, m.ref().uid()));
    d.add(new NumericDocValuesField(F_UID, m.ref().uid()));
    m.messageId().ifPresent(id -> d.add(new StringField(F_MESSAGE_ID, id, Field.Store.YES)));
    // The free text, in one field (values apart by the analyzer's position gap, so a phrase never
    // spans two of them); subject and patient names weigh more. Stored apart for the hits.
    d.add(new StoredField(F_SUBJECT, m.subject()));
    d.add(new WeightedTextField(F_TEXT, m.subject(), SUBJECT_WEIGHT));
    for (String name : m.patientNames()) {
      d.add(new StoredField(F_PATIENT, name));
      d.add(new WeightedTextField(F_TEXT, name, PATIENT_WEIGHT));
    }
    d.add(new TextField(F_TEXT, m.bodyText(), Field.Store.NO));
    for (String text : m.documentTexts()) {
      d.add(new TextField(F_TEXT, text, Field.Store.NO));
    }
    String from = normalizeAddress(m.from());
    d.add(new StringField(F_FROM, from, Field.Store.YES));
    d.add(new TextField(F_TEXT, m.from(), Field.Store.NO));
    if (!from.isEmpty()) {
      d.add(new SortedSetDocValuesFacetField(DIM_SENDER, from));
    }
    for (String to : m.to()) {
      d.add(new StringField(F_TO, normalizeAddress(to), Field.Store.YES));
      d.add(new TextField(F_TEXT, to, Field.Store.NO));
    }
    d.add(new LongField(F_DATE, m.date().map(Instant::toEpochMilli).orElse(0L), Field.Store.YES));
    m.patientIns().ifPresent(ins -> d.add(new StringField(F_INS, ins.value(), Field.Store.YES)));
    for (DocumentType t : m.documentTypes()) {
      d.add(new StringField(F_TYPE, t.code(), Field.Store.YES));
      d.add(new TextField(F_TEXT, t.label(), Field.Store.NO));
      d.add(new SortedSetDocValuesFacetField(DIM_TYPE, t.code()));
    }
    d.add(new StringField(F_VERDICT, m.verdict().map(Enum::name).orElse(UNCHECKED), Field.Store.YES));
    d.add(new StringField(F_ENCRYPTED, Boolean.toString(m.encrypted()), Field.Store.YES));
    d.add(new NumericDocValuesField(F_READ, m.read() ? 1 : 0));
    d.add(new NumericDocValuesField(F_ACK, m.acknowledged() ? 1 : 0));
    d.add(new StoredField(F_SIZE, m.size()));
    for (String w : m.warnings()) {
      d.add(new StoredField(F_WARNING, w));
    }
    return d;
  }

  private Query toLucene(SearchQuery q) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    if (q.text().isPresent()) {
      SimpleQueryParser parser = new SimpleQueryParser(analyzer, F_TEXT);
      parser.setDefaultOperator(Occur.MUST);
      Query text = parser.parse(q.text().get());
      if (text == null) {
        b.add(new MatchAllDocsQuery(), Occur.MUST);
      } else if (text instanceof BooleanQuery bq && bq.getMinimumNumberShouldMatch() == 0
          && bq.clauses().stream().noneMatch(c -> c.occur() == Occur.SHOULD)) {
        // "w1 w2": its clauses go straight into this query, one flat conjunction of term queries
        // (plus the filters below), which Lucene scores with block-max WAND.
        bq.clauses().forEach(b::add);
      } else {
        b.add(text, Occur.MUST);
      }
    } else {
      b.add(new MatchAllDocsQuery(), Occur.MUST);
    }
    q.patientIns().ifPresent(v -> b.add(new TermQuery(new Term(F_INS, v)), Occur.FILTER));
    q.documentType().ifPresent(v -> b.add(new TermQuery(new Term(F_TYPE, v)), Occur.FILTER));
    q.sender().ifPresent(v -> b.add(new TermQuery(new Term(F_FROM, v)), Occur.FILTER));
    q.verdict().ifPresent(v -> b.add(new TermQuery(new Term(F_VERDICT, v.name())), Occur.FILTER));
    q.folder().ifPresent(v -> b.add(new TermQuery(new Term(F_FOLDER, v)), Occur.FILTER));
    if (q.sentFrom().isPresent() || q.sentBefore().isPresent()) {
      long lo = q.sentFrom().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
      long hi = q.sentBefore().map(i -> i.toEpochMilli() - 1).orElse(Long.MAX_VALUE);
      b.add(LongField.newRangeQuery(F_DATE, lo, hi), Occur.FILTER);
    }
    q.read().ifPresent(v -> b.add(NumericDocValuesField.newSlowExactQuery(F_READ, v ? 1 : 0), Occur.FILTER));
    q.acknowledged().ifPresent(v -> b.add(NumericDocValuesField.newSlowExactQuery(F_ACK, v ? 1 : 0), Occur.FILTER));
    return b.build();
  }

  private static SearchHit toHit(IndexSearcher s, ScoreDoc sd) throws IOException {
    Document d = s.storedFields().document(sd.doc);
    MessageRef ref = new MessageRef(d.get(F_FOLDER), d.getField(F_UIDVALIDITY).numericValue().longValue(),
        d.getField(F_UID).numericValue().longValue());
    long date = d.getField(F_DATE).numericValue().longValue();
    String verdict = d.get(F_VERDICT);
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
    return new SearchHit(ref, Optional.ofNullable(d.get(F_MESSAGE_ID)), d.get(F_FROM), List.of(d.getValues(F_TO)),
        date == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(date)), d.get(F_SUBJECT),
        Optional.ofNullable(d.get(F_INS)), List.of(d.getValues(F_PATIENT)), List.of(d.getValues(F_TYPE)),
        UNCHECKED.equals(verdict) ? Optional.empty() : Optional.of(VerdictReason.valueOf(verdict)),
        flag(leaf, F_READ, sd.doc - leaf.docBase), flag(leaf, F_ACK, sd.doc - leaf.docBase), sd.score,
        List.of(d.getValues(F_WARNING)));
  }

  private static boolean flag(LeafReaderContext leaf, String field, int doc) throws IOException {
    NumericDocValues values = leaf.reader().getNumericDocValues(field);
    return values != null && values.advanceExact(doc) && values.longValue() == 1;
  }

  @FunctionalInterface
  private interface SearcherCall<T> {
    T apply(IndexSearcher s) throws IOException;
  }

  private <T> T withSearcher(SearcherCall<T> call) throws IndexException {
    try {
      IndexSearcher s = searchers.acquire();
      try {
        return call.apply(s);
      } finally {
        searchers.release(s);
      }
    } catch (CorruptIndexException e) {
      throw new IndexException(IndexException.Reason.CORRUPT, "the index " + folder + " is damaged: " + e.getMessage(), e);
    } catch (IOException e) {
      throw io("search", e);
    }
  }

  private IndexException io(String action, IOException e) {
    if (e instanceof CorruptIndexException) {
      return new IndexException(IndexException.Reason.CORRUPT, "the index " + folder + " is damaged (" + action + "): " + e.getMessage(), e);
    }
    return new IndexException(IndexException.Reason.IO, "cannot " + action + " in the index " + folder + ": " + e.getMessage(), e);
  }

  private static void closeQuietly(Directory dir) {
    if (dir != null) {
      try {
        dir.close();
      } catch (IOException e) {
        // already failing
      }
    }
  }
}
