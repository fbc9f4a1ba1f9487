package org.pont.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.pont.gateway.security.ApiToken;
import org.pont.gateway.security.Scope;
import org.pont.gateway.security.TokenStore;
import org.pont.message.Party;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pont token create|list}: REST API tokens in a gateway's data folder (the gateway may be running). */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "REST API tokens (bearer, per mailbox, with scopes send/read/admin).",
    subcommands = {TokenCommands.Create.class, TokenCommands.ListTokens.class})
final class TokenCommands {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Creates a token for a mailbox and prints it once; only its salted hash is stored."})
  static final class Create implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--mailbox", required = true, paramLabel = "ADDR", description = "The mailbox the token acts for.")
    String mailbox;

    @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
        description = "send, read and/or admin, comma-separated.")
    List<String> scopes;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder of the gateway (default: ./data).")
    Path data = Path.of("data");

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Set<Scope> set = EnumSet.noneOf(Scope.class);
      try {
        for (String s : scopes) {
          set.add(Scope.parse(s));
        }
        String address = Party.of(mailbox.strip().toLowerCase(java.util.Locale.ROOT)).address();
        TokenStore.Created c = TokenStore.in(data.toAbsolutePath()).create(address, set);
        out.println(c.bearer());
        err.println("token " + c.token().id() + " for " + address + " with scopes "
            + c.token().scopes().stream().map(Scope::label).sorted().toList() + " (shown once; keep it secret)");
        return 0;
      } catch (IllegalArgumentException e) {
        err.println("pont token create: " + e.getMessage());
        return 2;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists tokens (ids, mailboxes, scopes; never secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder of the gateway (default: ./data).")
    Path data = Path.of("data");

    @Override
    public Integer call() {
      for (ApiToken t : TokenStore.in(data.toAbsolutePath()).list()) {
        spec.commandLine().getOut().println(t.id() + "\t" + t.mailbox() + "\t"
            + String.join(",", t.scopes().stream().map(Scope::label).sorted().toList()) + "\t" + t.created());
      }
      return 0;
    }
  }
}
