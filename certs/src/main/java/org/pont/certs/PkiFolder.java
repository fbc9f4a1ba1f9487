package org.pont.certs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * A test PKI written to a folder. The layout (also written as {@code README.txt} in the folder):
 *
 * <pre>
 * trust-anchors.pem            the root certificate: what verifiers trust
 * chain.pem                    the intermediate CA certificates (organisations, persons)
 * crls.pem                     the CRL of each CA
 * ca/NAME.cert.pem, NAME.p12   root, organisations, persons: CA certificates and keys
 * domains/DOMAIN/USE.*         USE = tls-server, tls-client, signature, encryption
 * persons/ADDRESS/USE.*        USE = signature, encryption
 * negative/revoked.*, expired.*  a revoked and an expired signature credential
 * </pre>
 *
 * Each credential is written three ways: {@code USE.cert.pem} (the certificate), {@code USE.p12}
 * (password-protected PKCS#12 with the key and the whole chain) and {@code USE.key.pem} (the key as
 * encrypted PKCS#8, same password, for tools such as {@code openssl}). The top level holds only
 * trust material, so the folder can be given as is to anything that reads a trust folder.
 */
public record PkiFolder(Path root) {
  // A private instance, never installed globally: the JDK providers lack AES/CBC/PKCS7Padding names BC asks for.
  private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
  public static final String TRUST_ANCHORS = "trust-anchors.pem";
  public static final String CHAIN = "chain.pem";
  public static final String CRLS = "crls.pem";

  public static PkiFolder at(Path root) {
    return new PkiFolder(root);
  }

  /** True when the folder holds a written PKI (its trust anchors at least). */
  public boolean exists() {
    return Files.isRegularFile(root.resolve(TRUST_ANCHORS));
  }

  public Path trustAnchors() {
    return root.resolve(TRUST_ANCHORS);
  }

  public Path chain() {
    return root.resolve(CHAIN);
  }

  public Path crls() {
    return root.resolve(CRLS);
  }

  /** {@code domains/DOMAIN/USE.p12}. */
  public Path organisationPkcs12(String domain, Usage usage) {
    return root.resolve("domains").resolve(domain).resolve(usage.fileName() + ".p12");
  }

  /** {@code domains/DOMAIN/USE.cert.pem}. */
  public Path organisationCertificate(String domain, Usage usage) {
    return root.resolve("domains").resolve(domain).resolve(usage.fileName() + ".cert.pem");
  }

  /** {@code persons/ADDRESS/USE.p12}; usage is SIGNATURE or ENCRYPTION. */
  public Path personPkcs12(String address, Usage usage) {
    return root.resolve("persons").resolve(address).resolve(usage.fileName() + ".p12");
  }

  /** {@code persons/ADDRESS/USE.cert.pem}; usage is SIGNATURE or ENCRYPTION. */
  public Path personCertificate(String address, Usage usage) {
    return root.resolve("persons").resolve(address).resolve(usage.fileName() + ".cert.pem");
  }

  static PkiFolder write(TestPki pki, Path dir, char[] password) throws IOException {
    if (password == null || password.length < 8) {
      throw new IllegalArgumentException("a PKI password needs at least 8 characters");
    }
    Files.createDirectories(dir);
    PkiFolder folder = new PkiFolder(dir);
    writeText(folder.trustAnchors(), pem(pki.trustAnchors()), false);
    writeText(folder.chain(), pem(pki.intermediates()), false);
    writeText(folder.crls(), pem(pki.crls()), false);
    for (Map.Entry<String, Credential> e : pki.credentialsByPath().entrySet()) {
      Path base = dir.resolve(e.getKey());
      Files.createDirectories(base.getParent());
      Credential c = e.getValue();
      String name = base.getFileName().toString();
      writeText(base.resolveSibling(name + ".cert.pem"), pem(List.of(c.certificate())), false);
      writeText(base.resolveSibling(name + ".key.pem"), encryptedKey(c, password), true);
      writePkcs12(base.resolveSibling(name + ".p12"), name, c, password);
    }
    List<X509CRL> crls = pki.crls();
    String[] caNames = {"root", "organisations", "persons"};
    for (int i = 0; i < caNames.length; i++) {
      writeText(dir.resolve("ca").resolve(caNames[i] + ".crl.pem"), pem(List.of(crls.get(i))), false);
    }
    writeText(dir.resolve("README.txt"), readme(pki), false);
    return folder;
  }

  private static String readme(TestPki pki) {
    return """
        Pont test PKI (shaped like IGC-Sante) - FOR TESTS AND LOCAL TRUST SPACES ONLY
        Made %s, keys %s.

        trust-anchors.pem            the root certificate: what verifiers trust
        chain.pem                    the intermediate CA certificates (organisations, persons)
        crls.pem                     the CRL of each CA (ca/*.crl.pem one by one)
        ca/NAME.*                    root, organisations, persons: CA certificates and keys
        domains/DOMAIN/USE.*         USE = tls-server, tls-client, signature, encryption
        persons/ADDRESS/USE.*        USE = signature, encryption
        negative/revoked.*           a signature credential listed in the persons CA's CRL
        negative/expired.*           a signature credential that expired a year ago

        USE.cert.pem  the certificate
        USE.p12       PKCS#12: key + certificate chain, protected by the PKI password
        USE.key.pem   the key alone, encrypted PKCS#8 (same password)

        Domains: %s
        Persons: %s
        """.formatted(pki.createdAt(), pki.keyAlgorithm(), pki.organisations().keySet(), pki.persons().keySet());
  }

  private static String pem(List<?> objects) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    }
    return out.toString();
  }

  private static String encryptedKey(Credential c, char[] password) throws IOException {
    try {
      var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC).setPassword(password).build();
      StringWriter out = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(out)) {
        w.writeObject(new JcaPKCS8Generator(c.privateKey(), encryptor));
      }
      return out.toString();
    } catch (OperatorCreationException e) {
      throw new IOException("cannot encrypt the private key of " + c.subjectDn(), e);
    }
  }

  private static void writePkcs12(Path file, String alias, Credential c, char[] password) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, c.privateKey(), password, c.chain().toArray(Certificate[]::new));
      try (OutputStream out = newPrivateFile(file)) {
        store.store(out, password);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write PKCS#12 " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeText(Path file, String text, boolean secret) throws IOException {
    Files.createDirectories(file.getParent());
    if (secret) {
      try (Writer w = new java.io.OutputStreamWriter(newPrivateFile(file), StandardCharsets.US_ASCII)) {
        w.write(text);
      }
    } else {
      Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
  }

  /** Opens a file readable by its owner only (where the file system knows POSIX permissions). */
  private static OutputStream newPrivateFile(Path file) throws IOException {
    Files.deleteIfExists(file);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      return Files.newOutputStream(file);
    }
    return Files.newOutputStream(file);
  }

  /** Reads the certificates of a PEM file written here (or any PEM/DER certificate file). */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toList();
    } catch (java.security.cert.CertificateException e) {
      throw new IOException(file + " holds no readable certificate: " + e.getMessage(), e);
    }
  }
}
