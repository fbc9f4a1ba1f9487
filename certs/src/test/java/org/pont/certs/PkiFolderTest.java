package org.pont.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written layout, checked with Java and with an independent tool: openssl. */
class PkiFolderTest {
  private static final char[] PASSWORD = "correct horse battery".toCharArray();
  @TempDir static Path dir;
  private static PkiFolder folder;

  @BeforeAll
  static void write() throws Exception {
    folder = TestPki.builder().domain("hopital.test").person("dr.martin@cabinet.test").build().writeTo(dir, PASSWORD);
  }

  @Test
  void theTopLevelHoldsOnlyTrustMaterial() throws Exception {
    try (var files = Files.list(dir)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("trust-anchors.pem", "chain.pem", "crls.pem", "README.txt");
    }
    assertThat(PkiFolder.readCertificates(folder.trustAnchors())).hasSize(1);
    assertThat(PkiFolder.readCertificates(folder.chain())).hasSize(2);
  }

  @Test
  void keysAreOnlyInPasswordProtectedFilesReadableByTheOwner() throws Exception {
    Path p12 = folder.organisationPkcs12("hopital.test", Usage.TLS_SERVER);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, PASSWORD);
    }
    String alias = store.aliases().nextElement();
    assertThat(store.getCertificateChain(alias)).hasSize(3);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p12))).isEqualTo("rw-------");
    Path keyPem = p12.resolveSibling("tls-server.key.pem");
    assertThat(Files.readString(keyPem)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThatThrownBy(() -> {
      try (InputStream in = Files.newInputStream(p12)) {
        KeyStore.getInstance("PKCS12").load(in, "wrong password".toCharArray());
      }
    }).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void opensslVerifiesEachCertificateAgainstTheTrustFilesAndCrls() throws Exception {
    assertThat(openssl("verify", "-CAfile", folder.trustAnchors().toString(), "-untrusted", folder.chain().toString(),
        "-crl_check_all", "-CRLfile", folder.crls().toString(),
        folder.organisationCertificate("hopital.test", Usage.TLS_SERVER).toString(),
        folder.personCertificate("dr.martin@cabinet.test", Usage.ENCRYPTION).toString()))
        .contains("tls-server.cert.pem: OK").contains("encryption.cert.pem: OK");
    assertThat(openssl("verify", "-CAfile", folder.trustAnchors().toString(), "-untrusted", folder.chain().toString(),
        "-crl_check_all", "-CRLfile", folder.crls().toString(), dir.resolve("negative/revoked.cert.pem").toString()))
        .contains("certificate revoked");
    assertThat(openssl("verify", "-CAfile", folder.trustAnchors().toString(), "-untrusted", folder.chain().toString(),
        dir.resolve("negative/expired.cert.pem").toString()))
        .contains("certificate has expired");
  }

  @Test
  void opensslOpensTheEncryptedKeysWithThePassword() throws Exception {
    Path pw = Files.createTempFile("pw", ".txt");
    Files.writeString(pw, new String(PASSWORD));
    String out = openssl("pkey", "-in", folder.personPkcs12("dr.martin@cabinet.test", Usage.SIGNATURE).resolveSibling("signature.key.pem").toString(),
        "-passin", "file:" + pw, "-noout", "-text_pub");
    assertThat(out).contains("Public-Key: (2048 bit)");
    assertThat(openssl("pkcs12", "-in", folder.personPkcs12("dr.martin@cabinet.test", Usage.SIGNATURE).toString(),
        "-passin", "file:" + pw, "-nokeys", "-info")).contains("subject=").contains("dr.martin@cabinet.test");
  }

  @Test
  void aShortPasswordIsRefused() {
    TestPki pki = TestPki.builder().domain("x.test").build();
    assertThatThrownBy(() -> pki.writeTo(dir.resolve("short"), "1234".toCharArray())).hasMessageContaining("at least 8 characters");
  }

  /** Runs openssl and returns what it printed (stdout and stderr); openssl is a test requirement. */
  static String openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
