package org.pont.gateway.james;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.apache.james.GuiceJamesServer;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.GuiceProbe;
import org.pont.certs.PkiFolder;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.directory.ReloadingWhitelist;
import org.pont.gateway.mailet.PolicyModule;
import org.pont.gateway.relay.OperatorTlsSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;

/**
 * One Apache James server inside the gateway's JVM, started through James's Guice server API
 * with Pont's modules. Lifecycle: {@link #start()} once, {@link #stop()} once (idempotent).
 */
public final class EmbeddedJames implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedJames.class);

  private final GatewaySettings settings;
  private final TlsFiles tls;
  private GuiceJamesServer server;
  private PolicyModule policy;
  private BoundPorts ports;

  public EmbeddedJames(GatewaySettings settings, TlsFiles tls) {
    this.settings = settings;
    this.tls = tls;
  }

  /** Writes James's configuration under the data folder and starts it; fails if it cannot. */
  public synchronized void start() throws Exception {
    if (server != null) {
      throw new IllegalStateException("James is already started");
    }
    prepareJvm(settings);
    Path workDir = settings.jamesDir();
    Files.createDirectories(workDir.resolve("var"));
    JamesConfigWriter.write(settings, tls, workDir.resolve("conf"));
    ReloadingWhitelist whitelist = new ReloadingWhitelist(settings.whitelistFile());
    // Outbound mutual TLS for RemoteDelivery (process-wide: JavaMail instantiates it by class name).
    char[] pkiPassword = pkiPassword(settings.pkiDir());
    try {
      OperatorTlsSocketFactory.install(OperatorTlsSocketFactory.fromPki(PkiFolder.at(settings.pkiDir()),
          pkiPassword, settings.domain(), whitelist, settings.relay().routes()));
    } finally {
      java.util.Arrays.fill(pkiPassword, '\0');
    }

    PolicyModule policyModule = new PolicyModule(settings, whitelist);
    GuiceJamesServer candidate = GuiceJamesServer
        .forConfiguration(Configuration.builder().workingDirectory(workDir.toFile()).build())
        .combineWith(JamesModules.forStorage(settings.storage()))
        .combineWith(policyModule);
    long t0 = System.nanoTime();
    try {
      candidate.start();
    } catch (Exception | Error e) {
      safeStop(candidate);
      closeQuietly(policyModule);
      throw e;
    }
    server = candidate;
    policy = policyModule;
    ports = server.getProbe(ListenersProbe.class).boundPorts();
    LOG.info("James started ({} storage) in {} ms: SMTP {} submission {} IMAP {} IMAPS {}",
        settings.storage().name().toLowerCase(java.util.Locale.ROOT), (System.nanoTime() - t0) / 1_000_000,
        ports.smtp(), ports.submission(), ports.imap(), ports.imaps());
  }

  private static char[] pkiPassword(Path pkiDir) throws IOException {
    Path file = pkiDir.resolve("password.txt");
    if (!Files.isRegularFile(file)) {
      throw new IOException("the PKI in " + pkiDir + " has no password.txt holding the password of its keys");
    }
    return Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip().toCharArray();
  }

  public synchronized boolean isStarted() {
    return server != null && server.isStarted();
  }

  public synchronized BoundPorts ports() {
    requireStarted();
    return ports;
  }

  /** Mail submission to the spool, mailbox reading and domains, for the REST API. */
  public MailboxAccessProbe mailboxAccess() {
    return requireStarted().getProbe(MailboxAccessProbe.class);
  }

  /** Adds the domain unless James already knows it. */
  public void ensureDomain(String domain) throws Exception {
    DataProbeImpl data = data();
    if (!data.containsDomain(domain)) {
      data.addDomain(domain);
    }
  }

  public List<String> users() throws Exception {
    return List.of(data().listUsers());
  }

  /** Creates a mailbox user (full address); the password is hashed by James, never logged. */
  public void addUser(String address, String password) throws Exception {
    data().addUser(address, password);
  }

  /** A probe of the running server (ports, quarantine...). */
  public <T extends GuiceProbe> T probe(Class<T> type) {
    return requireStarted().getProbe(type);
  }

  @Override
  public void close() {
    stop();
  }

  /** Stops the listeners, the spool, the queue broker and the database. Safe to call twice. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    GuiceJamesServer s = server;
    server = null;
    // Stopping interrupts the spooler's blocking queue read; Reactor would report that as an
    // ERROR with a stack trace. During the stop it is expected, so it is logged at DEBUG.
    Hooks.onErrorDropped(e -> LOG.debug("dropped while stopping: {}", e.toString()));
    try {
      safeStop(s);
    } finally {
      Hooks.resetOnErrorDropped();
      closeQuietly(policy);
      policy = null;
    }
    if (settings.storage() == GatewaySettings.Storage.PERSISTENT) {
      shutdownDerby();
    }
  }

  private DataProbeImpl data() {
    return requireStarted().getProbe(DataProbeImpl.class);
  }

  private synchronized GuiceJamesServer requireStarted() {
    if (server == null) {
      throw new IllegalStateException("James is not started");
    }
    return server;
  }

  private static void closeQuietly(PolicyModule module) {
    if (module == null) {
      return;
    }
    try {
      module.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not close the policy's directory index: {}", e.toString());
    }
  }

  private static void safeStop(GuiceJamesServer s) {
    try {
      s.stop();
    } catch (RuntimeException e) {
      LOG.warn("James did not stop cleanly: {}", e.toString());
    }
  }

  /** Closes the embedded database so the next start needs no recovery. */
  private void shutdownDerby() {
    String url = "jdbc:derby:" + settings.jamesDir().resolve("var/store/derby") + ";shutdown=true";
    try {
      DriverManager.getConnection(url).close();
    } catch (SQLException e) {
      // Derby reports a successful database shutdown as SQLState 08006.
      if (!"08006".equals(e.getSQLState()) && !"XJ004".equals(e.getSQLState())) {
        LOG.warn("Derby did not shut down cleanly: {}", e.getMessage());
      }
    }
  }

  /** JVM-wide settings James needs; harmless to repeat. */
  private static void prepareJvm(GatewaySettings settings) {
    // A James start-up error must surface as an exception, never as System.exit(1).
    System.setProperty("james.exit.on.startup.error", "false");
    // Derby writes derby.log into the JVM's working directory unless told otherwise.
    if (System.getProperty("derby.stream.error.file") == null) {
      try {
        Files.createDirectories(settings.jamesDir().resolve("var"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      System.setProperty("derby.stream.error.file", settings.jamesDir().resolve("var/derby.log").toString());
    }
    // James's JPA mailbox on Derby: an IMAP EXPUNGE deletes mail rows and Derby's cascade to
    // JAMES_MAIL_PROPERTY takes a table lock there, while a delivery into any mailbox holds its new
    // mail row and inserts property rows: a lock cycle (seen with derby.locks.deadlockTrace in the
    // soak, docs/RELIABILITY.md). Derby only looks for cycles after derby.locks.deadlockTimeout,
    // 20 s by default, so every such collision froze IMAP and delivery for 20 s or more. Looking
    // after 1 s breaks the tie as Derby always does (one transaction rolled back: a delivery is
    // retried by LocalDelivery, an expunge answered NO and repeated by the client), just sooner.
    if (System.getProperty("derby.locks.deadlockTimeout") == null) {
      System.setProperty("derby.locks.deadlockTimeout", "1");
    }
    // jakarta.mail looks its StreamProvider up with a ServiceLoader scan of the whole class path on
    // every MimeBodyPart, Multipart and header block it creates (about 5 % of the gateway's CPU per
    // message); named here, it is loaded by class name instead. Same provider the scan finds.
    if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
      System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
    }
    Mailcaps.register();
    DaemonSchedulers.install();
  }
}
