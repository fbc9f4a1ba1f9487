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
    assertThat(err.toString()).contains("send, read or admin");
  }
}
