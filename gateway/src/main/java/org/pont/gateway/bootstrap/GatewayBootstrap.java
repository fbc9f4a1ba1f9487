package org.pont.gateway.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.pont.certs.PkiFolder;
import org.pont.certs.TestPki;
import org.pont.certs.Usage;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.directory.WhitelistFile;
import org.pont.gateway.james.EmbeddedJames;
import org.pont.gateway.james.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start and every start after it. Before James starts: a PKI for the domain (a test PKI
 * shaped like IGC-Santé when the data folder has none) and James's TLS stores made from it. After
 * James starts: the domain, and on the very first start demo mailboxes whose generated passwords
 * go to an owner-only file. Everything made once is reused.
 */
public final class GatewayBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayBootstrap.class);
  static final String PKI_PASSWORD_FILE = "password.txt";
  static final String TLS_SECRETS_FILE = "tls-secrets.properties";
  /** The demo mailboxes of a first start, local parts only. */
  static final List<String> DEMO_USERS = List.of("secretariat", "dr.martin");

  private final GatewaySettings settings;

  public GatewayBootstrap(GatewaySettings settings) {
    this.settings = settings;
  }

  /** The PKI folder the gateway uses (created on first start). */
  public PkiFolder pki() {
    return PkiFolder.at(settings.pkiDir());
  }

  /** Makes sure the PKI and James's TLS stores exist; returns the stores. */
  public TlsFiles prepareTls() throws IOException, GeneralSecurityException {
    boolean madePki = ensurePki();
    Path conf = settings.jamesDir().resolve("conf");
    Files.createDirectories(conf);
    Path secretsFile = settings.jamesDir().resolve(TLS_SECRETS_FILE);
    if (!Files.exists(secretsFile)) {
      Properties p = new Properties();
      p.setProperty("keystore.secret", Secrets.password(24));
      p.setProperty("truststore.secret", Secrets.password(24));
      Secrets.writeOwnerOnly(secretsFile, p, "Secrets of James's TLS stores (generated; do not share)");
    }
    Properties secrets = Secrets.read(secretsFile);
    TlsFiles tls = new TlsFiles(conf.resolve("tls.p12"), secrets.getProperty("keystore.secret"),
        conf.resolve("trust.p12"), secrets.getProperty("truststore.secret"));
    // Rebuilt each start from the PKI folder, so replacing the PKI is enough to renew TLS.
    writeServerKeystore(tls);
    writeTruststore(tls);
    ensureWhitelist();
    if (madePki) {
      LOG.info("Made a test PKI for {} in {}", settings.domain(), settings.pkiDir());
    }
    return tls;
  }

  /** Adds the domain, and demo users on the first start; says what it made. */
  public Provisioned provision(EmbeddedJames james) throws Exception {
    james.ensureDomain(settings.domain());
    Path credentials = settings.credentialsFile();
    if (Files.exists(credentials)) {
      return new Provisioned(false, List.of(), credentials);
    }
    Properties p = new Properties();
    List<String> made = new ArrayList<>();
    List<String> existing = james.users();
    for (String local : DEMO_USERS) {
      String address = local + "@" + settings.domain();
      if (existing.contains(address)) {
        continue;
      }
      String password = Secrets.password(20);
      james.addUser(address, password);
      p.setProperty(address, password);
      made.add(address);
    }
    Secrets.writeOwnerOnly(credentials, p,
        "Demo mailboxes made on first start: address=password (IMAP/SMTP login is the full address)");
    return new Provisioned(true, List.copyOf(made), credentials);
  }

  /** What {@link #provision} did. */
  public record Provisioned(boolean firstStart, List<String> users, Path credentialsFile) {}

  private boolean ensurePki() throws IOException {
    PkiFolder folder = pki();
    if (folder.exists()) {
      return false;
    }
    String password = Secrets.password(24);
    TestPki testPki = TestPki.builder()
        .domain(settings.domain())
        .person("dr.martin@" + settings.domain())
        .build();
    testPki.writeTo(folder.root(), password.toCharArray());
    Secrets.writeOwnerOnly(folder.root().resolve(PKI_PASSWORD_FILE), password + "\n");
    return true;
  }

  /**
   * First start: a whitelist (ANS format) naming the gateway's own domain with its TLS client
   * certificate's DN. Peers are added with {@code pont whitelist add}; an ANS snapshot can replace it.
   */
  private void ensureWhitelist() throws IOException, GeneralSecurityException {
    if (Files.exists(settings.whitelistFile())) {
      return;
    }
    Path cert = pki().organisationCertificate(settings.domain(), Usage.TLS_CLIENT);
    if (!Files.exists(cert)) {
      throw new IOException("no whitelist at " + settings.whitelistFile() + " and no TLS client certificate ("
          + cert + ") to write one from");
    }
    X509Certificate client = PkiFolder.readCertificates(cert).get(0);
    if (WhitelistFile.createIfAbsent(settings.whitelistFile(), settings.domain(), client.getSubjectX500Principal(),
        "this gateway (written on first start)")) {
      LOG.info("Wrote a whitelist for {} in {}", settings.domain(), settings.whitelistFile());
    }
  }

  private char[] pkiPassword() throws IOException {
    Path file = settings.pkiDir().resolve(PKI_PASSWORD_FILE);
    if (!Files.exists(file)) {
      throw new IOException("the PKI in " + settings.pkiDir() + " has no " + PKI_PASSWORD_FILE
          + " holding the password of its keys");
    }
    return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
  }

  private void writeServerKeystore(TlsFiles tls) throws IOException, GeneralSecurityException {
    Path source = pki().organisationPkcs12(settings.domain(), Usage.TLS_SERVER);
    if (!Files.exists(source)) {
      throw new IOException("no TLS server credential for " + settings.domain() + " in " + settings.pkiDir()
          + " (expected " + source + ")");
    }
    char[] pkiPassword = pkiPassword();
    KeyStore in = KeyStore.getInstance("PKCS12");
    try (InputStream is = Files.newInputStream(source)) {
      in.load(is, pkiPassword);
    }
    String alias = in.aliases().nextElement();
    Key key = in.getKey(alias, pkiPassword);
    Certificate[] chain = in.getCertificateChain(alias);
    KeyStore out = KeyStore.getInstance("PKCS12");
    out.load(null, null);
    char[] secret = tls.keystoreSecret().toCharArray();
    out.setKeyEntry("tls-server", key, secret, chain);
    store(out, tls.keystore(), secret);
  }

  private void writeTruststore(TlsFiles tls) throws IOException, GeneralSecurityException {
    KeyStore out = KeyStore.getInstance("PKCS12");
    out.load(null, null);
    List<X509Certificate> anchors = PkiFolder.readCertificates(pki().trustAnchors());
    for (int i = 0; i < anchors.size(); i++) {
      out.setCertificateEntry("anchor-" + i, anchors.get(i));
    }
    store(out, tls.truststore(), tls.truststoreSecret().toCharArray());
  }

  private static void store(KeyStore store, Path file, char[] secret) throws IOException, GeneralSecurityException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Secrets.writeOwnerOnly(tmp, "");
    try (OutputStream os = Files.newOutputStream(tmp)) {
      store.store(os, secret);
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
