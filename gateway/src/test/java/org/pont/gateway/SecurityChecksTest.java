package org.pont.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.PkiFolder;
import org.pont.certs.Usage;
import org.pont.gateway.james.BoundPorts;
import org.pont.smime.KeyCredential;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;

/**
 * Issue 7's security checks against one in-memory gateway, from outside through its real
 * listeners: what TLS every listener accepts (scanned with {@code openssl s_client}), that no
 * credential crosses a clear connection, that one mailbox's user reaches nothing of another's over
 * IMAP or REST, and that neither the audit trail, the webhook files nor the logs hold patient data.
 * Results are summarised in docs/SECURITY.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityChecksTest {

  static final String A = "secretariat@hopital.test";
  static final String B = "dr.martin@hopital.test";
  static final ObjectMapper JSON = new ObjectMapper();
  // A patient nobody else uses, so any hit in the audit files or logs is ours.
  static final String FAMILY = "Zorglubienne";
  static final String GIVEN = "Philomene";
  static final String BIRTH = "1967-11-04";
  static final String INS = "267117512345631";
  static final String SUBJECT_WORD = "Quintessenciel";
  static final String BODY_WORD = "hypercholesterolemie-familiale";

  private Path work;
  private Path data;
  private Gateway gateway;
  private BoundPorts ports;
  private Properties credentials;
  private HttpClient http;
  private String base;
  private String admin;
  private String tokenA;
  private String tokenB;
  private HttpServer receiver;
  private final List<String> hookBodies = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
      new ch.qos.logback.core.read.ListAppender<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    ch.qos.logback.classic.Logger root = rootLogger();
    logs.setContext(root.getLoggerContext());
    logs.start();
    root.addAppender(logs);
    work = dir;
    data = dir.resolve("data");
    gateway = Gateway.start(Map.of(
        "pont.data", data.toString(),
        "pont.storage", "memory",
        "pont.ports.smtp", "0", "pont.ports.submission", "0", "pont.ports.imap", "0", "pont.ports.imaps", "0",
        "micronaut.server.port", "-1",
        "pont.webhooks.poll-interval", "100ms"), Optional.empty());
    ports = gateway.james().james().ports();
    http = PkiHttps.client(data);
    base = gateway.apiUri().toString();
    credentials = new Properties();
    try (var r = Files.newBufferedReader(data.resolve("credentials.properties"))) {
      credentials.load(r);
    }
    admin = Files.readString(data.resolve("admin-token.txt")).strip();
    tokenA = token(A, "send", "read");
    tokenB = token(B, "send", "read");
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", exchange -> {
      hookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterAll
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
    if (gateway != null) {
      gateway.close();
    }
    rootLogger().detachAppender(logs);
  }

  private static ch.qos.logback.classic.Logger rootLogger() {
    return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  // ---------------------------------------------------------------- 1. TLS scan of every listener

  /** OpenSSL names of TLS 1.2 suites that must be refused, by family. */
  static final Map<String, String> WEAK_TLS12 = new LinkedHashMap<>();
  static {
    WEAK_TLS12.put("CBC + SHA-1 (ECDHE)", "ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES256-SHA:ECDHE-ECDSA-AES256-SHA");
    WEAK_TLS12.put("CBC + SHA-2 (ECDHE)", "ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA384");
    WEAK_TLS12.put("RSA key exchange", "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA:AES256-SHA:AES128-SHA256");
    WEAK_TLS12.put("finite-field DHE", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-SHA");
    WEAK_TLS12.put("3DES", "DES-CBC3-SHA:ECDHE-RSA-DES-CBC3-SHA");
    WEAK_TLS12.put("RC4", "RC4-SHA:RC4-MD5:ECDHE-RSA-RC4-SHA");
    WEAK_TLS12.put("NULL", "NULL-SHA256:NULL-SHA:ECDHE-RSA-NULL-SHA:ECDHE-ECDSA-NULL-SHA");
    WEAK_TLS12.put("EXPORT", "EXP-RC4-MD5:EXP-DES-CBC-SHA:EXP-EDH-RSA-DES-CBC-SHA");
    WEAK_TLS12.put("anonymous", "ADH-AES128-GCM-SHA256:ADH-AES128-SHA:AECDH-AES128-SHA");
  }

  /**
   * The same families in JDK names, for what openssl 3.0 can no longer offer (3DES, RC4, EXPORT):
   * probed from a forked JVM whose {@code jdk.tls.disabledAlgorithms} is emptied ({@link TlsSuiteProbe}).
   */
  static final Map<String, String> JDK_TLS12 = new LinkedHashMap<>();
  static {
    JDK_TLS12.put("3DES", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA,SSL_RSA_WITH_3DES_EDE_CBC_SHA");
    JDK_TLS12.put("RC4", "TLS_ECDHE_RSA_WITH_RC4_128_SHA,TLS_ECDHE_ECDSA_WITH_RC4_128_SHA,SSL_RSA_WITH_RC4_128_SHA,SSL_RSA_WITH_RC4_128_MD5");
    JDK_TLS12.put("EXPORT", "SSL_RSA_EXPORT_WITH_RC4_40_MD5,SSL_RSA_EXPORT_WITH_DES40_CBC_SHA,SSL_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA");
    JDK_TLS12.put("strong", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  }

  /** The TLS 1.2 suites the configuration lists (ECDHE + AEAD); the server key decides which one signs. */
  static final List<String> STRONG_TLS12 = List.of("ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256",
      "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256");
  static final List<String> STRONG_TLS13 = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
      "TLS_CHACHA20_POLY1305_SHA256");

  enum Outcome { ACCEPTED, REFUSED, CLIENT_CANNOT_OFFER }

  record Listener(String name, int port, List<String> preamble, String starttls, boolean clientCertificate) {}

  private List<Listener> listeners() throws Exception {
    Path clientPem = operatorClientPem();
    return List.of(
        new Listener("SMTP operator (STARTTLS, client cert)", ports.smtp(),
            List.of("-starttls", "smtp", "-cert", clientPem.toString(), "-key", clientPem.toString()), "smtp", true),
        new Listener("SMTP submission (STARTTLS)", ports.submission(), List.of("-starttls", "smtp"), "smtp", false),
        new Listener("IMAP (STARTTLS)", ports.imap(), List.of("-starttls", "imap"), "imap", false),
        new Listener("IMAPS (implicit TLS)", ports.imaps(), List.of(), "none", false),
        new Listener("REST HTTPS", gateway.httpPort(), List.of(), "none", false));
  }

  @Test
  void everyListenerAcceptsOnlyTls12And13WithStrongSuites() throws Exception {
    // The probe itself must be able to see an old protocol or a weak suite: against a local
    // openssl server that allows everything, it has to report them accepted.
    controlServerShowsTheProbeDetectsWeakness();
    controlJdkServerShowsTheJdkProbeDetectsWeakness();

    List<String> table = new ArrayList<>();
    table.add("| Listener | TLSv1 | TLSv1.1 | TLSv1.2 | TLSv1.3 | " + String.join(" | ", WEAK_TLS12.keySet())
        + " | strong TLS 1.2 suites accepted | TLS 1.3 suites accepted |");
    table.add("|" + "---|".repeat(7 + WEAK_TLS12.size()));
    List<String> failures = new ArrayList<>();
    for (Listener l : listeners()) {
      StringBuilder row = new StringBuilder("| " + l.name() + " |");
      for (String version : List.of("tls1", "tls1_1", "tls1_2", "tls1_3")) {
        List<String> args = new ArrayList<>(List.of("-" + version));
        if (!version.equals("tls1_3")) {
          args.addAll(List.of("-cipher", "ALL:@SECLEVEL=0"));
        }
        Outcome o = probe(l, args);
        row.append(' ').append(cell(o)).append(" |");
        boolean wanted = version.equals("tls1_2") || version.equals("tls1_3");
        if ((o == Outcome.ACCEPTED) != wanted) {
          failures.add(l.name() + " " + version + " " + o);
        }
      }
      Map<String, String> jdk = jdkProbe(l.port(), l.starttls(), l.clientCertificate());
      if (!jdk.getOrDefault("strong", "").startsWith("ACCEPTED")) {
        failures.add(l.name() + ": the JDK probe cannot even make a strong handshake: " + jdk);
      }
      for (Map.Entry<String, String> weak : WEAK_TLS12.entrySet()) {
        Outcome o = probe(l, List.of("-tls1_2", "-cipher", weak.getValue() + ":@SECLEVEL=0"));
        String suffix = "";
        if (o == Outcome.CLIENT_CANNOT_OFFER && jdk.containsKey(weak.getKey())) {
          o = Outcome.valueOf(jdk.get(weak.getKey()).split(" ")[0].replace("CANNOT_OFFER", "CLIENT_CANNOT_OFFER"));
          suffix = o == Outcome.CLIENT_CANNOT_OFFER ? "" : " (JDK)";
        }
        row.append(' ').append(o == Outcome.CLIENT_CANNOT_OFFER && jdk.containsKey(weak.getKey())
            ? "n/a (no client can offer)" : cell(o)).append(suffix).append(" |");
        if (o == Outcome.ACCEPTED) {
          failures.add(l.name() + " accepts " + weak.getKey());
        }
      }
      List<String> strong = new ArrayList<>();
      for (String suite : STRONG_TLS12) {
        if (probe(l, List.of("-tls1_2", "-cipher", suite)) == Outcome.ACCEPTED) {
          strong.add(suite);
        }
      }
      List<String> strong13 = new ArrayList<>();
      for (String suite : STRONG_TLS13) {
        if (probe(l, List.of("-tls1_3", "-ciphersuites", suite)) == Outcome.ACCEPTED) {
          strong13.add(suite);
        }
      }
      if (strong.size() != 2) { // the two AES-GCM suites of the server key's type
        failures.add(l.name() + " strong TLS 1.2 suites accepted: " + strong);
      }
      if (strong13.size() != STRONG_TLS13.size()) {
        failures.add(l.name() + " TLS 1.3 suites accepted: " + strong13);
      }
      row.append(' ').append(String.join(", ", strong)).append(" | ").append(String.join(", ", strong13)).append(" |");
      table.add(row.toString());
    }
    System.out.println("TLS scan (" + openssl("version").strip() + ", JDK " + System.getProperty("java.version") + ")");
    table.forEach(System.out::println);
    assertThat(failures).as(String.join("\n", table)).isEmpty();
  }

  private static String cell(Outcome o) {
    return switch (o) {
      case ACCEPTED -> "accepted";
      case REFUSED -> "refused";
      case CLIENT_CANNOT_OFFER -> "n/a (client)";
    };
  }

  private void controlServerShowsTheProbeDetectsWeakness() throws Exception {
    Path key = work.resolve("control-key.pem");
    Path cert = work.resolve("control-cert.pem");
    run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=control", "-days", "1",
        "-keyout", key.toString(), "-out", cert.toString()), 30);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", cert.toString(),
        "-key", key.toString(), "-cipher", "ALL:eNULL:@SECLEVEL=0", "-no_tls1_3", "-naccept", "100", "-quiet")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Listener control = new Listener("control", port, List.of(), "none", false);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (probe(control, List.of("-tls1_2")) != Outcome.ACCEPTED && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(probe(control, List.of("-tls1", "-cipher", "ALL:@SECLEVEL=0"))).isEqualTo(Outcome.ACCEPTED);
      assertThat(probe(control, List.of("-tls1_1", "-cipher", "ALL:@SECLEVEL=0"))).isEqualTo(Outcome.ACCEPTED);
      assertThat(probe(control, List.of("-tls1_2", "-cipher", WEAK_TLS12.get("CBC + SHA-1 (ECDHE)") + ":@SECLEVEL=0")))
          .isEqualTo(Outcome.ACCEPTED);
      assertThat(probe(control, List.of("-tls1_2", "-cipher", WEAK_TLS12.get("RSA key exchange") + ":@SECLEVEL=0")))
          .isEqualTo(Outcome.ACCEPTED);
      assertThat(probe(control, List.of("-tls1_2", "-cipher", WEAK_TLS12.get("NULL") + ":@SECLEVEL=0")))
          .isEqualTo(Outcome.ACCEPTED);
    } finally {
      server.destroy();
      server.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** The forked JDK probe must see 3DES and RC4 on a server that allows them. */
  private void controlJdkServerShowsTheJdkProbeDetectsWeakness() throws Exception {
    Path p12 = work.resolve("control.p12");
    run(List.of("openssl", "pkcs12", "-export", "-in", work.resolve("control-cert.pem").toString(),
        "-inkey", work.resolve("control-key.pem").toString(), "-out", p12.toString(), "-passout", "pass:control"), 30);
    Process server = new ProcessBuilder(jdkCommand("control", p12.toString(), "control"))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      int port = Integer.parseInt(new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.US_ASCII)).readLine().strip());
      Map<String, String> seen = jdkProbe(port, "none", false);
      assertThat(seen.get("3DES")).as(seen.toString()).startsWith("ACCEPTED");
      assertThat(seen.get("RC4")).as(seen.toString()).startsWith("ACCEPTED");
      System.out.println("JDK probe against the control server: " + seen);
    } finally {
      server.destroy();
      server.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private Map<String, String> jdkProbe(int port, String starttls, boolean clientCertificate) throws Exception {
    List<String> args = new ArrayList<>(List.of(String.valueOf(port), starttls));
    if (clientCertificate) {
      args.add(PkiFolder.at(data.resolve("pki")).organisationPkcs12("hopital.test", Usage.TLS_CLIENT).toString());
      args.add(Files.readString(data.resolve("pki/password.txt")).strip());
    } else {
      args.addAll(List.of("-", "-"));
    }
    JDK_TLS12.forEach((label, suites) -> args.add(label + "=" + suites));
    String out = run(jdkCommand(args.toArray(String[]::new)), 60);
    Map<String, String> result = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && JDK_TLS12.containsKey(line.substring(0, space))) {
        result.put(line.substring(0, space), line.substring(space + 1).strip());
      }
    }
    assertThat(result.keySet()).as(out).containsAll(JDK_TLS12.keySet());
    return result;
  }

  private List<String> jdkCommand(String... args) throws Exception {
    Path security = work.resolve("probe.security");
    // Appended to java.security: the forked client may offer what the JDK disables by default.
    Files.writeString(security, "jdk.tls.disabledAlgorithms=\njdk.tls.legacyAlgorithms=\n");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.security.properties=" + security, "-cp", System.getProperty("java.class.path"),
        TlsSuiteProbe.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static final Pattern NEGOTIATED = Pattern.compile("New, (TLSv[\\d.]+|\\(NONE\\)), Cipher is (\\S+)");

  private Outcome probe(Listener l, List<String> options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + l.port(),
        "-servername", "localhost"));
    cmd.addAll(l.preamble());
    cmd.addAll(options);
    String out = run(cmd, 20);
    if (out.contains("no cipher match") || out.contains("Error with command")
        || out.contains("SSL_CTX_set_cipher_list") || out.contains("no ciphers available")) {
      return Outcome.CLIENT_CANNOT_OFFER;
    }
    Matcher m = NEGOTIATED.matcher(out);
    if (m.find() && !m.group(1).equals("(NONE)") && !m.group(2).equals("(NONE)")) {
      return Outcome.ACCEPTED;
    }
    return Outcome.REFUSED;
  }

  /** The hospital's TLS client certificate and key as one PEM file, for the operator port. */
  private Path operatorClientPem() throws Exception {
    Path pem = work.resolve("operator-client.pem");
    if (!Files.exists(pem)) {
      Path p12 = PkiFolder.at(data.resolve("pki")).organisationPkcs12("hopital.test", Usage.TLS_CLIENT);
      String out = run(List.of("openssl", "pkcs12", "-in", p12.toString(), "-nodes", "-out", pem.toString(),
          "-passin", "file:" + data.resolve("pki/password.txt")), 30);
      assertThat(pem).as(out).exists();
    }
    return pem;
  }

  private static String openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    return run(cmd, 20);
  }

  private static String run(List<String> cmd, int seconds) throws Exception {
    Path out = Files.createTempFile("pont-seccheck", ".out");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      p.getOutputStream().close(); // s_client: EOF on stdin ends the session once the handshake is done
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
      return Files.readString(out, StandardCharsets.ISO_8859_1);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  // ---------------------------------------------------------------- 2. no credential in clear

  @Test
  void imapRefusesAuthenticateBeforeStartTls() throws Exception {
    // LOGIN before STARTTLS is checked by GatewayListenersTest; AUTHENTICATE is the other way in.
    try (Socket s = new Socket("127.0.0.1", ports.imap())) {
      s.setSoTimeout(10_000);
      var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      Writer out = new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
      assertThat(in.readLine()).startsWith("* OK");
      String caps = command(in, out, "a1", "CAPABILITY");
      assertThat(caps).contains("LOGINDISABLED").doesNotContain("AUTH=PLAIN");
      out.write("a2 AUTHENTICATE PLAIN\r\n");
      out.flush();
      String first = in.readLine();
      String answer = first + "\n";
      if (first.startsWith("+")) { // a continuation would mean it takes the credentials in clear
        out.write(plain(A) + "\r\n");
        out.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          answer += line + "\n";
          if (line.startsWith("a2 ")) {
            break;
          }
        }
      }
      assertThat(answer).doesNotContain("a2 OK").containsPattern("a2 (NO|BAD)");
      // Nothing is reachable on the clear connection afterwards either.
      assertThat(command(in, out, "a3", "SELECT INBOX")).containsPattern("a3 (NO|BAD)");
    }
  }

  @Test
  void theOperatorPortOffersNoAuthAndRefusesItInClear() throws Exception {
    try (Socket s = new Socket("127.0.0.1", ports.smtp())) {
      s.setSoTimeout(10_000);
      var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      Writer out = new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
      assertThat(smtpReply(in)).startsWith("220");
      out.write("EHLO client.test\r\n");
      out.flush();
      assertThat(smtpReply(in)).contains("STARTTLS").doesNotContain("AUTH");
      out.write("AUTH PLAIN " + plain(A) + "\r\n");
      out.flush();
      assertThat(smtpReply(in)).matches("(?s)^5\\d\\d .*");
    }
  }

  // ---------------------------------------------------------------- 3. mailbox isolation

  @Test
  void overImapAUserReachesNothingOfAnotherMailbox() throws Exception {
    String secret = "courrier-de-B-" + UUID.randomUUID();
    String mine = "courrier-de-A-" + UUID.randomUUID();
    sendPlain(B, B, secret);
    sendPlain(A, A, mine);
    try (ImapSession b = imaps(B)) {
      assertThat(b.awaitSubject(secret)).as("control: B reads its own message").isTrue();
      // Control: the server implements ACL, so a refusal below is the ACL check, not a missing command.
      assertThat(b.command("GETACL INBOX")).containsPattern("(?m)^\\S+ OK");
    }
    ImapProbe a = new ImapProbe(A);
    try {
      String list = a.attempt("LIST \"\" \"*\"") + a.attempt("LIST \"\" \"%\"") + a.attempt("LIST \"#user\" \"*\"")
          + a.attempt("LIST \"\" \"#user.*\"") + a.attempt("LIST \"\" \"Other Users*\"") + a.attempt("LSUB \"\" \"*\"");
      assertThat(list).doesNotContainIgnoringCase("dr.martin");
      List<String> names = List.of("#user." + B + ".INBOX", "#user." + B, "#user.dr.martin.INBOX",
          "#private." + B + ".INBOX", "Other Users/" + B + "/INBOX", "Other Users." + B + ".INBOX",
          "../" + B + "/INBOX", "../../" + B + "/INBOX", "#shared.INBOX", "#public.INBOX", "~" + B + "/INBOX");
      for (String name : names) {
        String quoted = "\"" + name + "\"";
        for (String cmd : List.of("SELECT " + quoted, "EXAMINE " + quoted, "STATUS " + quoted + " (MESSAGES UNSEEN)",
            "GETACL " + quoted, "MYRIGHTS " + quoted, "SETACL " + quoted + " " + A + " lrswipkxtea",
            "DELETEACL " + quoted + " " + B, "RENAME " + quoted + " \"stolen\"", "DELETE " + quoted)) {
          String answer = a.attempt(cmd);
          assertThat(answer).as(cmd + " -> " + answer).doesNotContainPattern("(?m)^\\S+ OK")
              .doesNotContain(secret).doesNotContainPattern("\\* \\d+ EXISTS");
        }
        // "#private.<B>..." is a name in A's own namespace, where A may create: these are judged by
        // their effect, checked from B's side below (nothing planted in B's mailboxes).
        for (String cmd : List.of("CREATE \"" + name + ".planted\"", "CREATE \"" + name + "/planted\"",
            "APPEND " + quoted + " {7+}\r\nplanted")) {
          a.attempt(cmd);
        }
      }
      // A's own INBOX holds nothing of B's, whatever is fetched.
      assertThat(a.attempt("SELECT INBOX")).containsPattern("(?m)^\\S+ OK");
      assertThat(a.session.awaitSubject(mine)).isTrue();
      // Nor can A put its own mail into B's mailbox (selected again each time: a denial hangs up).
      // Only "#user.<B>.INBOX" names B's INBOX; the other names are folders A may have created in
      // its own namespace above, judged by the effect seen from B's side below.
      for (String target : List.of("#user." + B + ".INBOX", "Other Users/" + B + "/INBOX", "../" + B + "/INBOX")) {
        for (String cmd : List.of("UID COPY 1:* \"" + target + "\"", "UID MOVE 1:* \"" + target + "\"")) {
          assertThat(a.attempt("SELECT INBOX")).containsPattern("(?m)^\\S+ OK");
          String answer = a.attempt(cmd);
          if (target.startsWith("#user.")) {
            assertThat(answer).as(cmd).doesNotContainPattern("(?m)^\\S+ OK");
          }
        }
      }
      a.attempt("SELECT INBOX");
      assertThat(a.attempt("UID FETCH 1:* (BODY.PEEK[])")).doesNotContain(secret);
      assertThat(a.attempt("UID SEARCH TEXT \"" + secret + "\"")).containsPattern("(?m)^\\* SEARCH\\s*$");
    } finally {
      a.close();
    }
    System.out.println("IMAP commands on which the server closed the connection: " + a.disconnects);
    // James answers a denied access to another user's mailbox by closing the connection: each hang-up
    // above must be that ACL denial, not some other failure that would prove nothing.
    long denials = logs.list.stream().filter(e -> e.getThrowableProxy() != null
        && e.getThrowableProxy().getClassName().endsWith("DeniedAccessOnSharedMailboxException")).count();
    assertThat(denials).as("ACL denials logged for " + a.disconnects).isGreaterThanOrEqualTo(a.disconnects.size());
    try (ImapSession b = imaps(B)) {
      // None of A's SETACL attempts left a right behind on B's INBOX, B's message is still there and
      // nothing of A's was planted.
      assertThat(b.command("GETACL INBOX")).doesNotContain(A);
      assertThat(b.awaitSubject(secret)).isTrue();
      assertThat(b.command("UID FETCH 1:* (BODY.PEEK[])")).doesNotContain(mine).doesNotContain("planted");
      assertThat(b.command("LIST \"\" \"*\"")).doesNotContain("planted");
    }
  }

  @Test
  void overRestATokenReachesNothingOfAnotherMailbox() throws Exception {
    String secret = "lettre-pour-B-" + UUID.randomUUID();
    sendPlain(B, B, secret);
    long uid = awaitUid(B, tokenB, secret);
    String bWebhook = JSON.readTree(post("/api/v1/webhooks", tokenB,
        "{\"url\":\"https://agenda.test/b\",\"events\":[\"message.received\"]}").body()).get("id").asText();
    HttpResponse<String> submitted = submit(tokenB, metadata(B, B));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    String bSubmission = JSON.readTree(submitted.body()).get("id").asText();

    List<String> paths = new ArrayList<>();
    for (String mailbox : List.of(B, B.toUpperCase(java.util.Locale.ROOT), "Dr.Martin@Hopital.Test",
        B.replace("@", "%40"), A + "%2F..%2F" + B, A + "%2f..%2f" + B,
        B + "%00", "%20" + B, B + "%20", A + "," + B, "*")) {
      String root = "/api/v1/mailboxes/" + mailbox + "/messages";
      paths.addAll(List.of(root, root + "/" + uid, root + "/" + uid + "/raw", root + "/" + uid + "/attachments/0"));
    }
    paths.addAll(List.of("/api/v1/mailboxes/" + A + "/../" + B + "/messages",
        "/api/v1/mailboxes/" + A + "/%2e%2e/" + B + "/messages",
        "/api/v1/mailboxes/" + A + "/messages/../../" + B + "/messages/" + uid + "/raw",
        "/api/v1/messages/" + bSubmission, "/api/v1/messages/" + bSubmission.toUpperCase(java.util.Locale.ROOT),
        "/api/v1/webhooks/" + bWebhook, "/api/v1/admin/tokens", "/api/v1/admin/mailboxes"));
    Map<String, String> forged = Map.of("X-Pont-Mailbox", B, "X-Forwarded-User", B, "X-Remote-User", B,
        "X-Original-URL", "/api/v1/mailboxes/" + A + "/messages", "X-Forwarded-For", "127.0.0.1");
    for (String path : paths) {
      for (Map<String, String> headers : List.of(Map.<String, String>of(), forged)) {
        HttpResponse<String> r = send("GET", path, tokenA, null, headers);
        assertThat(r.statusCode()).as("GET " + path + " " + headers + " -> " + r.body()).isIn(400, 403, 404);
        assertThat(r.body()).as(path).doesNotContain(secret).doesNotContain("agenda.test/b");
      }
    }
    // Nothing is changed on B's behalf either.
    assertThat(send("DELETE", "/api/v1/webhooks/" + bWebhook, tokenA, null, forged).statusCode()).isEqualTo(404);
    assertThat(post("/api/v1/webhooks", tokenA,
        "{\"url\":\"https://evil.test/x\",\"events\":[\"message.received\"],\"mailbox\":\"" + B + "\"}").statusCode()).isEqualTo(403);
    assertThat(submit(tokenA, metadata(B, A)).statusCode()).isEqualTo(403);
    assertThat(post("/api/v1/admin/tokens", tokenA, "{\"mailbox\":\"" + B + "\",\"scopes\":[\"read\"]}").statusCode()).isEqualTo(403);
    assertThat(send("DELETE", "/api/v1/admin/tokens/x", tokenA, null, Map.of()).statusCode()).isEqualTo(403);
    assertThat(send("POST", "/api/v1/directory/import", tokenA, "[]", Map.of("Content-Type", "application/json")).statusCode())
        .isEqualTo(403);
    // Control: B's own token does reach all of it, so the refusals above are the mailbox check.
    assertThat(get("/api/v1/mailboxes/" + B + "/messages/" + uid + "/raw", tokenB).body()).contains(secret);
    assertThat(get("/api/v1/messages/" + bSubmission, tokenB).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/webhooks/" + bWebhook, tokenB).statusCode()).isEqualTo(200);
  }

  @Test
  void anExpiredOrRevokedTokenCanDoNothing() throws Exception {
    String secret = "pour-jetons-" + UUID.randomUUID();
    sendPlain(B, B, secret);
    long uid = awaitUid(B, tokenB, secret);
    JsonNode made = JSON.readTree(post("/api/v1/admin/tokens", admin,
        "{\"mailbox\":\"" + B + "\",\"scopes\":[\"send\",\"read\"]}").body());
    String revoked = made.get("token").asText();
    assertThat(get("/api/v1/mailboxes/" + B + "/messages", revoked).statusCode()).as("control").isEqualTo(200);
    assertThat(send("DELETE", "/api/v1/admin/tokens/" + made.get("id").asText(), admin, null, Map.of()).statusCode())
        .isEqualTo(200);
    String expired = org.pont.gateway.security.TokenStore.in(data).create(B,
        java.util.EnumSet.of(org.pont.gateway.security.Scope.SEND, org.pont.gateway.security.Scope.READ),
        java.time.Duration.ofMillis(1)).bearer();
    String expiredAdmin = org.pont.gateway.security.TokenStore.in(data).create("*",
        java.util.EnumSet.of(org.pont.gateway.security.Scope.ADMIN), java.time.Duration.ofMillis(1)).bearer();
    Thread.sleep(20);
    for (String dead : List.of(revoked, expired, expiredAdmin)) {
      for (String path : List.of("/api/v1/mailboxes/" + B + "/messages", "/api/v1/mailboxes/" + B + "/messages/" + uid + "/raw",
          "/api/v1/webhooks", "/api/v1/admin/tokens", "/api/v1/directory?q=martin", "/prometheus")) {
        HttpResponse<String> r = get(path, dead);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(401);
        assertThat(r.body()).doesNotContain(secret);
      }
      assertThat(submit(dead, metadata(B, A)).statusCode()).isEqualTo(401);
      assertThat(post("/api/v1/webhooks", dead, "{\"url\":\"https://x.test/\",\"events\":[\"message.received\"]}").statusCode())
          .isEqualTo(401);
      assertThat(post("/api/v1/admin/tokens", dead, "{\"mailbox\":\"" + B + "\",\"scopes\":[\"read\"]}").statusCode())
          .isEqualTo(401);
    }
  }

  // ---------------------------------------------------------------- 4. no patient data at rest or in logs

  @Test
  void theAuditTrailWebhookFilesAndLogsHoldNoPatientData() throws Exception {
    JsonNode hook = JSON.readTree(post("/api/v1/webhooks", tokenB, "{\"url\":\"http://127.0.0.1:"
        + receiver.getAddress().getPort() + "/b\",\"events\":[\"message.received\",\"message.status\"]}").body());
    assertThat(hook.has("id")).as(hook.toString()).isTrue();
    JsonNode hookA = JSON.readTree(post("/api/v1/webhooks", tokenA, "{\"url\":\"http://127.0.0.1:"
        + receiver.getAddress().getPort() + "/a\",\"events\":[\"message.status\"]}").body());
    assertThat(hookA.has("id")).as(hookA.toString()).isTrue();
    int logsBefore = logs.list.size();

    // Through REST: a coordination message about the patient, delivered to B.
    HttpResponse<String> r = submit(tokenA, metadata(A, B));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    String messageId = JSON.readTree(r.body()).get("messageId").asText();
    awaitUid(B, tokenB, JSON.readTree(r.body()).get("messageId").asText(), true);

    // Through SMTP submission: signed and encrypted by the client library, patient in subject and body.
    sendSigned(B, A, "Patiente " + FAMILY + " " + SUBJECT_WORD, patientText());
    try (ImapSession a = imaps(A)) {
      assertThat(a.awaitSubject(SUBJECT_WORD)).isTrue();
    }

    // Through the operator port: unsigned, so quarantined with its reason.
    String quarantined = "Dossier " + FAMILY + " " + SUBJECT_WORD + " non signe";
    sendToOperatorPort(quarantined);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    boolean inQuarantine = false;
    while (!inQuarantine && System.nanoTime() < deadline) {
      try {
        inQuarantine = gateway.james().james().probe(org.pont.gateway.mailet.QuarantineProbe.class).list().stream()
            .anyMatch(e -> e.sender().equals("expediteur@hopital.test") && e.reason().equals("UNSIGNED"));
      } catch (Exception e) {
        // The repository refuses a read while the mail is still being stored ("Cannot lock"): retry.
      }
      Thread.sleep(200);
    }
    assertThat(inQuarantine).as("the unsigned message is quarantined").isTrue();

    // Webhook deliveries are written before they are sent: wait for them to be sent.
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (hookBodies.stream().noneMatch(b -> b.contains(messageId)) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(hookBodies).as("a webhook about the REST message was sent").anyMatch(b -> b.contains(messageId));

    List<Path> audit = files(data.resolve("audit"));
    assertThat(audit).as("audit files").isNotEmpty();
    String auditText = concat(audit);
    // Control: the audit trail did record these messages (so an empty scan is not the reason it passes).
    assertThat(auditText).contains(stripBrackets(messageId)).contains("UNSIGNED");
    assertNoPatientData("audit trail", auditText);
    List<Path> webhookFiles = files(data.resolve("webhooks"));
    assertThat(webhookFiles).as("webhook files").isNotEmpty();
    assertNoPatientData("webhook files", concat(webhookFiles));
    assertNoPatientData("webhook payloads sent", String.join("\n", hookBodies));
    StringBuilder logText = new StringBuilder();
    for (var e : logs.list.subList(0, logs.list.size())) {
      logText.append(e.getFormattedMessage()).append('\n');
      for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        logText.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
      }
    }
    assertThat(logs.list.size()).as("the gateway logged while handling these messages").isGreaterThan(logsBefore);
    assertNoPatientData("log output", logText.toString());
  }

  private static void assertNoPatientData(String where, String text) {
    for (String s : List.of(FAMILY, GIVEN, BIRTH, BIRTH.replace("-", ""), "04/11/1967", INS, INS.substring(0, 13),
        SUBJECT_WORD, BODY_WORD)) {
      assertThat(text).as(where + " holds '" + s + "'").doesNotContainIgnoringCase(s);
    }
  }

  private static String stripBrackets(String messageId) {
    return messageId.replaceAll("^<|>$", "");
  }

  private static List<Path> files(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  private static String concat(List<Path> files) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (Path f : files) {
      // ISO-8859-1 reads any bytes; gzip or other encodings would hide text, so refuse them.
      byte[] bytes = Files.readAllBytes(f);
      assertThat(bytes.length > 1 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b)
          .as(f + " is compressed: scan it uncompressed").isFalse();
      sb.append(f).append('\n').append(new String(bytes, StandardCharsets.UTF_8)).append('\n');
    }
    return sb.toString();
  }

  private static String patientText() {
    return "Mme " + GIVEN + " " + FAMILY + ", nee le 04/11/1967 (" + BIRTH + "), INS " + INS + ".\r\n"
        + "Bilan : " + BODY_WORD + ".\r\n";
  }

  // ---------------------------------------------------------------- helpers

  private String token(String mailbox, String... scopes) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("mailbox", mailbox);
    for (String s : scopes) {
      body.withArray("scopes").add(s);
    }
    HttpResponse<String> r = post("/api/v1/admin/tokens", admin, body.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("token").asText();
  }

  static ObjectNode metadata(String sender, String... recipients) {
    ObjectNode m = JSON.createObjectNode();
    m.put("sender", sender);
    for (String r : recipients) {
      m.withArray("recipients").add(r);
    }
    ObjectNode p = m.putObject("patient");
    p.put("ins", INS).put("oid", "1.2.250.1.213.1.4.10").put("familyName", FAMILY).put("birthDate", BIRTH).put("sex", "F");
    p.putArray("givenNames").add(GIVEN);
    m.put("documentType", "11490-0");
    m.put("title", "Lettre de liaison");
    m.put("subject", "Sortie de Mme " + FAMILY + " " + SUBJECT_WORD);
    m.put("body", "Bonjour, " + BODY_WORD + " chez Mme " + FAMILY + ".");
    return m;
  }

  private HttpResponse<String> submit(String token, ObjectNode metadata) throws Exception {
    String boundary = "pont" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.write(metadata.toString().getBytes(StandardCharsets.UTF_8));
    body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"lettre.pdf\"\r\n"
        + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .getBytes(StandardCharsets.US_ASCII));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return send("GET", path, token, null, Map.of());
  }

  private HttpResponse<String> post(String path, String token, String json) throws Exception {
    return send("POST", path, token, json, Map.of("Content-Type", "application/json"));
  }

  private HttpResponse<String> send(String method, String path, String token, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private long awaitUid(String mailbox, String token, String text) throws Exception {
    return awaitUid(mailbox, token, text, false);
  }

  private long awaitUid(String mailbox, String token, String text, boolean inRaw) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonNode list = JSON.readTree(get("/api/v1/mailboxes/" + mailbox + "/messages", token).body());
      for (JsonNode row : list.get("messages")) {
        long uid = row.get("uid").asLong();
        if (get("/api/v1/mailboxes/" + mailbox + "/messages/" + uid + "/raw", token).body().contains(text)) {
          return uid;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(text + " never reached " + mailbox);
  }

  private String plain(String user) {
    return Base64.getEncoder().encodeToString(("\0" + user + "\0" + credentials.getProperty(user))
        .getBytes(StandardCharsets.UTF_8));
  }

  private void sendPlain(String from, String to, String subject) throws Exception {
    Session session = Session.getInstance(mailProperties(false));
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject(subject);
    m.setText("hello " + subject);
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", ports.submission(), from, credentials.getProperty(from));
      t.sendMessage(m, m.getAllRecipients());
    }
  }

  private void sendSigned(String from, String to, String subject, String text) throws Exception {
    Path pki = data.resolve("pki");
    char[] pkiPassword = Files.readString(pki.resolve("password.txt")).strip().toCharArray();
    PkiFolder folder = PkiFolder.at(pki);
    KeyCredential signing = KeyCredential.fromPkcs12(folder.personPkcs12(from, Usage.SIGNATURE), pkiPassword);
    // The demo PKI gives only the sender an encryption certificate: encrypt to it, as GatewayListenersTest does.
    KeyCredential recipient = KeyCredential.fromPkcs12(folder.personPkcs12(from, Usage.ENCRYPTION), pkiPassword);
    SecureMessaging smime = SecureMessaging.builder().signingKey(signing).trust(TrustAnchors.fromDirectory(pki)).build();
    Session session = Session.getInstance(mailProperties(false));
    MimeMessage plain = new MimeMessage(session);
    plain.setFrom(new InternetAddress(from));
    plain.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    plain.setSubject(subject, "UTF-8");
    plain.setText(text, "UTF-8");
    plain.saveChanges();
    MimeMessage protectedMessage = smime.signAndEncrypt(plain, List.of(recipient.certificate()));
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", ports.submission(), from, credentials.getProperty(from));
      t.sendMessage(protectedMessage, protectedMessage.getAllRecipients());
    }
  }

  private void sendToOperatorPort(String subject) throws Exception {
    Session session = Session.getInstance(mailProperties(true));
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("expediteur@hopital.test"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(A));
    m.setSubject(subject, "UTF-8");
    m.setText(patientText(), "UTF-8");
    try (Transport t = session.getTransport("smtp")) {
      t.connect("127.0.0.1", ports.smtp(), null, null);
      t.sendMessage(m, m.getAllRecipients());
    }
  }

  private Properties mailProperties(boolean operator) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.auth", String.valueOf(!operator));
    p.put("mail.smtp.ssl.socketFactory", sslContext(operator).getSocketFactory());
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.timeout", "10000");
    p.put("mail.smtp.connectiontimeout", "10000");
    return p;
  }

  private SSLContext sslContext(boolean withClientCertificate) throws Exception {
    if (!withClientCertificate) {
      return PkiHttps.context(data.resolve("pki/trust-anchors.pem"));
    }
    char[] password = Files.readString(data.resolve("pki/password.txt")).strip().toCharArray();
    java.security.KeyStore client = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(PkiFolder.at(data.resolve("pki")).organisationPkcs12("hopital.test", Usage.TLS_CLIENT))) {
      client.load(in, password);
    }
    var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(client, password);
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (var c : PkiFolder.readCertificates(data.resolve("pki/trust-anchors.pem"))) {
      trust.setCertificateEntry("anchor-" + i++, c);
    }
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private ImapSession imaps(String user) throws Exception {
    SSLSocket s = (SSLSocket) sslContext(false).getSocketFactory().createSocket("127.0.0.1", ports.imaps());
    s.setSoTimeout(10_000);
    ImapSession session = new ImapSession(s);
    assertThat(session.in.readLine()).startsWith("* OK");
    assertThat(session.command("LOGIN \"" + user + "\" \"" + credentials.getProperty(user) + "\""))
        .containsPattern("(?m)^\\S+ OK");
    return session;
  }

  /** An IMAP session that logs in again when the server hangs up on a probe (which refuses it too). */
  private final class ImapProbe implements AutoCloseable {
    final String user;
    final List<String> disconnects = new ArrayList<>();
    ImapSession session;

    ImapProbe(String user) throws Exception {
      this.user = user;
      this.session = imaps(user);
    }

    String attempt(String cmd) throws Exception {
      try {
        return session.command(cmd);
      } catch (java.io.IOException e) {
        disconnects.add(cmd);
        session.socket.close();
        session = imaps(user);
        return "DISCONNECTED";
      }
    }

    @Override
    public void close() throws Exception {
      session.close();
    }
  }

  /** A raw IMAP conversation: the checks need the server's exact answers, not a client library's view. */
  private static final class ImapSession implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final Writer out;
    int tag;

    ImapSession(Socket socket) throws Exception {
      this.socket = socket;
      this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      this.out = new java.io.OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    }

    String command(String command) throws Exception {
      return SecurityChecksTest.command(in, out, "t" + ++tag, command);
    }

    boolean awaitSubject(String text) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        command("EXAMINE INBOX");
        if (command("UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])").contains(text)) {
          return true;
        }
        Thread.sleep(200);
      }
      return false;
    }

    @Override
    public void close() throws Exception {
      try {
        command("LOGOUT");
      } catch (Exception e) {
        // the server may close first
      }
      socket.close();
    }
  }

  private static String command(BufferedReader in, Writer out, String tag, String command) throws Exception {
    out.write(tag + " " + command + "\r\n");
    out.flush();
    StringBuilder sb = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      sb.append(line).append('\n');
      if (line.startsWith(tag + " ")) {
        return sb.toString();
      }
    }
    throw new java.io.EOFException("connection closed before " + tag + " completed: " + sb);
  }

  private static String smtpReply(BufferedReader in) throws Exception {
    StringBuilder sb = new StringBuilder();
    String line;
    do {
      line = in.readLine();
      sb.append(line).append('\n');
    } while (line != null && line.length() > 3 && line.charAt(3) == '-');
    return sb.toString();
  }
}
