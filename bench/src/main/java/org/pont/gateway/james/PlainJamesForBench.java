package org.pont.gateway.james;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.james.GuiceJamesServer;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.utils.DataProbeImpl;
import org.pont.gateway.bootstrap.GatewayBootstrap;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.mailet.PolicyModule;

/**
 * Benchmark baseline only (GatewayBenchmark): the gateway's James, with the same version, storage
 * modules, listeners and TLS configuration as {@link EmbeddedJames}, but a mailet container that
 * only delivers to local mailboxes (no Pont mailet runs). It lives in this package because
 * {@link JamesModules} and {@link DaemonSchedulers} are package-private; it is not in the gateway.
 */
public final class PlainJamesForBench implements AutoCloseable {
  /** Root → transport → LocalDelivery for local recipients; anything else is kept in a repository (never relayed). */
  static final String PLAIN_MAILETCONTAINER = """
      <?xml version="1.0"?>
      <mailetcontainer enableJmx="false">
          <context><postmaster>postmaster@%s</postmaster></context>
          <spooler>
              <threads>%d</threads>
              <errorRepository>file://var/mail/error/</errorRepository>
          </spooler>
          <processors>
              <processor state="root" enableJmx="false">
                  <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
              </processor>
              <!-- James refuses to start without a transport processor that removes Bcc. -->
              <processor state="transport" enableJmx="false">
                  <mailet match="All" class="RemoveMimeHeader"><name>bcc</name></mailet>
                  <mailet match="RecipientIsLocal" class="LocalDelivery"/>
                  <mailet match="All" class="ToRepository">
                      <repositoryPath>file://var/mail/not-local/</repositoryPath>
                  </mailet>
              </processor>
              <processor state="error" enableJmx="false">
                  <mailet match="All" class="ToRepository">
                      <repositoryPath>file://var/mail/error/</repositoryPath>
                  </mailet>
              </processor>
          </processors>
      </mailetcontainer>
      """;

  private final GuiceJamesServer server;
  private final BoundPorts ports;

  private PlainJamesForBench(GuiceJamesServer server) {
    this.server = server;
    this.ports = server.getProbe(ListenersProbe.class).boundPorts();
  }

  /**
   * Starts it on a fresh data folder (in-memory James storage, ports chosen by the system), with
   * the test PKI the gateway would make, and the given users.
   */
  public static PlainJamesForBench start(Path dataDir, String domain, String password, String... users)
      throws Exception {
    GatewaySettings settings = new GatewaySettings(dataDir, domain, GatewaySettings.Storage.MEMORY,
        new GatewaySettings.Listeners("127.0.0.1", 0, 0, 0, 0));
    TlsFiles tls = new GatewayBootstrap(settings).prepareTls();
    System.setProperty("james.exit.on.startup.error", "false");
    Mailcaps.register();
    DaemonSchedulers.install();
    Path workDir = settings.jamesDir();
    Files.createDirectories(workDir.resolve("var"));
    JamesConfigWriter.write(settings, tls, workDir.resolve("conf"));
    // The same spooler thread count as the gateway's pipeline, read from what the writer made.
    String gatewayXml = Files.readString(workDir.resolve("conf/mailetcontainer.xml"));
    int i = gatewayXml.indexOf("<threads>");
    int threads = Integer.parseInt(gatewayXml.substring(i + 9, gatewayXml.indexOf("</threads>", i)).strip());
    String xml = PLAIN_MAILETCONTAINER.formatted(domain, threads);
    Files.writeString(workDir.resolve("conf/mailetcontainer.xml"), xml, StandardCharsets.UTF_8);
    GuiceJamesServer server = GuiceJamesServer
        .forConfiguration(Configuration.builder().workingDirectory(workDir.toFile()).build())
        .combineWith(JamesModules.forStorage(settings.storage()))
        // same Guice graph; none of its mailets is in the pipeline
        .combineWith(new PolicyModule(settings, new org.pont.gateway.directory.ReloadingWhitelist(settings.whitelistFile())));
    server.start();
    DataProbeImpl data = server.getProbe(DataProbeImpl.class);
    if (!data.containsDomain(domain)) {
      data.addDomain(domain);
    }
    for (String u : users) {
      data.addUser(u, password);
    }
    return new PlainJamesForBench(server);
  }

  public BoundPorts ports() {
    return ports;
  }

  @Override
  public void close() {
    server.stop();
  }
}
