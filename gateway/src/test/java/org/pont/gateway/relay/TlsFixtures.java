package org.pont.gateway.relay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.pont.certs.Credential;
import org.pont.certs.KeyAlgorithm;
import org.pont.certs.PkiFolder;
import org.pont.certs.TestPki;
import org.pont.gateway.directory.WhitelistFile;

/** A shared trust space of three domains written like a gateway's PKI, and TLS contexts from it. */
final class TlsFixtures {
  static final char[] PASSWORD = "relay-test-password".toCharArray();

  private TlsFixtures() {}

  /**
   * hopital.test, cabinet.test, rogue.test, intrus.test (never whitelisted) and revoque.test
   * (whitelisted, but its TLS certificates are revoked in the organisations CA's CRL) under one root.
   */
  static TestPki sharedPki() {
    // ECDSA P-256: key generation in milliseconds keeps the class fast; the checks do not depend on it.
    return TestPki.builder().keyAlgorithm(KeyAlgorithm.EC_P256)
        .domain("hopital.test").domain("cabinet.test").domain("rogue.test").domain("intrus.test")
        .revokedOperator("revoque.test")
        .person("dr.martin@hopital.test").build();
  }

  /** Writes the PKI where the gateway looks for it ({@code <data>/pki} with its password file). */
  static PkiFolder writeGatewayPki(TestPki pki, Path data) throws Exception {
    PkiFolder folder = pki.writeTo(data.resolve("pki"), PASSWORD);
    Files.writeString(data.resolve("pki/password.txt"), new String(PASSWORD) + "\n");
    return folder;
  }

  /**
   * A whitelist naming hopital.test, cabinet.test and revoque.test with their TLS client DNs
   * (rogue.test absent), so revoque.test can only be refused for its revoked certificates.
   */
  static Path whitelist(TestPki pki, Path file) throws Exception {
    WhitelistFile.createIfAbsent(file, "hopital.test",
        pki.organisation("hopital.test").tlsClient().certificate().getSubjectX500Principal(), "hospital");
    WhitelistFile.add(file, "cabinet.test",
        pki.organisation("cabinet.test").tlsClient().certificate().getSubjectX500Principal(), "clinic");
    WhitelistFile.add(file, "revoque.test",
        pki.organisation("revoque.test").tlsClient().certificate().getSubjectX500Principal(), "revoked operator");
    return file;
  }

  /** Trusts {@code anchors}, presents {@code key} (or nothing when null). */
  static SSLContext context(Credential key, List<X509Certificate> anchors) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < anchors.size(); i++) {
      trust.setCertificateEntry("anchor-" + i, anchors.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (key != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("key", key.privateKey(), PASSWORD, key.chain().toArray(new X509Certificate[0]));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
