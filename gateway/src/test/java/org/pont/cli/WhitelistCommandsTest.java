package org.pont.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.KeyAlgorithm;
import org.pont.certs.TestPki;
import org.pont.certs.Usage;
import org.pont.gateway.directory.Whitelist;
import org.pont.gateway.directory.WhitelistLoader;
import picocli.CommandLine;

class WhitelistCommandsTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = PontCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void addWritesAnAnsWhitelistThatTheLoaderReadsAndComparesDnsAsNames(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    TestPki pki = TestPki.builder().keyAlgorithm(KeyAlgorithm.EC_P256).domain("cabinet.test").build();
    pki.writeTo(dir.resolve("pki"), "whitelist-test".toCharArray());
    assertThat(run("whitelist", "add", "--domain", "hopital.test", "--dn",
        "CN=hopital.test, OU=123456789012345, O=HOPITAL.TEST, C=FR", "--data", data.toString())).as(err.toString()).isZero();
    assertThat(run("whitelist", "add", "--domain", "Cabinet.TEST", "--cert",
        dir.resolve("pki/domains/cabinet.test/" + Usage.TLS_CLIENT.fileName() + ".cert.pem").toString(),
        "--data", data.toString())).as(err.toString()).isZero();
    assertThat(run("whitelist", "add", "--domain", "hopital.test", "--dn",
        "cn=hopital.test,ou=123456789012345,o=HOPITAL.TEST,c=FR", "--data", data.toString())).isZero();
    assertThat(out.toString()).contains("added hopital.test", "added cabinet.test", "already listed: hopital.test");

    Whitelist w = new WhitelistLoader().load(data.resolve("whitelist.xml"), Optional.empty());
    assertThat(w.size()).isEqualTo(2);
    assertThat(w.isOperatorOf("cabinet.test",
        pki.organisation("cabinet.test").tlsClient().certificate().getSubjectX500Principal())).isTrue();
    assertThat(w.isOperatorOf("hopital.test", new X500Principal("CN=hopital.test,OU=123456789012345,O=HOPITAL.TEST,C=FR")))
        .isTrue();

    assertThat(run("whitelist", "list", "--data", data.toString())).isZero();
    assertThat(out.toString()).contains("cabinet.test\tCN=cabinet.test");
  }

  @Test
  void aMalformedDnIsRefused(@TempDir Path data) {
    assertThat(run("whitelist", "add", "--domain", "cabinet.test", "--dn", "not a dn", "--data", data.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("pont whitelist add:");
  }
}
