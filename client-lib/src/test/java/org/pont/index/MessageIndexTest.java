package org.pont.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.smime.VerdictReason;

class MessageIndexTest {
  // Valid test INS values (key = 97 - number mod 97).
  static final Ins DUPONT = Ins.of(withKey("1800175123456"), InsKind.INS_NIR_TEST);
  static final Ins MARTIN = Ins.of(withKey("2850613055042"), InsKind.INS_NIR_TEST);

  @TempDir
  Path dir;
  MessageIndex index;

  static String withKey(String thirteen) {
    long n = Long.parseLong(thirteen);
    return thirteen + String.format("%02d", 97 - n % 97);
  }

  @BeforeEach
  void fill() throws Exception {
    index = MessageIndex.open(dir);
    index.index(message(1, "dr.durand@hopital.test", "Prescription kiné", "Rééducation du genou gauche, 10 séances.",
        "2026-11-01T09:00:00Z", DUPONT, DocumentType.PHYSIOTHERAPY_PRESCRIPTION, VerdictReason.VALID)
        .documentText("Kinésithérapie : renforcement musculaire des genoux").build());
    index.index(message(2, "dr.durand@hopital.test", "Lettre de liaison", "Sortie d'hospitalisation après l'opération.",
        "2026-11-05T09:00:00Z", DUPONT, DocumentType.DISCHARGE_LETTER, VerdictReason.VALID).build());
    index.index(message(3, "secretariat@cabinet.test", "Compte rendu", "Hospitalisation de trois jours, pas de rééducation.",
        "2026-11-10T09:00:00Z", MARTIN, DocumentType.HOSPITAL_STAY_REPORT, VerdictReason.UNTRUSTED).build());
    index.index(message(4, "Secretariat@CABINET.test", "Question", "Pouvez-vous rappeler le patient ?",
        "2026-11-15T09:00:00Z", null, null, VerdictReason.NOT_SIGNED).read(true).build());
    index.commit();
  }

  @AfterEach
  void close() throws Exception {
    index.close();
  }

  private static IndexableMessage.Builder message(long uid, String from, String subject, String body, String date,
      Ins ins, DocumentType type, VerdictReason verdict) {
    IndexableMessage.Builder b = IndexableMessage.builder(MessageRef.of("INBOX", 42, uid))
        .messageId("<m" + uid + "@test>").from(from).to("dr.martin@cabinet.test").subject(subject).bodyText(body)
        .date(Instant.parse(date)).verdict(verdict);
    if (ins != null) {
      b.patientIns(ins).patientName("DUPONT Jean");
    }
    if (type != null) {
      b.documentType(type);
    }
    return b;
  }

  private List<Long> uids(SearchQuery q) throws Exception {
    return index.search(q).hits().stream().map(h -> h.ref().uid()).toList();
  }

  @Test
  void unaccentedWordsFindAccentedText() throws Exception {
    assertThat(uids(SearchQuery.text("reeducation"))).containsExactlyInAnyOrder(1L, 3L);
    assertThat(uids(SearchQuery.text("RÉÉDUCATION"))).containsExactlyInAnyOrder(1L, 3L);
  }

  @Test
  void pluralsAndSingularsFindEachOther() throws Exception {
    assertThat(uids(SearchQuery.text("genoux"))).containsExactly(1L);
    assertThat(uids(SearchQuery.text("seance"))).containsExactly(1L);
  }

  @Test
  void elidedArticlesAreIgnored() throws Exception {
    assertThat(uids(SearchQuery.text("hospitalisation operation"))).containsExactly(2L);
    assertThat(uids(SearchQuery.text("l'hospitalisation"))).containsExactlyInAnyOrder(3L, 2L);
  }

  @Test
  void documentTextAndTypeLabelsAreSearchedToo() throws Exception {
    assertThat(uids(SearchQuery.text("musculaire"))).containsExactly(1L);
    assertThat(uids(SearchQuery.text("kinesitherapie"))).containsExactly(1L);
  }

  @Test
  void filtersNarrowByPatientTypeSenderDateAndVerdict() throws Exception {
    assertThat(uids(SearchQuery.builder().patientIns(DUPONT.value()).build())).containsExactly(2L, 1L);
    assertThat(uids(SearchQuery.builder().documentType("11490-0").build())).containsExactly(2L);
    assertThat(uids(SearchQuery.builder().sender("secretariat@cabinet.test").build())).containsExactly(4L, 3L);
    assertThat(uids(SearchQuery.builder()
        .sentBetween(Instant.parse("2026-11-05T00:00:00Z"), Instant.parse("2026-11-15T00:00:00Z")).build())).containsExactly(3L, 2L);
    assertThat(uids(SearchQuery.builder().verdict(VerdictReason.UNTRUSTED).build())).containsExactly(3L);
    assertThat(uids(SearchQuery.builder().text("reeducation").patientIns(MARTIN.value()).build())).containsExactly(3L);
    assertThat(uids(SearchQuery.builder().read(true).build())).containsExactly(4L);
  }

  @Test
  void resultsSortByDateEitherWayAndPage() throws Exception {
    assertThat(uids(SearchQuery.all())).containsExactly(4L, 3L, 2L, 1L);
    assertThat(uids(SearchQuery.builder().sort(SortOrder.OLDEST_FIRST).build())).containsExactly(1L, 2L, 3L, 4L);

    SearchResults second = index.search(SearchQuery.builder().page(1, 3).build());
    assertThat(second.totalHits()).isEqualTo(4);
    assertThat(second.hits()).extracting(h -> h.ref().uid()).containsExactly(1L);
    assertThat(second.hasNextPage()).isFalse();
    assertThat(index.search(SearchQuery.builder().page(0, 3).build()).hasNextPage()).isTrue();
  }

  @Test
  void relevanceRanksTheSubjectAboveTheBody() throws Exception {
    index.index(message(5, "a@b.test", "Genou", "rien", "2026-10-01T00:00:00Z", null, null, VerdictReason.NOT_SIGNED).build());
    index.commit();

    List<SearchHit> hits = index.search(SearchQuery.builder().text("genou").sort(SortOrder.RELEVANCE).build()).hits();
    assertThat(hits).extracting(h -> h.ref().uid()).containsExactly(5L, 1L);
    assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
  }

  @Test
  void twoWordsMatchAcrossSubjectAndDocumentText() throws Exception {
    // "prescription" is only in message 1's subject, "musculaire" only in its CDA text.
    for (SortOrder order : SortOrder.values()) {
      assertThat(uids(SearchQuery.builder().text("prescription musculaire").sort(order).build())).as(order.name()).containsExactly(1L);
    }
    // Patient name and body, type label and document text.
    assertThat(uids(SearchQuery.text("dupont operation"))).containsExactly(2L);
    assertThat(uids(SearchQuery.builder().text("liaison hospitalisation").sort(SortOrder.RELEVANCE).build())).containsExactly(2L);
  }

  @Test
  void aSubjectMatchOutranksABodyOnlyMatch() throws Exception {
    // Same length, the body-only message even says it twice.
    index.index(message(5, "a@b.test", "Entorse de cheville", "Consultation de controle du genou.", "2026-10-01T00:00:00Z",
        null, null, VerdictReason.NOT_SIGNED).build());
    index.index(message(6, "a@b.test", "Consultation", "Entorse de cheville droite, entorse de cheville recidivante.",
        "2026-10-02T00:00:00Z", null, null, VerdictReason.NOT_SIGNED).build());
    index.commit();

    for (String text : List.of("entorse", "entorse cheville", "\"entorse de cheville\"")) {
      List<SearchHit> hits = index.search(SearchQuery.builder().text(text).sort(SortOrder.RELEVANCE).build()).hits();
      assertThat(hits).as(text).extracting(h -> h.ref().uid()).containsExactly(5L, 6L);
      assertThat(hits.get(0).score()).as(text).isGreaterThan(hits.get(1).score());
    }
  }

  @Test
  void aPatientNameMatchOutranksABodyOnlyMatch() throws Exception {
    index.index(message(5, "a@b.test", "Question", "Avez-vous des nouvelles de Jean Dupont ?", "2026-11-20T00:00:00Z",
        null, null, VerdictReason.NOT_SIGNED).build());
    index.commit();

    // Messages 1 to 3 have the patient name "DUPONT Jean"; 5 has the name in its body only.
    List<Long> ranked = uids(SearchQuery.builder().text("dupont").sort(SortOrder.RELEVANCE).build());
    assertThat(ranked).containsExactlyInAnyOrder(1L, 2L, 3L, 5L);
    assertThat(ranked.get(3)).isEqualTo(5L);
  }

  @Test
  void phrasesPrefixesNegationAndOrWorkOnTheCombinedText() throws Exception {
    assertThat(uids(SearchQuery.text("\"renforcement musculaire\""))).containsExactly(1L);
    assertThat(uids(SearchQuery.text("\"musculaire renforcement\""))).isEmpty();
    assertThat(uids(SearchQuery.text("\"genou gauche\" seances"))).containsExactly(1L);
    // A phrase does not run from one part of the message into the next (subject "Prescription
    // kiné", then the patient name "DUPONT Jean").
    assertThat(uids(SearchQuery.text("\"kine dupont\""))).isEmpty();
    assertThat(uids(SearchQuery.text("\"kine dupont\"~5"))).isEmpty();
    assertThat(uids(SearchQuery.text("\"reeducation gauche\"~2"))).containsExactly(1L);
    assertThat(uids(SearchQuery.text("\"prescription kine\""))).containsExactly(1L);

    assertThat(uids(SearchQuery.text("hospit*"))).containsExactly(3L, 2L); // a prefix of the stem "hospital"
    assertThat(uids(SearchQuery.text("hospitalisation -operation"))).containsExactly(3L);
    assertThat(uids(SearchQuery.text("genou | question"))).containsExactly(4L, 1L);
    assertThat(uids(SearchQuery.builder().text("reeducation -genou").sort(SortOrder.RELEVANCE).build())).containsExactly(3L);
    assertThat(uids(SearchQuery.builder().text("-genou").sort(SortOrder.RELEVANCE).build())).containsExactlyInAnyOrder(2L, 3L, 4L);
  }

  @Test
  void senderAddressesAndTypeLabelsAreFreeText() throws Exception {
    assertThat(uids(SearchQuery.text("secretariat"))).containsExactly(4L, 3L); // secretariat@cabinet.test
    // Only in the label of message 2's type, "Lettre de liaison à la sortie d'un établissement de soins".
    assertThat(uids(SearchQuery.text("etablissement"))).containsExactly(2L);
  }

  @Test
  void facetsCountTypesAndSendersOverAllMatches() throws Exception {
    SearchResults all = index.search(SearchQuery.builder().page(0, 1).withFacets().build());

    assertThat(all.byDocumentType()).containsExactlyInAnyOrder(new FacetCount("PRESC-KINE", 1),
        new FacetCount("11490-0", 1), new FacetCount("34112-3", 1));
    assertThat(all.bySender()).containsExactly(new FacetCount("dr.durand@hopital.test", 2), new FacetCount("secretariat@cabinet.test", 2));

    SearchResults filtered = index.search(SearchQuery.builder().patientIns(DUPONT.value()).withFacets().build());
    assertThat(filtered.bySender()).containsExactly(new FacetCount("dr.durand@hopital.test", 2));
    assertThat(filtered.totalHits()).isEqualTo(2);
    assertThat(filtered.totalHitsExact()).isTrue();
  }

  @Test
  void facetsAreCountedOnlyWhenAskedFor() throws Exception {
    SearchResults plain = index.search(SearchQuery.builder().page(0, 1).build());

    assertThat(plain.byDocumentType()).isEmpty();
    assertThat(plain.bySender()).isEmpty();
    assertThat(plain.totalHits()).isEqualTo(4);
  }

  @Test
  void theTotalIsExactUpToTheThresholdAndALowerBoundBeyond() throws Exception {
    for (long uid = 10; uid < 40; uid++) {
      index.index(message(uid, "a@b.test", "Bilan kine " + uid, "seance de reeducation", "2026-10-01T00:00:00Z",
          null, null, VerdictReason.NOT_SIGNED).build());
    }
    index.commit();

    for (SortOrder order : SortOrder.values()) {
      SearchResults exact = index.search(SearchQuery.builder().text("bilan").sort(order).page(0, 5).build());
      assertThat(exact.totalHits()).as(order.name()).isEqualTo(30);
      assertThat(exact.totalHitsExact()).as(order.name()).isTrue();

      SearchResults bounded = index.search(SearchQuery.builder().text("bilan").sort(order).page(1, 5).exactTotalUpTo(10).build());
      assertThat(bounded.totalHitsExact()).as(order.name()).isFalse();
      assertThat(bounded.totalHits()).as(order.name()).isBetween(10L, 30L);
      assertThat(bounded.hits()).as(order.name()).hasSize(5);
      assertThat(bounded.hasNextPage()).as(order.name()).isTrue();

      // Paging is unaffected by the bound: page 1 follows page 0 without overlap.
      List<Long> firstTen = uids(SearchQuery.builder().text("bilan").sort(order).page(0, 10).build());
      assertThat(bounded.hits()).as(order.name()).extracting(h -> h.ref().uid()).containsExactlyElementsOf(firstTen.subList(5, 10));
    }
  }

  @Test
  void hitsCarryTheReferenceToFetchTheOriginal() throws Exception {
    SearchHit hit = index.search(SearchQuery.builder().documentType("34112-3").build()).hits().get(0);

    assertThat(hit.ref()).isEqualTo(MessageRef.of("INBOX", 42, 3));
    assertThat(hit.messageId()).contains("<m3@test>");
    assertThat(hit.patientIns()).contains(MARTIN.value());
    assertThat(hit.documentTypes()).containsExactly("34112-3");
    assertThat(hit.date()).contains(Instant.parse("2026-11-10T09:00:00Z"));
    assertThat(hit.toString()).doesNotContain(MARTIN.value());
  }

  @Test
  void indexingTheSameMessageAgainReplacesIt() throws Exception {
    index.index(message(1, "dr.durand@hopital.test", "Prescription kiné (corrigée)", "Rééducation", "2026-11-01T09:00:00Z",
        DUPONT, DocumentType.PHYSIOTHERAPY_PRESCRIPTION, VerdictReason.VALID).build());
    index.commit();

    assertThat(index.count()).isEqualTo(4);
    assertThat(index.search(SearchQuery.text("corrigee")).hits()).extracting(h -> h.ref().uid()).containsExactly(1L);
  }

  @Test
  void readAndAcknowledgedFlagsUpdateInPlace() throws Exception {
    index.updateFlags(MessageRef.of("INBOX", 42, 2), true, true);
    index.commit();

    SearchHit hit = index.search(SearchQuery.builder().acknowledged(true).build()).hits().get(0);
    assertThat(hit.ref().uid()).isEqualTo(2);
    assertThat(hit.read()).isTrue();
    assertThat(index.search(SearchQuery.text("sortie")).hits()).hasSize(1);
  }

  @Test
  void staleEntriesOfAnOldUidValidityAreDropped() throws Exception {
    index.index(IndexableMessage.builder(MessageRef.of("INBOX", 43, 1)).subject("nouveau").build());
    index.deleteStale("INBOX", 43);
    index.commit();

    assertThat(index.count()).isEqualTo(1);
  }

  @Test
  void anUnsortedIndexFromAnEarlierVersionIsReportedAndCanBeRecreated(@TempDir Path old) throws Exception {
    // What Pont wrote before the index was sorted by date: a plain Lucene index with one document.
    writeLuceneIndex(old, new IndexWriterConfig(), w -> {
      var d = new org.apache.lucene.document.Document();
      d.add(new org.apache.lucene.document.StringField("id", "x", org.apache.lucene.document.Field.Store.NO));
      w.addDocument(d);
    });

    assertRefusedAsFromAnEarlierVersion(old);
    try (MessageIndex fresh = MessageIndex.recreate(old)) {
      assertThat(fresh.count()).isZero();
    }
  }

  @Test
  void anIndexWithoutTheCombinedTextFieldIsReportedAndCanBeRecreated(@TempDir Path old) throws Exception {
    // What the previous version wrote: sorted newest first, per-field text, no index format in the
    // commit data. Free text would find nothing in it, so it must not be used as it is.
    writeLuceneIndex(old, new IndexWriterConfig(new FrenchTextAnalyzer()).setIndexSort(MessageIndex.NEWEST_FIRST), w -> {
      var d = new org.apache.lucene.document.Document();
      d.add(new org.apache.lucene.document.StringField("id", "INBOX/42/1", org.apache.lucene.document.Field.Store.NO));
      d.add(new org.apache.lucene.document.TextField("subject", "Prescription kiné", org.apache.lucene.document.Field.Store.YES));
      d.add(new org.apache.lucene.document.TextField("body", "Rééducation du genou", org.apache.lucene.document.Field.Store.NO));
      d.add(new org.apache.lucene.document.LongField("date", 1, org.apache.lucene.document.Field.Store.YES));
      d.add(new org.apache.lucene.document.NumericDocValuesField("uid", 1));
      w.addDocument(d);
    });

    assertRefusedAsFromAnEarlierVersion(old);
    // Refusing it left it as it was: refused again, not upgraded by the failed open.
    assertThatThrownBy(() -> MessageIndex.open(old)).isInstanceOf(IndexException.class).hasMessageContaining("earlier Pont version");
    try (MessageIndex fresh = MessageIndex.recreate(old)) {
      assertThat(fresh.count()).isZero();
    }
    try (MessageIndex reopened = MessageIndex.open(old)) {
      assertThat(reopened.count()).isZero();
    }
  }

  @Test
  void anIndexFromAnotherFormatVersionIsReported(@TempDir Path other) throws Exception {
    writeLuceneIndex(other, new IndexWriterConfig(new FrenchTextAnalyzer()).setIndexSort(MessageIndex.NEWEST_FIRST), w -> {
      w.setLiveCommitData(java.util.Map.of(MessageIndex.FORMAT_KEY, "99").entrySet());
      w.commit();
    });

    assertThatThrownBy(() -> MessageIndex.open(other))
        .isInstanceOf(IndexException.class)
        .hasMessageContaining("index format 99").hasMessageContaining("recreate it")
        .satisfies(e -> assertThat(((IndexException) e).reason()).isEqualTo(IndexException.Reason.CORRUPT));
  }

  /** What another Pont version left in {@code folder}: a Lucene index written directly. */
  private static void writeLuceneIndex(Path folder, IndexWriterConfig config, LuceneWrites writes) throws Exception {
    try (var luceneDir = org.apache.lucene.store.FSDirectory.open(folder.resolve("lucene"));
        IndexWriter w = new IndexWriter(luceneDir, config)) {
      writes.to(w);
    }
  }

  private interface LuceneWrites {
    void to(IndexWriter w) throws Exception;
  }

  @Test
  void anIndexOfThisVersionReopens(@TempDir Path empty) throws Exception {
    index.close();
    index = MessageIndex.open(dir);
    assertThat(uids(SearchQuery.text("prescription musculaire"))).containsExactly(1L);

    // Created and closed without a single commit or message: still recognised as this version's.
    MessageIndex.open(empty).close();
    try (MessageIndex again = MessageIndex.open(empty)) {
      assertThat(again.count()).isZero();
    }
  }

  @Test
  void aSecondInstanceOnTheSameFolderIsToldTheIndexIsLocked() {
    assertThatThrownBy(() -> MessageIndex.open(dir))
        .isInstanceOf(IndexException.class)
        .satisfies(e -> assertThat(((IndexException) e).reason()).isEqualTo(IndexException.Reason.LOCKED));
  }

  @Test
  void aDamagedIndexIsReportedAsCorruptAndCanBeRecreated() throws Exception {
    index.close();
    try (Stream<Path> files = Files.list(dir.resolve("lucene"))) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("segments_")).toList()) {
        byte[] bytes = Files.readAllBytes(p);
        for (int i = 20; i < bytes.length; i++) {
          bytes[i] ^= 0x5a;
        }
        Files.write(p, bytes);
      }
    }

    assertThatThrownBy(() -> MessageIndex.open(dir))
        .isInstanceOf(IndexException.class)
        .satisfies(e -> assertThat(((IndexException) e).reason()).isEqualTo(IndexException.Reason.CORRUPT));
    index = MessageIndex.recreate(dir);
    assertThat(index.count()).isZero();
  }

  /** Opening {@code folder} fails as CORRUPT, naming an earlier version and what to do. */
  private static void assertRefusedAsFromAnEarlierVersion(Path folder) {
    assertThatThrownBy(() -> MessageIndex.open(folder))
        .isInstanceOf(IndexException.class)
        .hasMessageContaining("earlier Pont version").hasMessageContaining("recreate it")
        .satisfies(e -> assertThat(((IndexException) e).reason()).isEqualTo(IndexException.Reason.CORRUPT));
  }
}
