package org.pont.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.pont.PontException;
import org.pont.cda.Author;
import org.pont.cda.CdaCode;
import org.pont.cda.CdaDocument;
import org.pont.cda.CdaHeader;
import org.pont.cda.CdaPatient;
import org.pont.cda.CdaReader;
import org.pont.cda.InstanceId;
import org.pont.cda.Level1Document;
import org.pont.cda.Organization;
import org.pont.cda.PersonName;
import org.pont.index.DefaultMessageExtractor;
import org.pont.index.MessageIndex;
import org.pont.index.SearchHit;
import org.pont.index.SearchQuery;
import org.pont.index.SearchResults;
import org.pont.message.ClinicalDocument;
import org.pont.message.CoordinationMessage;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.message.Patient;
import org.pont.message.Sex;
import org.pont.mssante.MssanteMessageWriter;
import org.pont.smime.TrustAnchors;
import org.pont.transport.MailCredentials;
import org.pont.transport.MailSender;
import org.pont.transport.MailboxSync;
import org.pont.transport.ServerSettings;
import org.pont.transport.SyncFailure;
import org.pont.transport.SyncProgress;
import org.pont.transport.SyncResult;
import org.pont.transport.TlsTrust;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pont send|sync|search}: the client library from the command line. */
final class MailCommands {
  static final String PASSWORD_ENV = "PONT_MAIL_PASSWORD";

  private MailCommands() {}

  /** Server, trust and password options shared by send and sync. */
  static final class Connection {
    @Option(names = "--trust", paramLabel = "PEM|DIR",
        description = "Trust anchors for the server's TLS certificate: a PEM file or a folder of them (default: the JDK's).")
    Path trust;

    @Option(names = "--password-file", paramLabel = "FILE",
        description = "File holding the mailbox password (default: environment variable " + PASSWORD_ENV + ").")
    Path passwordFile;

    TlsTrust tlsTrust() throws IOException {
      if (trust == null) {
        return TlsTrust.systemDefault();
      }
      return Files.isDirectory(trust) ? TlsTrust.of(TrustAnchors.fromDirectory(trust)) : TlsTrust.fromPem(trust);
    }

    char[] password() throws IOException {
      if (passwordFile != null) {
        return Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
      }
      String env = System.getenv(PASSWORD_ENV);
      if (env == null) {
        throw new IOException("no mailbox password: use --password-file FILE or set " + PASSWORD_ENV);
      }
      return env.toCharArray();
    }
  }

  /** A server address {@code scheme://user@host:port}: the user is the login, the scheme the TLS mode. */
  record Server(String user, ServerSettings settings) {
    static Server parse(String uri, TlsTrust trust, String implicitScheme, String starttlsScheme, int implicitPort, int starttlsPort) {
      // By hand rather than java.net.URI: the login is usually an address, its '@' unescaped.
      int sep = uri.indexOf("://");
      String scheme = sep < 0 ? "" : uri.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
      String authority = sep < 0 ? "" : uri.substring(sep + 3).replaceFirst("/+$", "");
      int at = authority.lastIndexOf('@');
      if (at <= 0 || at == authority.length() - 1) {
        throw new IllegalArgumentException("server '" + uri + "' must look like " + implicitScheme + "://user@host:port");
      }
      String user = URLDecoder.decode(authority.substring(0, at), StandardCharsets.UTF_8);
      String hostPort = authority.substring(at + 1);
      int colon = hostPort.lastIndexOf(':');
      String host = colon < 0 || hostPort.endsWith("]") ? hostPort : hostPort.substring(0, colon);
      int port;
      try {
        port = colon < 0 || hostPort.endsWith("]") ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("server '" + uri + "': bad port");
      }
      record U(String host, int port) {
        String getHost() { return host; }
        int getPort() { return port; }
      }
      U u = new U(host.replace("[", "").replace("]", ""), port);
      if (scheme.equals(implicitScheme)) {
        return new Server(user, ServerSettings.implicitTls(u.getHost(), u.getPort() < 0 ? implicitPort : u.getPort(), trust));
      }
      if (scheme.equals(starttlsScheme)) {
        return new Server(user, ServerSettings.starttls(u.getHost(), u.getPort() < 0 ? starttlsPort : u.getPort(), trust));
      }
      throw new IllegalArgumentException("server '" + uri + "': the scheme must be " + implicitScheme + " or " + starttlsScheme
          + " (there is no clear-text mode)");
    }
  }

  static int fail(PrintWriter err, Exception e) {
    err.println("pont: " + e.getMessage());
    return SmimeCommands.ERROR;
  }

  @Command(name = "send", mixinStandardHelpOptions = true,
      description = {"Send a message over SMTP submission with TLS. With --cda, the CDA is packed as an MSSanté",
          "message (IHE_XDM.ZIP); with --pdf and --patient, a level-1 CDA is built around the PDF first.",
          "Exit status: 0 sent, 1 refused by the server or invalid input, 2 usage or connection error."})
  static final class Send implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection connection = new Connection();

    @Option(names = "--server", required = true, paramLabel = "URI",
        description = "smtps://user@host:port (implicit TLS, default port 465) or smtp+starttls://user@host:port (default 587).")
    String server;

    @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "A recipient (repeatable).")
    List<String> to = new ArrayList<>();

    @Option(names = "--from", paramLabel = "ADDRESS", description = "The sender (default: the login of --server).")
    String from;

    @Option(names = "--subject", paramLabel = "TEXT", description = "The subject (an MSSanté message gets its own from the document).")
    String subject;

    @Option(names = "--body", paramLabel = "TEXT", defaultValue = "", description = "The text of the message.")
    String body;

    @Option(names = "--cda", paramLabel = "FILE", description = "A CDA R2 document to send (its header names the patient).")
    Path cda;

    @Option(names = "--pdf", paramLabel = "FILE", description = "A PDF to send as a level-1 CDA (needs --patient and the identity options).")
    Path pdf;

    @Option(names = "--patient", paramLabel = "INS", description = "The patient's INS (matricule and key, 15 digits).")
    String patientIns;

    @Option(names = "--ins-kind", defaultValue = "INS_NIR", paramLabel = "KIND", description = "INS_NIR (default), INS_NIA, INS_NIR_TEST, INS_NIA_TEST.")
    InsKind insKind;

    @Option(names = "--family", paramLabel = "NAME", description = "The patient's birth family name.") String family;
    @Option(names = "--given", paramLabel = "NAMES", description = "The patient's given names, space separated.") String given;
    @Option(names = "--birth-date", paramLabel = "YYYY-MM-DD", description = "The patient's birth date.") LocalDate birthDate;
    @Option(names = "--sex", paramLabel = "F|M|U", description = "The patient's sex.") String sex;

    @Option(names = "--type", paramLabel = "CODE", description = "The document's LOINC type code, e.g. 11490-0 (with --pdf).")
    String type;

    @Option(names = "--author-rpps", paramLabel = "RPPS", description = "The author's RPPS number (with --pdf).") String authorRpps;
    @Option(names = "--author-name", paramLabel = "GIVEN FAMILY", description = "The author's name (with --pdf).") String authorName;
    @Option(names = "--finess", paramLabel = "FINESS", description = "The custodian organisation's FINESS (with --pdf).") String finess;
    @Option(names = "--organisation", paramLabel = "NAME", description = "The custodian organisation's name (with --pdf).") String organisation;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Server s;
      MimeMessage message;
      try {
        s = Server.parse(server, connection.tlsTrust(), "smtps", "smtp+starttls", 465, 587);
        String sender = from != null ? from : s.user();
        message = build(sender);
      } catch (IOException | IllegalArgumentException | IllegalStateException | PontException e) {
        err.println("pont: " + e.getMessage());
        return SmimeCommands.INVALID;
      } catch (jakarta.mail.MessagingException e) {
        return fail(err, e);
      }
      char[] password = null;
      try {
        password = connection.password();
        String id = MailSender.of(s.settings(), MailCredentials.of(s.user(), password)).send(message);
        spec.commandLine().getOut().println("sent " + id);
        return 0;
      } catch (org.pont.transport.TransportException e) {
        err.println("pont: " + e.reason() + ": " + e.getMessage());
        return e.reason() == org.pont.transport.TransportException.Reason.REJECTED ? SmimeCommands.INVALID : SmimeCommands.ERROR;
      } catch (Exception e) {
        return fail(err, e);
      } finally {
        if (password != null) {
          java.util.Arrays.fill(password, '\0');
        }
      }
    }

    private MimeMessage build(String sender) throws IOException, PontException, jakarta.mail.MessagingException {
      Session session = Session.getInstance(new Properties());
      if (cda != null && pdf != null) {
        throw new IllegalArgumentException("--cda and --pdf exclude each other");
      }
      if (cda == null && pdf == null) {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(sender);
        m.setRecipients(MimeMessage.RecipientType.TO, String.join(",", to));
        m.setSubject(subject == null ? "" : subject, "UTF-8");
        m.setText(body, "UTF-8");
        m.saveChanges();
        return m;
      }
      byte[] xml;
      Patient patient;
      DocumentType docType;
      if (cda != null) {
        xml = Files.readAllBytes(cda);
        CdaDocument doc = new CdaReader().read(xml);
        patient = patientOf(doc.patient());
        docType = doc.documentType().orElseGet(() -> new DocumentType(doc.code().code(), doc.code().codeSystem(), "",
            doc.code().displayName().orElse(doc.title())));
      } else {
        require(patientIns, "--patient");
        require(type, "--type");
        require(family, "--family");
        require(given, "--given");
        require(birthDate, "--birth-date");
        require(sex, "--sex");
        require(authorRpps, "--author-rpps");
        require(authorName, "--author-name");
        require(finess, "--finess");
        require(organisation, "--organisation");
        patient = new Patient(Ins.of(patientIns, insKind), family, List.of(given.strip().split("\\s+")), birthDate, sex(sex));
        docType = DocumentType.byCode(type).orElseThrow(() -> new IllegalArgumentException("unknown document type " + type
            + "; known: " + DocumentType.KNOWN.stream().map(DocumentType::code).toList()));
        String[] name = authorName.strip().split("\\s+", 2);
        if (name.length < 2) {
          throw new IllegalArgumentException("--author-name needs a given name and a family name");
        }
        Organization org = Organization.finess(finess, organisation);
        CdaHeader header = CdaHeader.builder(docType).effectiveTime(OffsetDateTime.now()).patient(patient)
            .author(new Author(InstanceId.rpps(authorRpps), java.util.Optional.of(PersonName.of(name[0], name[1])), java.util.Optional.empty(), java.util.Optional.of(org))).custodian(org)
            .healthcareFacilityType(CdaCode.FACILITY_INDIVIDUAL_PRACTICE).practiceSetting(CdaCode.PRACTICE_AMBULATORY).build();
        xml = Level1Document.pdf(header, Files.readAllBytes(pdf)).toXml();
      }
      CoordinationMessage.Builder b = CoordinationMessage.builder().from(sender).subject(subject == null ? docType.label() : subject)
          .body(body).patient(patient)
          .document(new ClinicalDocument(docType, docType.label(), ClinicalDocument.CDA_MEDIA_TYPE, "document.xml", xml));
      to.forEach(b::to);
      return MssanteMessageWriter.of("Pont-cli", "1.2.250.1.999.1").write(b.build(), session);
    }

    private static void require(Object value, String option) {
      if (value == null) {
        throw new IllegalArgumentException("--pdf needs " + option);
      }
    }

    private static Sex sex(String s) {
      for (Sex x : Sex.values()) {
        if (x.name().equalsIgnoreCase(s) || x.name().substring(0, 1).equalsIgnoreCase(s)) {
          return x;
        }
      }
      throw new IllegalArgumentException("--sex must be F, M or U");
    }

    private static Patient patientOf(CdaPatient p) {
      if (p.ins().isEmpty() || p.familyName().isEmpty() || p.birthDate().isEmpty()) {
        throw new IllegalArgumentException("the CDA names no patient with an INS, a family name and a birth date");
      }
      return new Patient(p.ins().get(), p.familyName().get(), p.givenNames(), p.birthDate().get(), p.sex());
    }
  }

  @Command(name = "sync", mixinStandardHelpOptions = true,
      description = {"Fetch new messages over IMAP with TLS into a local search index (incremental; resumes after a",
          "failure). A progress bar is drawn on stderr when it is a terminal; plain lines otherwise.",
          "Exit status: 0 synced (some messages may have failed: see the summary), 2 connection, login or index error."})
  static final class Sync implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection connection = new Connection();

    @Option(names = "--imap", required = true, paramLabel = "URI",
        description = "imaps://user@host:port (implicit TLS, default 993) or imap+starttls://user@host:port (default 143).")
    String imap;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index folder (created if absent).")
    Path index;

    @Option(names = "--folder", paramLabel = "NAME", description = "A folder to sync (repeatable; default INBOX).")
    List<String> folders = new ArrayList<>();

    @Option(names = "--progress", paramLabel = "auto|bar|lines|none", defaultValue = "auto",
        description = "How to show progress on stderr (default: a bar on a terminal, lines otherwise).")
    String progress;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      char[] password = null;
      try {
        Server s = Server.parse(imap, connection.tlsTrust(), "imaps", "imap+starttls", 993, 143);
        password = connection.password();
        String mode = progress.equals("auto") ? (stderrIsTerminal() ? "bar" : "lines") : progress;
        Progress bar = new Progress(err, mode);
        SyncResult r;
        try (MessageIndex idx = MessageIndex.open(index)) {
          MailboxSync.Builder b = MailboxSync.builder(s.settings(), MailCredentials.of(s.user(), password), idx)
              .extractor(DefaultMessageExtractor.builder().build());
          if (!folders.isEmpty()) {
            b.folders(folders.toArray(String[]::new));
          }
          r = b.build().sync(bar);
          bar.finish();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("synced %d folder(s) in %.1f s: %d fetched, %d indexed, %d skipped, %d failed%n", r.folders().size(),
            r.elapsed().toMillis() / 1000.0, r.fetched(), r.indexed(), r.skipped(), r.failed());
        for (SyncFailure f : r.failures()) {
          out.println("  failed " + f.ref() + ": " + f.reason());
        }
        return 0;
      } catch (PontException e) {
        err.println("pont: " + e.getMessage());
        return SmimeCommands.ERROR;
      } catch (Exception e) {
        return fail(err, e);
      } finally {
        if (password != null) {
          java.util.Arrays.fill(password, '\0');
        }
      }
    }

    /** Linux: fd 2 is a tty; elsewhere fall back to "there is a console". */
    static boolean stderrIsTerminal() {
      try {
        String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        return System.console() != null;
      }
    }
  }

  /** Progress on stderr: a redrawn bar (at most 10 redraws a second) or a plain line every 5 seconds. */
  static final class Progress implements SyncProgress.Listener {
    private final PrintWriter err;
    private final String mode;
    private long last;
    private boolean drawn;

    Progress(PrintWriter err, String mode) {
      this.err = err;
      this.mode = mode;
    }

    @Override
    public void onProgress(SyncProgress p) {
      long now = System.nanoTime();
      boolean end = p.done() >= p.total();
      if (mode.equals("bar")) {
        if (!end && now - last < 100_000_000L) {
          return;
        }
        int width = 30;
        int filled = p.total() == 0 ? width : (int) (width * p.done() / p.total());
        err.printf("\r%-12s [%s%s] %d/%d", p.folder(), "#".repeat(filled), " ".repeat(width - filled), p.done(), p.total());
        err.flush();
        drawn = true;
      } else if (mode.equals("lines")) {
        if (!end && now - last < 5_000_000_000L) {
          return;
        }
        err.printf("%s: %d/%d messages (%d indexed, %d failed)%n", p.folder(), p.done(), p.total(), p.indexed(), p.failed());
        err.flush();
      }
      last = now;
    }

    void finish() {
      if (drawn) {
        err.println();
        err.flush();
      }
    }
  }

  @Command(name = "search", mixinStandardHelpOptions = true,
      description = {"Search the local index built by 'pont sync' (French analysis: accents, plurals, elisions).",
          "Exit status: 0 (even with no hit), 2 index error."})
  static final class Search implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index folder.")
    Path index;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Words to look for in subjects, bodies and documents.")
    List<String> words = new ArrayList<>();

    @Option(names = "--patient", paramLabel = "INS", description = "Only messages about this patient.") String patient;
    @Option(names = "--type", paramLabel = "CODE", description = "Only messages with a document of this type (e.g. 11490-0).") String type;
    @Option(names = "--from", paramLabel = "ADDRESS", description = "Only messages from this sender.") String from;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N hits (default 20, max 1000).") int limit;
    @Option(names = "--json", description = "JSON output (one object: total and hits).") boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      SearchQuery.Builder q = SearchQuery.builder().page(0, Math.max(1, Math.min(limit, SearchQuery.MAX_PAGE_SIZE)));
      if (!words.isEmpty()) {
        q.text(String.join(" ", words));
      }
      if (patient != null) {
        q.patientIns(patient);
      }
      if (type != null) {
        q.documentType(type);
      }
      if (from != null) {
        q.sender(from);
      }
      if (!Files.isDirectory(index)) {
        spec.commandLine().getErr().println("pont: no index at " + index + " (run 'pont sync' first)");
        return SmimeCommands.ERROR;
      }
      try (MessageIndex idx = MessageIndex.open(index)) {
        SearchResults r = idx.search(q.build());
        if (json) {
          Map<String, Object> doc = new LinkedHashMap<>();
          doc.put("total", r.totalHits());
          doc.put("totalExact", r.totalHitsExact());
          List<Map<String, Object>> hits = new ArrayList<>();
          for (SearchHit h : r.hits()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("folder", h.ref().folder());
            m.put("uidValidity", h.ref().uidValidity());
            m.put("uid", h.ref().uid());
            m.put("messageId", h.messageId().orElse(null));
            m.put("date", h.date().map(Object::toString).orElse(null));
            m.put("from", h.from());
            m.put("to", h.to());
            m.put("subject", h.subject());
            m.put("patientIns", h.patientIns().orElse(null));
            m.put("patientNames", h.patientNames());
            m.put("documentTypes", h.documentTypes());
            m.put("verdict", h.verdict().map(Enum::name).orElse(null));
            m.put("read", h.read());
            m.put("acknowledged", h.acknowledged());
            m.put("warnings", h.warnings());
            hits.add(m);
          }
          doc.put("hits", hits);
          out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
          out.printf("%s%d message(s)%s%n", r.totalHitsExact() ? "" : "at least ", r.totalHits(),
              r.totalHits() > r.hits().size() ? ", first " + r.hits().size() : "");
          for (SearchHit h : r.hits()) {
            out.printf("%s  %-30s  %s%s%s%n", h.date().map(d -> d.toString().substring(0, 16).replace('T', ' ')).orElse("????-??-?? ??:??"),
                h.from(), h.subject(),
                h.documentTypes().isEmpty() ? "" : "  [" + String.join(",", h.documentTypes()) + "]",
                h.patientIns().map(i -> "  INS " + i).orElse(""));
          }
        }
        return 0;
      } catch (PontException | IOException e) {
        spec.commandLine().getErr().println("pont: " + e.getMessage());
        return SmimeCommands.ERROR;
      }
    }
  }
}
