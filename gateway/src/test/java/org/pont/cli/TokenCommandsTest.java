package org.pont.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.gateway.security.Scope;
import org.pont.gateway.security.TokenStore;
import picocli.CommandLine;

class TokenCommandsTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = PontCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void tokenCreatePrintsABearerThatTheStoreAuthenticatesButNeverStores(@TempDir Path data) throws Exception {
    int rc = run("token", "create", "--mailbox", "DPI@hopital.test", "--scope", "send,read", "--data", data.toString());
    assertThat(rc).as(err.toString()).isZero();
    String bearer = out.toString().strip();
    assertThat(bearer).startsWith("pont_");
    var token = TokenStore.in(data).authenticate(bearer).orElseThrow();
    assertThat(token.mailbox()).isEqualTo("dpi@hopital.test");
    assertThat(token.scopes()).containsExactlyInAnyOrder(Scope.SEND, Scope.READ);
    assertThat(Files.readString(data.resolve("api/tokens.tsv"))).doesNotContain(bearer.substring(bearer.lastIndexOf('_') + 1));
    assertThat(TokenStore.in(data).authenticate(bearer + "x")).isEmpty();
  }

  @Test
  void tokenCreateRefusesAnUnknownScope(@TempDir Path data) {
    assertThat(run("token", "create", "--mailbox", "dpi@hopital.test", "--scope", "write", "--data", data.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("send, read, admin or metrics");
  }

  @Test
  void tokensExpireAfterTheirTtlAndCanBeRevoked(@TempDir Path data) throws Exception {
    assertThat(run("token", "create", "--mailbox", "dpi@hopital.test", "--scope", "read", "--ttl-days", "7",
        "--data", data.toString())).as(err.toString()).isZero();
    String bearer = out.toString().strip();
    var token = TokenStore.in(data).authenticate(bearer).orElseThrow();
    assertThat(token.expires()).isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(7)).minusSeconds(60),
        java.time.Instant.now().plus(java.time.Duration.ofDays(7)));
    assertThat(err.toString()).contains("expires " + token.expires());

    out.getBuffer().setLength(0);
    assertThat(run("token", "revoke", token.id(), "--data", data.toString())).isZero();
    assertThat(TokenStore.in(data).authenticate(bearer).orElseThrow().state(java.time.Instant.now()))
        .isEqualTo(org.pont.gateway.security.ApiToken.State.REVOKED);
    out.getBuffer().setLength(0);
    assertThat(run("token", "list", "--data", data.toString())).isZero();
    assertThat(out.toString()).contains(token.id()).contains("\trevoked");
    assertThat(run("token", "revoke", "nosuchid", "--data", data.toString())).isEqualTo(1);
  }

  @Test
  void aMetricsTokenNeedsNoMailboxButASendTokenDoes(@TempDir Path data) throws Exception {
    assertThat(run("token", "create", "--scope", "metrics", "--data", data.toString())).as(err.toString()).isZero();
    var token = TokenStore.in(data).authenticate(out.toString().strip()).orElseThrow();
    assertThat(token.mailbox()).isEqualTo("*");
    assertThat(token.scopes()).containsExactly(Scope.METRICS);
    assertThat(run("token", "create", "--scope", "send", "--data", data.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("need --mailbox");
  }
}
