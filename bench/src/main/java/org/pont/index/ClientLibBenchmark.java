package org.pont.index;

import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.pont.cda.AdmissionMode;
import org.pont.cda.Author;
import org.pont.cda.CdaCode;
import org.pont.cda.CdaHeader;
import org.pont.cda.DischargeLetter;
import org.pont.cda.DischargeMode;
import org.pont.cda.DocumentStatus;
import org.pont.cda.InstanceId;
import org.pont.cda.Organization;
import org.pont.cda.PersonName;
import org.pont.cda.TimeRange;
import org.pont.message.ClinicalDocument;
import org.pont.message.CoordinationMessage;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.message.Patient;
import org.pont.message.Sex;
import org.pont.mssante.MssanteMessageWriter;
import org.pont.testkit.PontTestServer;
import org.pont.transport.BenchTls;
import org.pont.transport.MailCredentials;
import org.pont.transport.MailboxSync;
import org.pont.transport.SyncResult;

/**
 * Client library figures, a plain main (no JMH: one long run per part, baselines in the same JVM):
 * (a) sync+open+index of N MSSanté messages from GreenMail IMAPS vs a raw Angus IMAP fetch of the same
 * messages; (b) MessageIndex vs a raw Lucene IndexWriter with the same fields and analyzer; (c) search
 * latency on a synthetic index. Arguments: {@code [--messages N] [--index-docs N] [--search-docs N]
 * [--queries N] [--parts abc] [--rounds 2]}.
 */
public final class ClientLibBenchmark {
  static final String KINE = "kine.leroy@cabinet.test";
  static final String HOSPITAL = "dr.durand@hopital.test";
  static final String[] WORDS = ("genou epaule hanche rachis cheville poignet douleur reeducation prothese fracture entorse "
      + "tendinite arthrose lombalgie cervicalgie kinesitherapie balneotherapie massage mobilisation renforcement "
      + "musculaire proprioception marche escaliers autonomie domicile infirmier pansement cicatrice ablation fils "
      + "anticoagulant paracetamol ibuprofene morphine antalgique controle radiographie scanner irm consultation "
      + "chirurgien orthopedique suites simples complications infection fievre oedeme hematome thrombose phlebite "
      + "sortie hospitalisation sejour admission urgence bilan biologique glycemie diabete hypertension insuffisance "
      + "cardiaque respiratoire renale traitement posologie matin soir semaine mois seance ordonnance prescription").split(" ");
  static final String[] FAMILIES = {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
      "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier"};
  static final String[] GIVENS = {"Marie", "Jean", "Pierre", "Anne", "Louis", "Claire", "Paul", "Julie", "Luc", "Sophie"};

  public static void main(String[] args) throws Exception {
    int messages = intArg(args, "--messages", 10_000);
    int indexDocs = intArg(args, "--index-docs", 100_000);
    int searchDocs = intArg(args, "--search-docs", 1_000_000);
    int queries = intArg(args, "--queries", 5_000);
    String parts = strArg(args, "--parts", "abc");
    System.out.printf("JVM %s, %d CPUs, max heap %d MB, load average %.2f%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    if (parts.contains("a")) {
      sync(messages, intArg(args, "--rounds", 2));
    }
    if (parts.contains("b")) {
      indexing(indexDocs);
    }
    if (parts.contains("c")) {
      search(searchDocs, queries, strArg(args, "--kinds", "0,1,2,3,4"));
    }
  }

  // ------------------------------------------------------------------ (a) sync
  static void sync(int n, int rounds) throws Exception {
    PontTestServer server = PontTestServer.withPeople(KINE, HOSPITAL);
    server.beforeAll(null);
    try {
      Session session = Session.getInstance(new Properties());
      MssanteMessageWriter writer = MssanteMessageWriter.of("Pont-bench/1.0", "1.2.250.1.999.1");
      SplittableRandom rnd = new SplittableRandom(1);
      long t0 = System.nanoTime();
      long bytes = 0;
      for (int i = 0; i < n; i++) {
        MimeMessage m = new MimeMessage(writer.write(message(i, rnd), session));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        m.writeTo(out);
        bytes += out.size();
        server.deliver(KINE, new MimeMessage(session, new java.io.ByteArrayInputStream(out.toByteArray())));
      }
      System.out.printf("(a) %d messages built and delivered in %.1f s, average %.1f KB%n", n, secs(t0), bytes / 1024.0 / n);

      // Raw: Angus IMAPS, UID FETCH of whole messages 100 at a time, each message read to the end (no parsing, no index).
      Properties props = new Properties();
      props.put("mail.imaps.ssl.socketFactory", BenchTls.socketFactory(server.imap().trust()));
      props.put("mail.imaps.ssl.checkserveridentity", "true");
      props.put("mail.imaps.partialfetch", "false");
      long rawBest = Long.MAX_VALUE;
      long pontBest = Long.MAX_VALUE;
      long sameBest = Long.MAX_VALUE;
      for (int round = 0; round < rounds; round++) { // round 0 warms the JIT; all are reported
        long r0 = System.nanoTime();
        long rawBytes = raw(props, server.imap().port(), KINE, PontTestServer.PASSWORD);
        long raw = System.nanoTime() - r0;
        long s0 = System.nanoTime();
        long sameBytes = rawSameCommands(props, server.imap().port(), KINE, PontTestServer.PASSWORD);
        long same = System.nanoTime() - s0;
        System.out.printf("(a) round %d: raw, Pont's IMAP commands (listing + UID FETCH of bodies per 100, nothing parsed): %.2f s "
            + "(%d bytes, %.0f msg/s)%n", round, same / 1e9, sameBytes, n / (same / 1e9));
        Path dir = Files.createTempDirectory("pont-bench-sync");
        resetPeaks();
        long p0 = System.nanoTime();
        SyncResult r;
        try (MessageIndex idx = MessageIndex.open(dir)) {
          r = MailboxSync.builder(server.imap(), MailCredentials.of(KINE, PontTestServer.PASSWORD.toCharArray()), idx)
              .batchSize(100).build().sync();
        }
        long pont = System.nanoTime() - p0;
        System.out.printf("(a) round %d: raw IMAP fetch %.2f s (%d bytes, %.0f msg/s); Pont sync+open+index %.2f s (%d indexed, %d failed, %.0f msg/s); "
            + "ratio Pont/raw %.2f; %s%n", round, raw / 1e9, rawBytes, n / (raw / 1e9), pont / 1e9, r.indexed(), r.failed(), n / (pont / 1e9),
            (double) pont / raw, memory());
        System.out.printf("(a) round %d: Pont / raw-same-commands time %.2f (throughput ratio %.2f)%n", round, (double) pont / same,
            (double) same / pont);
        if (round > 0 || rounds == 1) {
          rawBest = raw;
          pontBest = pont;
          sameBest = same;
        }
        deleteTree(dir);
      }
      System.out.printf("(a) RESULT n=%d raw %.2f s, Pont %.2f s, Pont takes %.1fx the raw fetch time (raw/Pont throughput ratio %.2f)%n", n,
          rawBest / 1e9, pontBest / 1e9, (double) pontBest / rawBest, (double) rawBest / pontBest);
      System.out.printf("(a) RESULT n=%d raw with Pont's commands %.2f s, Pont %.2f s, Pont takes %.1fx (throughput ratio %.2f)%n", n,
          sameBest / 1e9, pontBest / 1e9, (double) pontBest / sameBest, (double) sameBest / pontBest);
    } finally {
      server.afterAll(null);
    }
  }

  static long raw(Properties props, int port, String user, String password) throws Exception {
    Session s = Session.getInstance(props);
    long total = 0;
    try (Store store = s.getStore("imaps")) {
      store.connect("localhost", port, user, password);
      IMAPFolder f = (IMAPFolder) store.getFolder("INBOX");
      f.open(Folder.READ_ONLY);
      Message[] all = f.getMessages();
      FetchProfile fp = new FetchProfile();
      fp.add(UIDFolder.FetchProfileItem.UID);
      fp.add(FetchProfile.Item.FLAGS);
      fp.add(FetchProfile.Item.SIZE);
      fp.add(IMAPFolder.FetchProfileItem.MESSAGE);
      CountingStream out = new CountingStream();
      for (int i = 0; i < all.length; i += 100) {
        Message[] batch = Arrays.copyOfRange(all, i, Math.min(all.length, i + 100));
        f.fetch(batch, fp);
        for (Message m : batch) {
          m.writeTo(out);
        }
      }
      total = out.count;
      f.close(false);
    }
    return total;
  }

  /**
   * The IMAP work Pont's sync asks of the server, with nothing parsed or indexed: one
   * {@code UID FETCH 1:* (UID FLAGS RFC822.SIZE)}, then {@code UID FETCH a:b (UID BODY.PEEK[])} per
   * 100 messages. Against a server whose cost per FETCH response grows with the mailbox (GreenMail),
   * this is the like-for-like baseline; returns the body bytes received.
   */
  static long rawSameCommands(Properties props, int port, String user, String password) throws Exception {
    Session s = Session.getInstance(props);
    long[] total = {0};
    try (Store store = s.getStore("imaps")) {
      store.connect("localhost", port, user, password);
      IMAPFolder f = (IMAPFolder) store.getFolder("INBOX");
      f.open(Folder.READ_ONLY);
      List<Long> uids = new ArrayList<>();
      f.doCommand(p -> {
        for (org.eclipse.angus.mail.iap.Response r : p.command("UID FETCH 1:* (UID FLAGS RFC822.SIZE)", null)) {
          if (r instanceof org.eclipse.angus.mail.imap.protocol.FetchResponse fr) {
            uids.add(fr.getItem(org.eclipse.angus.mail.imap.protocol.UID.class).uid);
          }
        }
        return null;
      });
      for (int i = 0; i < uids.size(); i += 100) {
        String set = uids.get(i) + ":" + uids.get(Math.min(uids.size(), i + 100) - 1);
        f.doCommand(p -> {
          for (org.eclipse.angus.mail.iap.Response r : p.command("UID FETCH " + set + " (UID BODY.PEEK[])", null)) {
            if (r instanceof org.eclipse.angus.mail.imap.protocol.FetchResponse fr) {
              total[0] += fr.getItem(org.eclipse.angus.mail.imap.protocol.BODY.class).getByteArray().getCount();
            }
          }
          return null;
        });
      }
      f.close(false);
    }
    return total[0];
  }

  static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  static final Organization ORG = Organization.finess("750803447", "Hôpital Européen Georges Pompidou");
  static final Author AUTHOR = Author.of(InstanceId.rpps("01234567897"), PersonName.of("M", "Charles", "DAVID", "DR"),
      Author.specialty("G15_10/SM27", "Médecin - Médecine interne (SM)"), ORG);

  static CoordinationMessage message(int i, SplittableRandom rnd) throws Exception {
    Patient patient = patient(i % 5000);
    OffsetDateTime when = OffsetDateTime.parse("2026-01-01T10:00:00+01:00").plusHours(i);
    CdaHeader header = CdaHeader.builder(DocumentType.DISCHARGE_LETTER).effectiveTime(when).patient(patient).author(AUTHOR).custodian(ORG)
        .healthcareFacilityType(CdaCode.FACILITY_PUBLIC_HOSPITAL).practiceSetting(CdaCode.PRACTICE_HOSPITAL)
        .careperiod(TimeRange.of(when.minusDays(5), when)).build();
    byte[] cda = DischargeLetter.builder(header).status(DocumentStatus.DONE).admissionMode(AdmissionMode.PLANNED)
        .dischargeMode(DischargeMode.HOME).reasonForStay(sentence(rnd, 12)).staySummary(sentence(rnd, 80))
        .dischargeMedications(sentence(rnd, 20)).build().toXml();
    return CoordinationMessage.builder().from(HOSPITAL).to(KINE).subject("x").body(sentence(rnd, 40)).patient(patient)
        .document(new ClinicalDocument(DocumentType.DISCHARGE_LETTER, "Lettre de liaison", ClinicalDocument.CDA_MEDIA_TYPE, "lettre.xml", cda))
        .build();
  }

  static Patient patient(int k) {
    String matricule = String.format(Locale.ROOT, "2%02d%02d75%03d%03d", 40 + k % 60, 1 + k % 12, k % 1000, k / 1000 % 1000);
    return new Patient(Ins.of(matricule + key(matricule), InsKind.INS_NIR_TEST), FAMILIES[k % FAMILIES.length],
        List.of(GIVENS[k / FAMILIES.length % GIVENS.length]), LocalDate.of(1940 + k % 60, 1 + k % 12, 1 + k % 28), k % 2 == 0 ? Sex.FEMALE : Sex.MALE);
  }

  static String insOf(int k) {
    String matricule = String.format(Locale.ROOT, "2%02d%02d75%03d%03d", 40 + k % 60, 1 + k % 12, k % 1000, k / 1000 % 1000);
    return matricule + key(matricule);
  }

  static String key(String matricule) {
    return String.format("%02d", 97 - new java.math.BigInteger(matricule).mod(java.math.BigInteger.valueOf(97)).intValue());
  }

  static String sentence(SplittableRandom rnd, int words) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS[zipf(rnd)]);
    }
    return sb.append('.').toString();
  }

  /** A skewed word choice, as in real text: a few words are very common. */
  static int zipf(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    return (int) Math.min(WORDS.length - 1, Math.floor(Math.pow(WORDS.length + 1, u)) - 1);
  }

  // ------------------------------------------------------------------ (b) indexing
  static IndexableMessage synthetic(int i, SplittableRandom rnd) {
    int k = i % 50_000;
    DocumentType type = DocumentType.KNOWN.get(i % DocumentType.KNOWN.size());
    return IndexableMessage.builder(new MessageRef("INBOX", 1, i + 1)).messageId("<" + i + "@bench.test>")
        .from("dr." + FAMILIES[i % FAMILIES.length].toLowerCase(Locale.ROOT) + "@hopital.test").to(KINE)
        .date(Instant.parse("2020-01-01T00:00:00Z").plusSeconds(600L * i)).subject(type.label() + " " + FAMILIES[k % FAMILIES.length])
        .bodyText(sentence(rnd, 40)).patientIns(Ins.of(insOf(k), InsKind.INS_NIR_TEST))
        .patientName(FAMILIES[k % FAMILIES.length] + " " + GIVENS[k / FAMILIES.length % GIVENS.length]).documentType(type)
        .documentText(sentence(rnd, 150)).verdict(org.pont.smime.VerdictReason.VALID).size(4000).build();
  }

  static void indexing(int n) throws Exception {
    List<IndexableMessage> docs = new ArrayList<>(n);
    SplittableRandom rnd = new SplittableRandom(2);
    for (int i = 0; i < n; i++) {
      docs.add(synthetic(i, rnd));
    }
    for (int round = 0; round < 2; round++) {
      Path a = Files.createTempDirectory("pont-bench-idx");
      long t0 = System.nanoTime();
      try (MessageIndex idx = MessageIndex.open(a)) {
        for (IndexableMessage m : docs) {
          idx.index(m);
        }
        idx.commit();
      }
      long pont = System.nanoTime() - t0;
      Path b = Files.createTempDirectory("pont-bench-raw");
      long r0 = System.nanoTime();
      FacetsConfig facets = new FacetsConfig();
      facets.setMultiValued(MessageIndex.DIM_TYPE, true);
      try (FSDirectory dir = FSDirectory.open(b);
          IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new FrenchTextAnalyzer()))) {
        for (IndexableMessage m : docs) {
          w.updateDocument(new Term(MessageIndex.F_ID, m.ref().key()), facets.build(rawDocument(m)));
        }
        w.commit();
      }
      long raw = System.nanoTime() - r0;
      System.out.printf("(b) round %d: %d docs: Pont MessageIndex %.2f s (%.0f docs/s), raw Lucene %.2f s (%.0f docs/s), Pont throughput = %.2fx raw; %s%n",
          round, n, pont / 1e9, n / (pont / 1e9), raw / 1e9, n / (raw / 1e9), (double) raw / pont, memory());
      deleteTree(a);
      deleteTree(b);
    }
  }

  /**
   * The fields MessageIndex writes, written straight to Lucene (the baseline: no wrapper, same work):
   * the combined free-text field (subject and patient names weighted in it the same way), stored
   * fields, doc values and facets.
   */
  static Document rawDocument(IndexableMessage m) {
    Document d = new Document();
    d.add(new StringField(MessageIndex.F_ID, m.ref().key(), Field.Store.NO));
    d.add(new StringField(MessageIndex.F_FOLDER, m.ref().folder(), Field.Store.YES));
    d.add(new LongField(MessageIndex.F_UIDVALIDITY, m.ref().uidValidity(), Field.Store.YES));
    d.add(new StoredField(MessageIndex.F_UID, m.ref().uid()));
    d.add(new NumericDocValuesField(MessageIndex.F_UID, m.ref().uid()));
    d.add(new StringField(MessageIndex.F_MESSAGE_ID, m.messageId().orElseThrow(), Field.Store.YES));
    d.add(new StoredField(MessageIndex.F_SUBJECT, m.subject()));
    d.add(new WeightedTextField(MessageIndex.F_TEXT, m.subject(), MessageIndex.SUBJECT_WEIGHT));
    for (String name : m.patientNames()) {
      d.add(new StoredField(MessageIndex.F_PATIENT, name));
      d.add(new WeightedTextField(MessageIndex.F_TEXT, name, MessageIndex.PATIENT_WEIGHT));
    }
    d.add(new TextField(MessageIndex.F_TEXT, m.bodyText(), Field.Store.NO));
    for (String text : m.documentTexts()) {
      d.add(new TextField(MessageIndex.F_TEXT, text, Field.Store.NO));
    }
    d.add(new StringField(MessageIndex.F_FROM, m.from(), Field.Store.YES));
    d.add(new TextField(MessageIndex.F_TEXT, m.from(), Field.Store.NO));
    d.add(new SortedSetDocValuesFacetField(MessageIndex.DIM_SENDER, m.from()));
    for (String to : m.to()) {
      d.add(new StringField(MessageIndex.F_TO, to, Field.Store.YES));
      d.add(new TextField(MessageIndex.F_TEXT, to, Field.Store.NO));
    }
    d.add(new LongField(MessageIndex.F_DATE, m.date().orElseThrow().toEpochMilli(), Field.Store.YES));
    d.add(new StringField(MessageIndex.F_INS, m.patientIns().orElseThrow().value(), Field.Store.YES));
    for (DocumentType t : m.documentTypes()) {
      d.add(new StringField(MessageIndex.F_TYPE, t.code(), Field.Store.YES));
      d.add(new TextField(MessageIndex.F_TEXT, t.label(), Field.Store.NO));
      d.add(new SortedSetDocValuesFacetField(MessageIndex.DIM_TYPE, t.code()));
    }
    d.add(new StringField(MessageIndex.F_VERDICT, m.verdict().orElseThrow().name(), Field.Store.YES));
    d.add(new StringField(MessageIndex.F_ENCRYPTED, "false", Field.Store.YES));
    d.add(new NumericDocValuesField(MessageIndex.F_READ, 0));
    d.add(new NumericDocValuesField(MessageIndex.F_ACK, 0));
    d.add(new StoredField(MessageIndex.F_SIZE, m.size()));
    return d;
  }

  // ------------------------------------------------------------------ (c) search
  static void search(int n, int queries, String kindList) throws Exception {
    Path dir = Files.createTempDirectory("pont-bench-search");
    long t0 = System.nanoTime();
    SplittableRandom rnd = new SplittableRandom(3);
    try (MessageIndex idx = MessageIndex.open(dir)) {
      for (int i = 0; i < n; i++) {
        idx.index(synthetic(i, rnd));
        if ((i + 1) % 200_000 == 0) {
          idx.commit();
        }
      }
      idx.commit();
      System.out.printf("(c) %d messages indexed in %.1f s, index %d MB; %s%n", n, secs(t0), size(dir) >> 20, memory());
      SplittableRandom q = new SplittableRandom(4);
      String[] kinds = {"text", "text+patient", "type+sender, newest first", "two words, relevance", "text, with facets"};
      for (String kindArg : kindList.split(",")) {
        int k = Integer.parseInt(kindArg.strip());
        for (int i = 0; i < 300; i++) {
          idx.search(query(k, q));
        }
        long[] lat = new long[queries];
        long hits = 0;
        int bounded = 0;
        for (int i = 0; i < queries; i++) {
          SearchQuery sq = query(k, q);
          long s0 = System.nanoTime();
          SearchResults r = idx.search(sq);
          lat[i] = System.nanoTime() - s0;
          hits += r.totalHits();
          bounded += r.totalHitsExact() ? 0 : 1;
        }
        Arrays.sort(lat);
        System.out.printf("(c) %-26s %d queries on %d messages: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
            + " (average %d hits; total a lower bound in %d queries)%n", kinds[k], queries, n,
            lat[queries / 2] / 1e6, lat[(int) (queries * 0.99)] / 1e6, lat[queries - 1] / 1e6, hits / queries, bounded);
      }
      System.out.printf("(c) after the queries: %s%n", memory());
    } finally {
      deleteTree(dir);
    }
  }

  static SearchQuery query(int kind, SplittableRandom q) {
    int patientKey = q.nextInt(50_000);
    return switch (kind) {
      case 0 -> SearchQuery.builder().text(WORDS[q.nextInt(WORDS.length)]).page(0, 20).build();
      case 1 -> SearchQuery.builder().text(WORDS[q.nextInt(WORDS.length)]).patientIns(insOf(patientKey)).page(0, 20).build();
      case 2 -> SearchQuery.builder().documentType(DocumentType.KNOWN.get(q.nextInt(DocumentType.KNOWN.size())).code())
          .sender("dr." + FAMILIES[q.nextInt(FAMILIES.length)].toLowerCase(Locale.ROOT) + "@hopital.test").sort(SortOrder.NEWEST_FIRST)
          .page(0, 20).build();
      case 3 -> SearchQuery.builder().text(WORDS[q.nextInt(WORDS.length)] + " " + WORDS[q.nextInt(WORDS.length)])
          .sort(SortOrder.RELEVANCE).page(0, 20).build();
      default -> SearchQuery.builder().text(WORDS[q.nextInt(WORDS.length)]).page(0, 20).withFacets().build();
    };
  }

  // ------------------------------------------------------------------ helpers
  static String memory() throws Exception {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    String rss = "?";
    String hwm = "?";
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = line.substring(6).strip();
      } else if (line.startsWith("VmHWM:")) {
        hwm = line.substring(6).strip();
      }
    }
    long peak = 0;
    for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return String.format("heap used after GC %d MB, live heap high-water mark (most used after any GC since reset) %d MB, "
        + "heap pools' peak sum %d MB, RSS %s, peak RSS %s", (rt.totalMemory() - rt.freeMemory()) >> 20, LIVE_PEAK.get() >> 20,
        peak >> 20, rss, hwm);
  }

  /** The most heap in use just after a collection since {@link #resetPeaks()}: the live-data high-water mark. */
  static final java.util.concurrent.atomic.AtomicLong LIVE_PEAK = new java.util.concurrent.atomic.AtomicLong();

  static {
    java.util.Set<String> heapPools = new java.util.HashSet<>();
    for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((javax.management.NotificationEmitter) gc).addNotificationListener((n, h) -> {
        if (n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          var info = com.sun.management.GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) n.getUserData());
          long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
              .mapToLong(e -> e.getValue().getUsed()).sum();
          LIVE_PEAK.accumulateAndGet(used, Math::max);
        }
      }, null, null);
    }
  }

  /** Starts a new heap high-water mark (summed over the heap pools; an upper bound, pools peak at different times). */
  static void resetPeaks() {
    System.gc();
    LIVE_PEAK.set(0);
    for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static long size(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static void deleteTree(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static int intArg(String[] args, String name, int dflt) {
    String v = strArg(args, name, null);
    return v == null ? dflt : Integer.parseInt(v.replace("_", ""));
  }

  static String strArg(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
