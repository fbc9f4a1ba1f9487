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

/** {@code pont token create|list|revoke}: REST API tokens in a gateway's data folder (the gateway may be running). */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "REST API tokens (bearer, per mailbox, with scopes send/read/admin/metrics; they expire).",
    subcommands = {TokenCommands.Create.class, TokenCommands.ListTokens.class, TokenCommands.Revoke.class})
final class TokenCommands {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Creates a token for a mailbox and prints it once; only its salted hash is stored.",
          "Tokens with only admin and/or metrics scopes may omit --mailbox (they act for no mailbox in particular)."})
  static final class Create implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--mailbox", paramLabel = "ADDR", description = "The mailbox the token acts for (send, read).")
    String mailbox;

    @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
        description = "send, read, admin and/or metrics, comma-separated.")
    List<String> scopes;

    @Option(names = "--ttl-days", defaultValue = "90", paramLabel = "DAYS",
        description = "Days until the token expires (1..3650). Default: ${DEFAULT-VALUE}.")
    int ttlDays;

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
        if (ttlDays < 1 || ttlDays > 3650) {
          throw new IllegalArgumentException("--ttl-days must be 1..3650, not " + ttlDays);
        }
        String address;
        if (mailbox == null) {
          if (set.contains(Scope.SEND) || set.contains(Scope.READ)) {
            throw new IllegalArgumentException("send and read tokens need --mailbox ADDR");
          }
          address = ApiToken.ANY_MAILBOX;
        } else {
          address = Party.of(mailbox.strip().toLowerCase(java.util.Locale.ROOT)).address();
        }
        TokenStore.Created c = TokenStore.in(data.toAbsolutePath()).create(address, set, java.time.Duration.ofDays(ttlDays));
        out.println(c.bearer());
        err.println("token " + c.token().id() + " for " + address + " with scopes "
            + c.token().scopes().stream().map(Scope::label).sorted().toList() + ", expires " + c.token().expires()
            + " (shown once; keep it secret)");
        return 0;
      } catch (IllegalArgumentException e) {
        err.println("pont token create: " + e.getMessage());
        return 2;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists tokens: id, mailbox, scopes, created, expires, state (active, expired, revoked); never secrets.")
  static final class ListTokens implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder of the gateway (default: ./data).")
    Path data = Path.of("data");

    @Override
    public Integer call() {
      java.time.Instant now = java.time.Instant.now();
      for (ApiToken t : TokenStore.in(data.toAbsolutePath()).list()) {
        spec.commandLine().getOut().println(t.id() + "\t" + t.mailbox() + "\t"
            + String.join(",", t.scopes().stream().map(Scope::label).sorted().toList()) + "\t" + t.created()
            + "\t" + t.expires() + "\t" + t.state(now).name().toLowerCase(java.util.Locale.ROOT));
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Revokes a token at once (a running gateway refuses it with TOKEN_REVOKED from the next request).",
          "Exit status: 0 revoked, 1 no such token."})
  static final class Revoke implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "ID", description = "The token's id (the part after pont_, before the next _).")
    String id;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder of the gateway (default: ./data).")
    Path data = Path.of("data");

    @Override
    public Integer call() {
      if (TokenStore.in(data.toAbsolutePath()).revoke(id.strip())) {
        spec.commandLine().getOut().println("revoked " + id.strip());
        return 0;
      }
      spec.commandLine().getErr().println("pont token revoke: no token " + id.strip() + " in " + data);
      return 1;
    }
  }
}
