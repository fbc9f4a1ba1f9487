package org.pont.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

  @Test
  void aTokenIsActiveUntilItsExpiryThenExpired(@TempDir Path data) throws Exception {
    TokenStore store = TokenStore.in(data);
    TokenStore.Created c = store.create("dpi@hopital.test", EnumSet.of(Scope.READ), Duration.ofDays(3));
    ApiToken t = store.authenticate(c.bearer()).orElseThrow();
    assertThat(t.expires()).isEqualTo(t.created().plus(Duration.ofDays(3)));
    assertThat(t.state(t.created())).isEqualTo(ApiToken.State.ACTIVE);
    assertThat(t.state(t.expires().minusMillis(1))).isEqualTo(ApiToken.State.ACTIVE);
    assertThat(t.state(t.expires())).isEqualTo(ApiToken.State.EXPIRED);
  }

  @Test
  void theDefaultLifetimeIsNinetyDays(@TempDir Path data) {
    ApiToken t = TokenStore.in(data).create("dpi@hopital.test", EnumSet.of(Scope.SEND)).token();
    assertThat(Duration.between(t.created(), t.expires())).isEqualTo(Duration.ofDays(90));
  }

  @Test
  void revocationIsStoredAndSurvivesAReload(@TempDir Path data) {
    TokenStore.Created c = TokenStore.in(data).create("dpi@hopital.test", EnumSet.of(Scope.SEND));
    assertThat(TokenStore.in(data).revoke(c.token().id())).isTrue();
    ApiToken reloaded = TokenStore.in(data).authenticate(c.bearer()).orElseThrow();
    assertThat(reloaded.revoked()).isPresent();
    assertThat(reloaded.state(Instant.now())).isEqualTo(ApiToken.State.REVOKED);
    assertThat(TokenStore.in(data).revoke("unknown")).isFalse();
  }

  @Test
  void linesWrittenBeforeExpiryExistedExpireNinetyDaysAfterCreation(@TempDir Path data) throws Exception {
    TokenStore.Created c = TokenStore.in(data).create("dpi@hopital.test", EnumSet.of(Scope.SEND));
    Path file = data.resolve("api/tokens.tsv");
    Instant longAgo = Instant.now().minus(Duration.ofDays(100));
    // The old six-column layout: id, mailbox, scopes, salt, hash, created.
    List<String> old = Files.readAllLines(file).stream()
        .map(l -> l.startsWith("#") ? l : String.join("\t", List.of(l.split("\t")).subList(0, 5)) + "\t" + longAgo)
        .collect(Collectors.toList());
    Files.write(file, old);
    ApiToken t = TokenStore.in(data).authenticate(c.bearer()).orElseThrow();
    assertThat(t.expires()).isEqualTo(longAgo.plus(Duration.ofDays(90)));
    assertThat(t.state(Instant.now())).isEqualTo(ApiToken.State.EXPIRED);
  }

  @Test
  void theSecretIsNeverStoredNorPrinted(@TempDir Path data) throws Exception {
    TokenStore.Created c = TokenStore.in(data).create("dpi@hopital.test", EnumSet.of(Scope.SEND));
    String secret = c.bearer().substring(c.bearer().lastIndexOf('_') + 1);
    assertThat(Files.readString(data.resolve("api/tokens.tsv"))).doesNotContain(secret);
    assertThat(c.toString()).doesNotContain(secret);
    assertThat(c.token().toString()).doesNotContain(secret).doesNotContain(c.token().hash());
  }
}
