package org.pont.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.pont.certs.TestPki;
import org.pont.certs.Usage;
import org.pont.gateway.directory.WhitelistFile;

/**
 * A real {@code pont up} process (what the launcher runs) on a data folder, and the listener
 * ports its start-up summary printed. Start with {@link #launch}, then {@link #awaitUp}: two
 * gateways can boot side by side.
 */
final class GatewayProcess {

  private static final Pattern PORT_LINE =
      Pattern.compile("^\\s+(.+?)\\s{2,}(?:https?://)?127\\.0\\.0\\.1:(\\d+)");

  final Process process;
  final Path data;
  private final BufferedReader out;
  private String output = "";
  private final Map<String, Integer> ports = new HashMap<>();
  private final Path stderr;

  private GatewayProcess(Process process, Path data, Path stderr) {
    this.process = process;
    this.data = data;
    this.stderr = stderr;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts {@code pont up --data DATA --config CONFIG}; stderr goes to {@code stderr}. */
  static GatewayProcess launch(Path data, Path config, Path stderr) throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(javaBin, "--sun-misc-unsafe-memory-access=allow",
        "-cp", classpath, "org.pont.cli.PontCli", "up", "--data", data.toString(), "--config", config.toString())
        .redirectError(stderr.toFile());
    return new GatewayProcess(pb.start(), data, stderr);
  }

  /** Reads the summary until "Stop with Ctrl-C." (at most 180 s), then keeps draining stdout. */
  GatewayProcess awaitUp() throws IOException {
    StringBuilder printed = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    String line;
    while ((line = out.readLine()) != null) {
      printed.append(line).append('\n');
      Matcher m = PORT_LINE.matcher(line);
      if (m.find()) {
        String label = m.group(1).replaceAll("\\s*\\(.*", "").strip();
        ports.put(label, Integer.parseInt(m.group(2)));
      }
      if (line.startsWith("Stop with Ctrl-C.")) {
        break;
      }
      assertThat(System.nanoTime()).as("gateway did not start in time:\n" + printed).isLessThan(deadline);
    }
    output = printed.toString();
    assertThat(output).as("gateway output (stderr in " + stderr + ")").contains("Pont gateway up");
    // Keep draining stdout so the process never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (IOException ignored) {
        // process ended
      }
    });
    drain.setDaemon(true);
    drain.start();
    return this;
  }

  /** What the start printed. */
  String output() {
    return output;
  }

  /** The port printed for a listener label ("SMTP", "SMTP submission", "IMAP", "IMAPS"...). */
  int port(String label) {
    Integer p = ports.get(label);
    assertThat(p).as("port of " + label + " in:\n" + output).isNotNull();
    return p;
  }

  /** SIGTERM and wait (30 s at most). */
  void stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("gateway stopped within 30 s").isTrue();
  }

  Path trustAnchors() {
    return data.resolve("pki/trust-anchors.pem");
  }

  /** The demo mailboxes' passwords the first start wrote. */
  Properties credentials() throws IOException {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(data.resolve("credentials.properties"))) {
      p.load(r);
    }
    return p;
  }

  /**
   * A gateway config file {@code dir/name}: every listener but the operator SMTP port on a free
   * port (the tests fix that one when a peer's route names it), plus {@code lines}.
   */
  static Path config(Path dir, String name, String... lines) throws IOException {
    List<String> all = new ArrayList<>(List.of("pont.ports.submission=0", "pont.ports.imap=0", "pont.ports.imaps=0",
        "micronaut.server.port=-1"));
    all.addAll(List.of(lines));
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", all) + "\n");
    return file;
  }

  /**
   * One trust space of hopital.test and cabinet.test: {@code pki} (with its password file) in each
   * data folder, and a whitelist naming both operators with their TLS client DNs.
   */
  static void trustSpace(TestPki pki, char[] password, Path... dataFolders) throws Exception {
    for (Path data : dataFolders) {
      pki.writeTo(data.resolve("pki"), password);
      Files.writeString(data.resolve("pki/password.txt"), new String(password) + "\n");
      Path whitelist = data.resolve("whitelist.xml");
      WhitelistFile.createIfAbsent(whitelist, "hopital.test", operatorDn(pki, "hopital.test"), "hospital");
      WhitelistFile.add(whitelist, "cabinet.test", operatorDn(pki, "cabinet.test"), "clinic");
    }
  }

  /** The operator DN a whitelist publishes for {@code domain}: its TLS client certificate's subject. */
  static X500Principal operatorDn(TestPki pki, String domain) {
    return pki.organisation(domain).credential(Usage.TLS_CLIENT).certificate().getSubjectX500Principal();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
