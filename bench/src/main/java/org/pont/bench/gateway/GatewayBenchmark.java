package org.pont.bench.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.pont.bench.SampleMessages;
import org.pont.certs.PkiFolder;
import org.pont.certs.TestPki;
import org.pont.certs.Usage;
import org.pont.gateway.directory.WhitelistFile;
import org.pont.gateway.Gateway;
import org.pont.gateway.james.BoundPorts;
import org.pont.gateway.james.PlainJamesForBench;

/**
 * Gateway benchmark (issue 4), a plain main, not part of the tests. In one run it starts child JVMs
 * with the same options: the Pont gateway of hopital.test (in-memory storage, REST API), a plain
 * James of the same version and storage whose pipeline only does LocalDelivery, and (unless
 * {@code --remote false}) a second Pont gateway, cabinet.test, sharing one test PKI and whitelist
 * with the first. For each payload size it sends N messages carrying a PDF of that size, to four
 * targets in turn: {@code plain}, plain James given a MIME message with the PDF over SMTP
 * submission (STARTTLS, AUTH); {@code plain-mss}, plain James given the MSSanté message Pont
 * builds for the same call, unsigned; {@code gateway}, {@code POST /api/v1/messages} for a local
 * mailbox (the gateway builds the CDA and XDM, signs, then verifies and opens the local copy);
 * {@code gateway-remote}, the same call for a mailbox at cabinet.test (signed and encrypted for
 * it, relayed over mutual TLS, decrypted, verified and opened there). A message counts as done
 * when an IMAPS session on the recipient's INBOX sees its Message-ID. It reports throughput,
 * latency (submission start → seen in the mailbox) and each process's heap and RSS.
 *
 * <p>Arguments: {@code [--sizes 10240:200,1048576:30] [--clients 4] [--warmup 60] [--child-opts "-Xms4g -Xmx4g -XX:+AlwaysPreTouch"] [--remote true|false]
 * [--jfr FILE] [--https true|false]} ({@code --jfr}: JFR recording of the gateway child; {@code --https}
 * overrides the gateway's default for the REST API). The REST scheme actually served is found by
 * trying HTTPS with the gateway's trust anchors first, then HTTP.
 */
public final class GatewayBenchmark {
  static final String DOMAIN = "hopital.test";
  static final String SENDER = "bench.secretariat@" + DOMAIN; // not the demo users, whose passwords are generated
  static final String RECIPIENT = "bench.doctor@" + DOMAIN;
  /** The remote target: a physiotherapist at another operator, a second gateway. */
  static final String REMOTE_DOMAIN = "cabinet.test";
  static final String REMOTE_RECIPIENT = "bench.kine@" + REMOTE_DOMAIN;
  static final String PASSWORD = "bench-" + UUID.randomUUID();
  static final String INS = "279035121518989";
  static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    String role = arg(args, "--role", "driver");
    switch (role) {
      case "gateway" -> gatewayChild(Path.of(arg(args, "--data", null)), arg(args, "--https", "default"),
          arg(args, "--domain", DOMAIN), arg(args, "--smtp-port", "0"), arg(args, "--routes", ""),
          List.of(arg(args, "--users", SENDER + "," + RECIPIENT).split(",")));
      case "plain" -> plainChild(Path.of(arg(args, "--data", null)));
      default -> driver(args);
    }
  }

  // ------------------------------------------------------------------ children

  /** The gateway, as the gateway tests start it; prints READY with what the driver needs, then waits for commands. */
  static void gatewayChild(Path data, String https, String domain, String smtpPort, String routes, List<String> users) throws Exception {
    Map<String, Object> props = new java.util.HashMap<>(Map.of(
        "pont.data", data.toString(),
        "pont.storage", "memory",
        "pont.domain", domain,
        "pont.ports.smtp", smtpPort, "pont.ports.submission", "0", "pont.ports.imap", "0", "pont.ports.imaps", "0",
        "micronaut.server.port", "-1", "micronaut.server.ssl.port", "-1",
        "pont.api.max-message-size", "20000000"));
    if (!https.equals("default")) { // otherwise the gateway's own default (HTTP or HTTPS) is measured
      props.put("micronaut.server.ssl.enabled", https);
    }
    if (!routes.isEmpty()) {
      props.put("pont.relay.routes", routes);
      props.put("pont.relay.retry-delays", "1s");
    }
    Gateway gateway = Gateway.start(props, Optional.empty());
    var james = gateway.james().james();
    for (String u : users) {
      james.addUser(u, PASSWORD);
    }
    BoundPorts p = james.ports();
    System.out.println("READY " + JSON.createObjectNode().put("http", gateway.httpPort()).put("imaps", p.imaps())
        .put("submission", p.submission()).put("password", PASSWORD).put("pid", ProcessHandle.current().pid()));
    serveCommands(gateway::close);
  }

  static void plainChild(Path data) throws Exception {
    PlainJamesForBench james = PlainJamesForBench.start(data, DOMAIN, PASSWORD, SENDER, RECIPIENT);
    BoundPorts p = james.ports();
    System.out.println("READY " + JSON.createObjectNode().put("imaps", p.imaps()).put("submission", p.submission())
        .put("password", PASSWORD).put("pid", ProcessHandle.current().pid()));
    serveCommands(james::close);
  }

  /** "stats" prints heap and RSS figures; "resetpeak" starts a new heap high-water mark; end of input stops. */
  static void serveCommands(Runnable stop) throws Exception {
    PrintStream out = System.out;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      switch (line.strip()) {
        case "stats" -> out.println("STATS " + memory());
        case "resetpeak" -> {
          System.gc();
          ManagementFactory.getMemoryPoolMXBeans().stream().filter(m -> m.getType() == MemoryType.HEAP)
              .forEach(MemoryPoolMXBean::resetPeakUsage);
          out.println("OK");
        }
        default -> out.println("?");
      }
      out.flush();
    }
    stop.run();
    System.exit(0);
  }

  static String memory() throws Exception {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.gc();
    Runtime rt = Runtime.getRuntime();
    String rss = "?";
    String hwm = "?";
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        rss = l.substring(6).strip();
      } else if (l.startsWith("VmHWM:")) {
        hwm = l.substring(6).strip();
      }
    }
    return String.format(Locale.ROOT, "heap peak %d MB (sum of pool peaks since reset), heap after GC %d MB, RSS %s, peak RSS %s",
        peak >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20, rss, hwm);
  }

  // ------------------------------------------------------------------ driver

  record Child(String name, Process process, JsonNode info, BufferedReader out, PrintStream in, Path data) {
    String command(String c) throws Exception {
      in.println(c);
      in.flush();
      String l;
      while ((l = out.readLine()) != null) {
        if (l.startsWith("STATS ") || l.equals("OK") || l.equals("?")) {
          return l;
        }
      }
      throw new IllegalStateException(name + " exited");
    }

    void stop() throws Exception {
      in.close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroy();
      }
    }
  }

  static Child startChild(String name, String role, List<String> jvmOpts, Path data, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOpts);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayBenchmark.class.getName(), "--role", role,
        "--data", data.toString()));
    cmd.addAll(List.of(extra));
    Path log = data.resolveSibling(name + ".log");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String l;
    while ((l = out.readLine()) != null) {
      if (l.startsWith("READY ")) {
        System.out.printf("%s started (pid %d), its log: %s%n", name, p.pid(), log);
        return new Child(name, p, JSON.readTree(l.substring(6)), out, new PrintStream(p.getOutputStream(), true,
            StandardCharsets.UTF_8), data);
      }
    }
    throw new IllegalStateException(name + " did not start; see " + log);
  }

  record Size(int bytes, int count) {}

  record Run(String target, Size size, double seconds, double[] latenciesMs) {
    double throughput() {
      return size.count / seconds;
    }

    double percentile(double p) {
      double[] s = latenciesMs.clone();
      Arrays.sort(s);
      return s[Math.min(s.length - 1, (int) Math.ceil(p * s.length) - 1)];
    }
  }

  static void driver(String[] args) throws Exception {
    List<Size> sizes = new ArrayList<>();
    for (String s : arg(args, "--sizes", "10240:200,1048576:30").split(",")) {
      String[] kv = s.split(":");
      sizes.add(new Size(Integer.parseInt(kv[0]), Integer.parseInt(kv[1])));
    }
    int clients = Integer.parseInt(arg(args, "--clients", "4"));
    int warmup = Integer.parseInt(arg(args, "--warmup", "60"));
    List<String> childOpts = new ArrayList<>(List.of(arg(args, "--child-opts", "-Xms4g -Xmx4g -XX:+AlwaysPreTouch").split(" ")));
    childOpts.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
    String jfr = arg(args, "--jfr", null);
    System.out.printf("JVM %s, %d CPUs, load average %.2f, child JVM options %s, %d client threads%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), load(), childOpts, clients);

    boolean remote = Boolean.parseBoolean(arg(args, "--remote", "true"));
    Path work = Files.createTempDirectory("pont-gateway-bench");
    int hospitalSmtp = freePort();
    int clinicSmtp = freePort();
    if (remote) {
      trustSpace(work.resolve("gateway"), work.resolve("clinic"));
    }
    List<String> gatewayOpts = new ArrayList<>(childOpts);
    if (jfr != null) {
      gatewayOpts.add("-XX:StartFlightRecording=filename=" + jfr); // default settings: low overhead
    }
    long t0 = System.nanoTime();
    Child gateway = startChild("gateway", "gateway", gatewayOpts, work.resolve("gateway"), "--https", arg(args, "--https", "default"),
        "--smtp-port", String.valueOf(hospitalSmtp), "--routes", remote ? REMOTE_DOMAIN + "=127.0.0.1:" + clinicSmtp : "");
    System.out.printf("gateway start %.1f s%n", (System.nanoTime() - t0) / 1e9);
    Child clinic = null;
    if (remote) {
      List<String> clinicOpts = new ArrayList<>(childOpts);
      if (jfr != null) {
        clinicOpts.add("-XX:StartFlightRecording=filename=" + jfr.replaceFirst("(\\.jfr)?$", ".clinic.jfr"));
      }
      clinic = startChild("clinic", "gateway", clinicOpts, work.resolve("clinic"), "--https", arg(args, "--https", "default"),
          "--domain", REMOTE_DOMAIN, "--smtp-port", String.valueOf(clinicSmtp), "--routes", DOMAIN + "=127.0.0.1:" + hospitalSmtp,
          "--users", REMOTE_RECIPIENT);
    }
    t0 = System.nanoTime();
    Child plain = startChild("plain", "plain", childOpts, work.resolve("plain"));
    System.out.printf("plain James start %.1f s%n", (System.nanoTime() - t0) / 1e9);
    try {
      Rest rest = Rest.connect(gateway);
      Smtp smtp = new Smtp(plain);
      List<Run> runs = new ArrayList<>();
      for (Size size : sizes) {
        byte[] pdf = SampleMessages.pdf(size.bytes, new SplittableRandom(size.bytes));
        // The second baseline: the MSSanté message the gateway builds from the same REST call (CDA
        // level 1 with the PDF, XDM zip, the PDF attached too), unsigned, sent to plain James as is:
        // "the same messages with no policy". Built once; each send gives it a new Message-ID.
        byte[] mssante = SampleMessages.mssanteMessage(pdf, SENDER, RECIPIENT, INS, smtp.session);
        // Warm-up every path at this size (JIT, connection pools), then measure them back to back.
        send("plain", plain, RECIPIENT, new Size(size.bytes, warmup), clients, i -> smtp.send(pdf, i));
        send("plain-mss", plain, RECIPIENT, new Size(size.bytes, warmup), clients, i -> smtp.sendRaw(mssante, i));
        send("gateway", gateway, RECIPIENT, new Size(size.bytes, warmup), clients, i -> rest.send(pdf, RECIPIENT, i));
        if (clinic != null) {
          send("gateway-remote", clinic, REMOTE_RECIPIENT, new Size(size.bytes, warmup), clients, i -> rest.send(pdf, REMOTE_RECIPIENT, i));
        }
        List<Child> children = clinic == null ? List.of(plain, gateway) : List.of(plain, gateway, clinic);
        for (Child c : children) {
          c.command("resetpeak");
        }
        double before = load();
        Run p = send("plain", plain, RECIPIENT, size, clients, i -> smtp.send(pdf, i));
        Run pm = send("plain-mss", plain, RECIPIENT, size, clients, i -> smtp.sendRaw(mssante, i));
        Run g = send("gateway", gateway, RECIPIENT, size, clients, i -> rest.send(pdf, RECIPIENT, i));
        List<Run> these = new ArrayList<>(List.of(p, pm, g));
        if (clinic != null) {
          these.add(send("gateway-remote", clinic, REMOTE_RECIPIENT, size, clients, i -> rest.send(pdf, REMOTE_RECIPIENT, i)));
        }
        runs.addAll(these);
        System.out.printf(Locale.ROOT, "size %d B: load average %.2f before, %.2f after; the MSSanté message is %d bytes%n", size.bytes,
            before, load(), mssante.length);
        for (Run r : these) {
          System.out.printf(Locale.ROOT, "  %-14s %3d msgs in %6.2f s: %7.2f msg/s, latency p50 %7.1f ms, p99 %7.1f ms%n", r.target,
              r.size.count, r.seconds, r.throughput(), r.percentile(0.50), r.percentile(0.99));
        }
        for (Run r : these.subList(2, these.size())) {
          System.out.printf(Locale.ROOT, "  ratio %s/plain throughput %.2f, p50 latency %.2fx%n", r.target, r.throughput() / p.throughput(),
              r.percentile(0.5) / p.percentile(0.5));
          System.out.printf(Locale.ROOT, "  ratio %s/plain with the same MSSanté message throughput %.2f, p50 latency %.2fx%n", r.target,
              r.throughput() / pm.throughput(), r.percentile(0.5) / pm.percentile(0.5));
        }
        for (Child c : children) {
          System.out.printf("  %-8s %s%n", c.name, c.command("stats").substring(6));
        }
      }
      System.out.println("RESULT size,target,messages,seconds,msg_per_s,p50_ms,p99_ms");
      for (Run r : runs) {
        System.out.printf(Locale.ROOT, "RESULT %d,%s,%d,%.2f,%.2f,%.1f,%.1f%n", r.size.bytes, r.target, r.size.count, r.seconds,
            r.throughput(), r.percentile(0.5), r.percentile(0.99));
      }
      System.out.printf("load average at the end %.2f%n", load());
    } finally {
      gateway.stop();
      if (clinic != null) {
        clinic.stop();
      }
      plain.stop();
    }
  }

  interface Sender {
    /** Submits message {@code i}; returns its Message-ID as it will appear in the mailbox. */
    String send(int i) throws Exception;
  }

  /** Sends size.count messages from {@code clients} threads and waits until all are in the recipient's INBOX. */
  static Run send(String target, Child server, String recipient, Size size, int clients, Sender sender) throws Exception {
    Map<String, Long> submitted = new ConcurrentHashMap<>();
    Map<String, Long> seen = new ConcurrentHashMap<>();
    try (Poller poller = new Poller(server, recipient, seen)) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      AtomicInteger next = new AtomicInteger();
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        futures.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < size.count; i = next.getAndIncrement()) {
            long t = System.nanoTime();
            submitted.put(sender.send(i), t);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.MINUTES);
      }
      pool.shutdown();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (!seen.keySet().containsAll(submitted.keySet())) {
        poller.rethrowFailure(); // a dead poller sees nothing: stop now, with its error, not after the deadline
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(target + ": " + submitted.keySet().stream().filter(k -> !seen.containsKey(k)).count()
              + " messages never reached the mailbox");
        }
        Thread.sleep(5);
      }
      long end = submitted.keySet().stream().mapToLong(seen::get).max().orElseThrow();
      double[] lat = submitted.entrySet().stream().mapToDouble(e -> (seen.get(e.getKey()) - e.getValue()) / 1e6).toArray();
      return new Run(target, size, (end - start) / 1e9, lat);
    }
  }

  /** IMAPS on the recipient's INBOX: NOOP every few milliseconds, Message-ID of each new message → time first seen. */
  static final class Poller implements AutoCloseable {
    private final Store store;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;
    final AtomicInteger unreadable = new AtomicInteger();

    Poller(Child server, String recipient, Map<String, Long> seen) throws Exception {
      Properties props = new Properties();
      props.put("mail.imaps.ssl.socketFactory", trust(server.data).getSocketFactory());
      props.put("mail.imaps.ssl.checkserveridentity", "false"); // the certificate names the mail domain, not 127.0.0.1
      store = Session.getInstance(props).getStore("imaps");
      store.connect("127.0.0.1", server.info.get("imaps").asInt(), recipient, server.info.get("password").asText());
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      int already = inbox.getMessageCount();
      thread = new Thread(() -> {
        int known = already;
        try {
          while (running) {
            inbox.doCommand(p -> {
              p.noop(); // the server's EXISTS answers update the folder's message count
              return null;
            });
            int count = inbox.getMessageCount();
            if (count > known) {
              long now = System.nanoTime();
              Message[] fresh = inbox.getMessages(known + 1, count);
              FetchProfile fp = new FetchProfile();
              fp.add("Message-ID");
              inbox.fetch(fresh, fp);
              int upTo = count;
              for (Message m : fresh) {
                String[] id = m.getHeader("Message-ID");
                if (id == null) {
                  // Not readable yet (seen once in ~8 runs: a message counted by EXISTS whose headers
                  // came back empty, then never looked at again): look at it again next round.
                  upTo = m.getMessageNumber() - 1;
                  ((org.eclipse.angus.mail.imap.IMAPMessage) m).invalidateHeaders(); // else the empty answer stays cached
                  unreadable.incrementAndGet();
                  break;
                }
                seen.putIfAbsent(id[0].strip(), now);
              }
              known = upTo;
            } else {
              Thread.sleep(2);
            }
          }
        } catch (Exception e) {
          if (running) {
            failure = e;
            e.printStackTrace();
          }
        }
      }, "imap-poller");
      thread.setDaemon(true);
      thread.start();
    }

    /**
     * Deletes what this run delivered, after it is measured, so that every run starts on an empty
     * INBOX whatever ran before it. (It does not give the heap back: James's in-memory blob store
     * keeps message bytes after an expunge, about 1 GB after a 1 MB run; hence the 4 GB heaps.)
     */
    private void emptyInbox() throws MessagingException {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      if (inbox.getMessageCount() > 0) {
        inbox.setFlags(1, inbox.getMessageCount(), new Flags(Flags.Flag.DELETED), true);
      }
      inbox.close(true);
    }

    void rethrowFailure() throws Exception {
      if (failure != null) {
        throw new IllegalStateException("the IMAP poller stopped: " + failure, failure);
      }
    }

    @Override
    public void close() throws Exception {
      if (unreadable.get() > 0) {
        System.err.println("imap-poller: " + unreadable.get() + " new message(s) had no readable Message-ID at first sight");
      }
      running = false;
      thread.join(5000);
      emptyInbox();
      store.close();
      if (failure != null) {
        throw failure;
      }
    }
  }

  /**
   * One test PKI for both operators (as the e2e tests set them up): each data folder gets it, the
   * whitelist names both operators' TLS client DNs, and the hospital knows the clinic's encryption
   * certificate for the remote recipient, so what it sends there is signed and encrypted.
   */
  static void trustSpace(Path hospital, Path clinic) throws Exception {
    TestPki pki = TestPki.builder().domain(DOMAIN).domain(REMOTE_DOMAIN).build();
    char[] password = ("bench-" + UUID.randomUUID()).toCharArray();
    for (Path data : List.of(hospital, clinic)) {
      pki.writeTo(data.resolve("pki"), password);
      Files.writeString(data.resolve("pki/password.txt"), new String(password) + "\n");
      Path whitelist = data.resolve("whitelist.xml");
      WhitelistFile.createIfAbsent(whitelist, DOMAIN, operatorDn(pki, DOMAIN), "hospital");
      WhitelistFile.add(whitelist, REMOTE_DOMAIN, operatorDn(pki, REMOTE_DOMAIN), "clinic");
    }
    Files.createDirectories(hospital.resolve("certificates"));
    Files.copy(clinic.resolve("pki/domains/" + REMOTE_DOMAIN + "/encryption.cert.pem"),
        hospital.resolve("certificates/" + REMOTE_RECIPIENT + ".pem"));
  }

  static javax.security.auth.x500.X500Principal operatorDn(TestPki pki, String domain) {
    return pki.organisation(domain).credential(Usage.TLS_CLIENT).certificate().getSubjectX500Principal();
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static SSLContext trust(Path data) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    for (X509Certificate c : PkiFolder.readCertificates(data.resolve("pki/trust-anchors.pem"))) {
      ks.setCertificateEntry("anchor-" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** REST submissions: the base URL's scheme is found by trying HTTPS (gateway trust anchors) then HTTP. */
  static final class Rest {
    final HttpClient http;
    final String base;
    final String token;

    private Rest(HttpClient http, String base, String token) {
      this.http = http;
      this.base = base;
      this.token = token;
    }

    static Rest connect(Child gateway) throws Exception {
      // The certificate names the mail domain, not 127.0.0.1: trust the chain, skip the host name check.
      System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
      HttpClient http = HttpClient.newBuilder().sslContext(trust(gateway.data)).connectTimeout(Duration.ofSeconds(10)).build();
      String admin = Files.readString(gateway.data.resolve("admin-token.txt")).strip();
      int port = gateway.info.get("http").asInt();
      String base = null;
      for (String scheme : List.of("https", "http")) {
        try {
          http.send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding());
          base = scheme + "://127.0.0.1:" + port;
          break;
        } catch (java.io.IOException e) {
          // not this scheme
        }
      }
      if (base == null) {
        throw new IllegalStateException("the gateway's API answers neither HTTPS nor HTTP on port " + port);
      }
      System.out.println("REST API at " + base);
      ObjectNode body = JSON.createObjectNode().put("mailbox", SENDER);
      body.putArray("scopes").add("send");
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/tokens"))
          .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException("token: " + r.statusCode() + " " + r.body());
      }
      return new Rest(http, base, JSON.readTree(r.body()).get("token").asText());
    }

    String send(byte[] pdf, String recipient, int i) throws Exception {
      ObjectNode m = JSON.createObjectNode().put("sender", SENDER);
      m.putArray("recipients").add(recipient);
      ObjectNode p = m.putObject("patient");
      p.put("ins", INS).put("oid", "1.2.250.1.213.1.4.10").put("familyName", "Pat-Trois").put("birthDate", "1979-03-28").put("sex", "F");
      p.putArray("givenNames").add("Dominique");
      m.put("documentType", "11490-0").put("title", "Lettre de liaison").put("subject", "Sortie " + i)
          .put("body", "Bonjour, ci-joint la lettre de liaison.");
      String boundary = "pont" + UUID.randomUUID();
      ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 4096);
      part(out, boundary, "Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json",
          m.toString().getBytes(StandardCharsets.UTF_8));
      part(out, boundary, "Content-Disposition: form-data; name=\"pdf\"; filename=\"lettre.pdf\"\r\nContent-Type: application/pdf", pdf);
      out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 202) {
        throw new IllegalStateException("submission refused: " + r.statusCode() + " " + r.body());
      }
      return JSON.readTree(r.body()).get("messageId").asText();
    }

    private static void part(ByteArrayOutputStream out, String boundary, String headers, byte[] content) throws Exception {
      out.write(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(content);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** SMTP submission to plain James: STARTTLS and AUTH as the sender, one connection per client thread. */
  static final class Smtp {
    final Session session;
    final ThreadLocal<Transport> transports = new ThreadLocal<>();
    final int port;
    final String password;

    Smtp(Child plain) throws Exception {
      Properties props = new Properties();
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.auth", "true");
      props.put("mail.smtp.ssl.socketFactory", trust(plain.data).getSocketFactory());
      props.put("mail.smtp.ssl.checkserveridentity", "false");
      session = Session.getInstance(props);
      port = plain.info.get("submission").asInt();
      password = plain.info.get("password").asText();
    }

    /** This thread's connection, opened (again) when it has none. */
    private Transport transport() throws Exception {
      Transport t = transports.get();
      if (t == null || !t.isConnected()) {
        t = session.getTransport("smtp");
        t.connect("127.0.0.1", port, SENDER, password);
        transports.set(t);
      }
      return t;
    }

    String send(byte[] pdf, int i) throws Exception {
      Transport t = transport();
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(SENDER));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress(RECIPIENT));
      m.setSubject("Sortie " + i, "UTF-8");
      MimeBodyPart text = new MimeBodyPart();
      text.setText("Bonjour, ci-joint la lettre de liaison.", "UTF-8");
      MimeBodyPart file = new MimeBodyPart();
      file.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
      file.setFileName("lettre.pdf");
      m.setContent(new MimeMultipart(text, file));
      m.saveChanges();
      t.sendMessage(m, m.getAllRecipients());
      return m.getMessageID();
    }

    /** Sends {@code raw} (a whole message) under a new Message-ID; the body is not parsed, only the headers. */
    String sendRaw(byte[] raw, int i) throws Exception {
      Transport t = transport();
      MimeMessage m = new MimeMessage(session, new jakarta.mail.util.SharedByteArrayInputStream(raw));
      String id = "<bench-mss-" + i + "-" + UUID.randomUUID() + "@" + DOMAIN + ">";
      m.setHeader("Message-ID", id); // a parsed message is written back from its bytes: no saveChanges, no re-encoding
      t.sendMessage(m, new jakarta.mail.Address[] {new InternetAddress(RECIPIENT)});
      return id;
    }
  }

  static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static String arg(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
