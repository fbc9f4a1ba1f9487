package org.pont.gateway.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;

/**
 * The directory (annuaire), kept in a Lucene index: search of published entries and the
 * encryption-certificate lookup outbound mail uses. Writes are serialised; searches may run
 * concurrently with them.
 *
 * <p>Several processes share one index folder: the gateway reads it (REST search, outbound
 * encryption) while {@code pont directory import} writes it. Nobody keeps the index writer open:
 * {@link #put} takes the write lock for one import and waits (up to {@value #WRITE_LOCK_WAIT_SECONDS}
 * s) while another process holds it. Readers are refreshed before each lookup ({@link
 * SearcherManager#maybeRefreshBlocking()}), so an import committed by another process is seen by
 * the next search without a restart.
 *
 * <p>Liste rouge: entries (or single mailboxes) flagged liste rouge are indexed so that
 * {@link #encryptionCertificates} finds them by exact address, but they are filtered out of every
 * search and of {@link #published()}: a sender who already knows the address may encrypt to it
 * (refusing would only push the message into clear text), nobody can discover it. See ADR 0007.
 *
 * <p>Scoring: each word of the free text must match some field; within a word an exact (folded)
 * match scores above a prefix, which scores above a fuzzy match (edit distance 1 for words of 4-5
 * letters, 2 from 6; words with digits such as postcodes match exactly); names weigh 4, profession 2, place and service 1. Ties sort by name.
 */
public final class DirectoryIndex implements Closeable {
  private static final String KEY = "key";
  private static final String PUBLISHED = "published";
  private static final String JSON = "json";
  private static final String NAME = "name";
  private static final String PROFESSION = "profession";
  private static final String PLACE = "place";
  private static final String SERVICE = "service";
  private static final String MAILBOX = "mailbox";
  private static final String MAILBOX_DOMAIN = "mailboxDomain";
  private static final String ANY_ADDRESS = "anyAddress";
  private static final String SORT = "sortName";

  private static final ObjectMapper JSON_MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final String MAILBOX_TYPE = "mailboxType";
  static final int WRITE_LOCK_WAIT_SECONDS = 60;

  private final Directory directory;
  private final Analyzer analyzer = new FoldingAnalyzer();
  /** Null until the index exists (the gateway may start before the first import). */
  private SearcherManager searchers;
  private final Object writeLock = new Object();

  private DirectoryIndex(Directory directory) {
    this.directory = directory;
  }

  /** The index kept under {@code folder} (created when missing), e.g. {@code data/directory}. */
  public static DirectoryIndex open(Path folder) throws IOException {
    Files.createDirectories(folder);
    return new DirectoryIndex(FSDirectory.open(folder));
  }

  /** An index in memory (tests, short-lived tools). */
  public static DirectoryIndex inMemory() {
    return new DirectoryIndex(new ByteBuffersDirectory());
  }

  /**
   * Adds or replaces (by identifier) {@code entries}; returns how many were written. An entry
   * already present is replaced entirely: imports carry the whole entry.
   */
  public int put(Collection<DirectoryEntry> entries) throws IOException {
    // Not on this object's monitor: waiting for another process's lock must not hold up searches.
    synchronized (writeLock) {
      try (IndexWriter w = writer()) {
        for (DirectoryEntry e : entries) {
          w.updateDocument(new Term(KEY, e.id().key()), document(e));
        }
        w.commit();
      }
    }
    SearcherManager m = searchers();
    if (m != null) {
      m.maybeRefreshBlocking();
    }
    return entries.size();
  }

  /** The index writer, once another writer (another process's import) has let go of the lock. */
  private IndexWriter writer() throws IOException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(WRITE_LOCK_WAIT_SECONDS);
    while (true) {
      try {
        return new IndexWriter(directory, new IndexWriterConfig(analyzer));
      } catch (LockObtainFailedException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("the directory index is being written by another import (pont directory import or "
              + "the gateway's REST import) for more than " + WRITE_LOCK_WAIT_SECONDS + " s; try again later", e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for the directory index's write lock");
        }
      }
    }
  }

  /** The shared, refreshed searchers, or null while no index has been written yet. */
  private synchronized SearcherManager searchers() throws IOException {
    if (searchers == null && DirectoryReader.indexExists(directory)) {
      searchers = new SearcherManager(directory, null);
    }
    return searchers;
  }

  /** Runs {@code work} on an up-to-date searcher; {@code empty} when there is no index yet. */
  private <T> T withSearcher(SearchWork<T> work, T empty) throws IOException {
    SearcherManager m = searchers();
    if (m == null) {
      return empty;
    }
    m.maybeRefreshBlocking();
    IndexSearcher s = m.acquire();
    try {
      return work.run(s);
    } finally {
      m.release(s);
    }
  }

  @FunctionalInterface
  private interface SearchWork<T> {
    T run(IndexSearcher searcher) throws IOException;
  }

  /** Number of entries held, liste rouge included. */
  public int size() throws IOException {
    return withSearcher(s -> s.getIndexReader().numDocs(), 0);
  }

  /** Searches published entries; liste-rouge entries and mailboxes never appear. */
  public DirectoryPage search(DirectoryQuery q) throws IOException {
    Query query = query(q);
    return withSearcher(s -> {
      int total = s.count(query);
      int upTo = (q.page() + 1) * q.pageSize();
      if (total == 0 || q.page() * q.pageSize() >= total) {
        return new DirectoryPage(total, q.page(), q.pageSize(), List.of());
      }
      TopDocs top = s.search(query, upTo, new Sort(SortField.FIELD_SCORE, new SortField(SORT, SortField.Type.STRING)), true);
      List<DirectoryEntry> out = new ArrayList<>();
      ScoreDoc[] docs = top.scoreDocs;
      for (int i = q.page() * q.pageSize(); i < docs.length; i++) {
        entry(s, docs[i].doc).published().ifPresent(out::add);
      }
      return new DirectoryPage(total, q.page(), q.pageSize(), out);
    }, new DirectoryPage(0, q.page(), q.pageSize(), List.of()));
  }

  /** Every published entry (an export); liste-rouge entries and mailboxes left out. */
  public List<DirectoryEntry> published() throws IOException {
    return withSearcher(s -> {
      List<DirectoryEntry> out = new ArrayList<>();
      Query q = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.MUST)
          .add(new TermQuery(new Term(PUBLISHED, "true")), Occur.FILTER).build();
      int n = Math.max(1, s.getIndexReader().numDocs());
      for (ScoreDoc d : s.search(q, n, new Sort(new SortField(SORT, SortField.Type.STRING))).scoreDocs) {
        entry(s, d.doc).published().ifPresent(out::add);
      }
      return out;
    }, List.of());
  }

  /**
   * The encryption certificates published for {@code address} (exact, case-insensitive), valid at
   * {@code at}; the others come back in {@link CertificateLookup#excluded()} with the reason.
   * Liste-rouge mailboxes are included: see the class comment.
   */
  public CertificateLookup encryptionCertificates(String address, Instant at) throws IOException {
    String a = address.strip().toLowerCase(Locale.ROOT);
    List<X509Certificate> valid = new ArrayList<>();
    List<CertificateLookup.Excluded> excluded = new ArrayList<>();
    Set<String> pems = withSearcher(s -> {
      Set<String> found = new LinkedHashSet<>();
      for (ScoreDoc d : s.search(new TermQuery(new Term(ANY_ADDRESS, a)), 100).scoreDocs) {
        for (Mailbox m : entry(s, d.doc).mailboxes()) {
          if (m.address().equals(a)) {
            found.addAll(m.encryptionCertificates());
          }
        }
      }
      return found;
    }, Set.of());
    for (String pem : pems) {
      X509Certificate c;
      try {
        c = parsePem(pem);
      } catch (CertificateException e) {
        excluded.add(new CertificateLookup.Excluded(null, "unreadable certificate: " + e.getMessage()));
        continue;
      }
      try {
        c.checkValidity(Date.from(at));
        valid.add(c);
      } catch (CertificateExpiredException e) {
        excluded.add(new CertificateLookup.Excluded(c, "expired on " + c.getNotAfter().toInstant()));
      } catch (CertificateNotYetValidException e) {
        excluded.add(new CertificateLookup.Excluded(c, "not valid before " + c.getNotBefore().toInstant()));
      }
    }
    return new CertificateLookup(a, valid, excluded);
  }

  /** {@link #encryptionCertificates(String, Instant)} now. */
  public CertificateLookup encryptionCertificates(String address) throws IOException {
    return encryptionCertificates(address, Instant.now());
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (searchers != null) {
        searchers.close();
        searchers = null;
      }
    }
    directory.close();
  }

  // --- indexing

  private Document document(DirectoryEntry e) {
    Document d = new Document();
    d.add(new StringField(KEY, e.id().key(), Field.Store.YES));
    d.add(new StringField(PUBLISHED, Boolean.toString(e.published().isPresent()), Field.Store.NO));
    try {
      d.add(new StoredField(JSON, JSON_MAPPER.writeValueAsString(e)));
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("cannot serialise directory entry " + e.id().key(), x);
    }
    d.add(new SortedDocValuesField(SORT, new BytesRef(fold(e.familyName() + " " + e.givenName() + " " + e.organisation()))));
    d.add(new TextField(NAME, String.join(" ", e.familyName(), e.givenName(), e.organisation()), Field.Store.NO));
    d.add(new TextField(PROFESSION, e.profession() + " " + e.specialty(), Field.Store.NO));
    d.add(new TextField(PLACE, String.join(" ", e.city(), e.postcode(), e.address()), Field.Store.NO));
    for (Mailbox m : e.mailboxes()) {
      d.add(new StringField(ANY_ADDRESS, m.address(), Field.Store.NO));
      if (!m.listeRouge()) {
        d.add(new StringField(MAILBOX, m.address(), Field.Store.NO));
        d.add(new StringField(MAILBOX_DOMAIN, m.address().substring(m.address().indexOf('@')), Field.Store.NO));
        d.add(new StringField(MAILBOX_TYPE, m.type().name(), Field.Store.NO));
        d.add(new TextField(SERVICE, m.service() + " " + m.description(), Field.Store.NO));
      }
    }
    return d;
  }

  private static DirectoryEntry entry(IndexSearcher s, int doc) throws IOException {
    String json = s.storedFields().document(doc).get(JSON);
    return JSON_MAPPER.readValue(json, DirectoryEntry.class);
  }

  // --- queries

  private Query query(DirectoryQuery q) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(new TermQuery(new Term(PUBLISHED, "true")), Occur.FILTER);
    boolean any = false;
    for (String word : words(q.text())) {
      BooleanQuery.Builder w = new BooleanQuery.Builder();
      addWord(w, NAME, word, 4f);
      addWord(w, PROFESSION, word, 2f);
      addWord(w, PLACE, word, 1f);
      addWord(w, SERVICE, word, 1f);
      b.add(w.build(), Occur.MUST);
      any = true;
    }
    if (q.profession().isPresent()) {
      for (String word : words(q.profession().get())) {
        BooleanQuery.Builder w = new BooleanQuery.Builder();
        addWord(w, PROFESSION, word, 1f);
        b.add(w.build(), Occur.MUST);
        any = true;
      }
    }
    if (q.city().isPresent()) {
      for (String word : words(q.city().get())) {
        BooleanQuery.Builder w = new BooleanQuery.Builder();
        addWord(w, PLACE, word, 1f);
        b.add(w.build(), Occur.MUST);
        any = true;
      }
    }
    if (q.mailbox().isPresent()) {
      String m = q.mailbox().get().strip().toLowerCase(Locale.ROOT);
      b.add(new TermQuery(new Term(m.startsWith("@") ? MAILBOX_DOMAIN : MAILBOX, m)), Occur.MUST);
      any = true;
    }
    if (q.type().isPresent()) {
      b.add(new TermQuery(new Term(MAILBOX_TYPE, q.type().get().name())), Occur.MUST);
      any = true;
    }
    if (!any) {
      b.add(new MatchAllDocsQuery(), Occur.MUST);
    }
    return b.build();
  }

  private static void addWord(BooleanQuery.Builder w, String field, String word, float weight) {
    Term t = new Term(field, word);
    w.add(new BoostQuery(new TermQuery(t), weight * 3), Occur.SHOULD);
    if (word.chars().anyMatch(Character::isDigit)) {
      return; // postcodes, identifiers: 29200 must not find 29900
    }
    if (word.length() >= 3) {
      w.add(new BoostQuery(new PrefixQuery(t), weight * 1.5f), Occur.SHOULD);
    }
    int edits = word.length() >= 6 ? 2 : word.length() >= 4 ? 1 : 0;
    if (edits > 0) {
      w.add(new BoostQuery(new FuzzyQuery(t, edits, 1), weight), Occur.SHOULD);
    }
  }

  private List<String> words(String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    try (TokenStream ts = analyzer.tokenStream(NAME, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private String fold(String s) {
    return String.join(" ", words(s));
  }

  static X509Certificate parsePem(String pem) throws CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /** Words, lower case, accents folded; no stemming, since names are most of what is searched. */
  static final class FoldingAnalyzer extends Analyzer {
    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
      Tokenizer source = new StandardTokenizer();
      TokenStream s = new LowerCaseFilter(source);
      s = new ASCIIFoldingFilter(s);
      return new TokenStreamComponents(source, s);
    }
  }
}
