package org.pont.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.security.auth.x500.X500Principal;
import org.pont.certs.PkiFolder;
import org.pont.gateway.directory.Whitelist;
import org.pont.gateway.directory.WhitelistDomain;
import org.pont.gateway.directory.WhitelistException;
import org.pont.gateway.directory.WhitelistFile;
import org.pont.gateway.directory.WhitelistLoader;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pont whitelist add|list}: the gateway's whitelist file (ANS format, default
 * {@code <data>/whitelist.xml}). The running gateway picks changes up without a restart.
 */
@Command(name = "whitelist", mixinStandardHelpOptions = true,
    description = "The MSSanté whitelist of a gateway: domains and their operators' certificate DNs.",
    subcommands = {WhitelistCommands.Add.class, WhitelistCommands.ListDomains.class})
final class WhitelistCommands {

  static Path file(Path data, Path file) {
    return file != null ? file : data.toAbsolutePath().resolve("whitelist.xml");
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Adds a peer domain and the DN its operator's TLS client certificate carries.",
          "Example: pont whitelist add --domain cabinet.test --cert data-cabinet/pki/domains/cabinet.test/tls-client.cert.pem"})
  static final class Add implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--domain", required = true, paramLabel = "DOMAIN", description = "The peer's mail domain.")
    String domain;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Operator operator;

    static final class Operator {
      @Option(names = "--dn", paramLabel = "DN", description = "The operator certificate's subject DN (RFC 2253).")
      String dn;

      @Option(names = "--cert", paramLabel = "PEM", description = "The operator's TLS client certificate; its subject is used.")
      Path cert;
    }

    @Option(names = "--description", paramLabel = "TEXT", description = "Who the operator is (default: the domain).")
    String description;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder of the gateway (default: ./data).")
    Path data = Path.of("data");

    @Option(names = "--file", paramLabel = "FILE", description = "The whitelist file (default: DATA/whitelist.xml).")
    Path file;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      try {
        X500Principal dn = operator.cert != null
            ? PkiFolder.readCertificates(operator.cert).get(0).getSubjectX500Principal()
            : new X500Principal(operator.dn);
        Path target = file(data, file);
        String d = domain.strip().toLowerCase(java.util.Locale.ROOT);
        String text = description != null ? description : d;
        boolean added = WhitelistFile.createIfAbsent(target, d, dn, text) || WhitelistFile.add(target, d, dn, text);
        spec.commandLine().getOut().println((added ? "added " : "already listed: ") + d + " " + dn.getName() + " (" + target + ")");
        return 0;
      } catch (IllegalArgumentException | IOException | WhitelistException | IndexOutOfBoundsException e) {
        err.println("pont whitelist add: " + e.getMessage());
        return 2;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the domains and operator DNs.")
  static final class ListDomains implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder of the gateway (default: ./data).")
    Path data = Path.of("data");

    @Option(names = "--file", paramLabel = "FILE", description = "The whitelist file (default: DATA/whitelist.xml).")
    Path file;

    @Override
    public Integer call() {
      try {
        Whitelist w = new WhitelistLoader().load(file(data, file), Optional.empty());
        for (WhitelistDomain d : w.entries()) {
          spec.commandLine().getOut().println(d.name() + "\t" + d.operatorDn().getName());
        }
        return 0;
      } catch (WhitelistException e) {
        spec.commandLine().getErr().println("pont whitelist list: " + e.getMessage());
        return 2;
      }
    }
  }
}
