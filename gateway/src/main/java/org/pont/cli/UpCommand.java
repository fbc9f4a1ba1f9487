package org.pont.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pont.gateway.Gateway;
import org.pont.gateway.bootstrap.GatewayBootstrap;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.james.BoundPorts;
import org.pont.gateway.james.JamesLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pont up}: runs the gateway (REST + embedded James) until stopped (Ctrl-C, SIGTERM). */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Run the gateway: Micronaut REST over HTTPS and Apache James (SMTP, submission, IMAP, IMAPS).",
        "The first start in an empty data folder makes a test PKI, TLS stores, the domain and demo mailboxes."})
final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: ./data, or pont.data in the config file).")
  Path data;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file with pont.* settings (pont.domain, pont.storage, pont.bind, pont.ports.*, micronaut.server.port).")
  Path config;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (config != null && !config.toFile().isFile()) {
      err.println("pont up: no such configuration file: " + config);
      return SmimeCommands.ERROR;
    }
    Map<String, Object> props = new HashMap<>();
    if (data != null) {
      props.put("pont.data", data.toAbsolutePath().toString());
    }
    long t0 = System.nanoTime();
    Gateway gateway;
    try {
      gateway = Gateway.start(props, Optional.ofNullable(config));
    } catch (RuntimeException e) {
      err.println("pont up: the gateway did not start: " + rootMessage(e));
      return SmimeCommands.ERROR;
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    printSummary(out, gateway, millis);
    out.flush();
    // Runs until the context stops (Micronaut's shutdown hook on SIGINT/SIGTERM closes it).
    while (gateway.isRunning()) {
      Thread.sleep(500);
    }
    return 0;
  }

  private static void printSummary(PrintWriter out, Gateway gateway, long millis) {
    JamesLifecycle james = gateway.james();
    GatewaySettings s = james.settings();
    BoundPorts p = james.james().ports();
    GatewayBootstrap.Provisioned made = james.provisioned();
    String host = s.listeners().bindAddress();
    out.printf("Pont gateway up in %.1f s (%s storage), domain %s, data in %s%n",
        millis / 1000.0, s.storage().name().toLowerCase(java.util.Locale.ROOT), s.domain(), s.dataDir());
    out.printf("  SMTP (operators, STARTTLS + client certificate)  %s:%d%n", host, p.smtp());
    out.printf("  SMTP submission (STARTTLS, then AUTH)            %s:%d%n", host, p.submission());
    out.printf("  IMAP (STARTTLS)                                  %s:%d%n", host, p.imap());
    out.printf("  IMAPS                                            %s:%d%n", host, p.imaps());
    String api = gateway.apiUri().toString();
    out.printf("  %-47s  %s/api/v1%n", api.startsWith("https:") ? "REST API (HTTPS, bearer token)"
        : "REST API (plain HTTP, for a loopback proxy)", api);
    out.printf("  REST health                                      %s/health%n", api);
    out.printf("  TLS trust anchor (test PKI root)                 %s%n", james.bootstrap().pki().trustAnchors());
    if (made.firstStart()) {
      out.printf("First start: made mailboxes %s (IMAP/SMTP login: the full address); their passwords are in %s (owner-only).%n",
          String.join(", ", made.users()), made.credentialsFile());
    } else {
      out.printf("Mailbox logins are full addresses; demo passwords: %s%n", made.credentialsFile());
    }
    out.println("Stop with Ctrl-C.");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
