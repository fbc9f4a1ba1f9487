package org.pont.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.pont.smime.TrustAnchors;

/**
 * Which certificate authorities a client trusts for the server's TLS certificate. Certificate and
 * host name checks are always on: there is deliberately no "trust all" option.
 */
public final class TlsTrust {
  private final List<X509Certificate> anchors;
  private final String description;

  private TlsTrust(List<X509Certificate> anchors, String description) {
    this.anchors = List.copyOf(anchors);
    this.description = description;
  }

  /** Trusts the roots of a Pont/IGC-Santé trust folder (the same anchors S/MIME verification uses). */
  public static TlsTrust of(TrustAnchors trust) {
    Objects.requireNonNull(trust, "trust");
    return new TlsTrust(trust.anchors(), trust.anchors().size() + " configured trust anchor(s)");
  }

  /** Trusts the given CA certificates. */
  public static TlsTrust of(List<X509Certificate> anchors) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one trusted CA certificate is needed");
    }
    return new TlsTrust(anchors, anchors.size() + " configured CA certificate(s)");
  }

  /**
   * Trusts the CA certificates of a PEM file (one or more {@code BEGIN CERTIFICATE} blocks).
   *
   * @throws IOException if the file cannot be read or holds no certificate
   */
  public static TlsTrust fromPem(Path pemFile) throws IOException {
    List<X509Certificate> certs = new ArrayList<>();
    try (InputStream in = Files.newInputStream(pemFile)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(pemFile + " is not a PEM certificate file: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IOException(pemFile + " holds no certificate");
    }
    return new TlsTrust(certs, "CA certificates of " + pemFile.getFileName());
  }

  /** Trusts the JDK's default CA certificates (for servers with a public Web PKI certificate). */
  public static TlsTrust systemDefault() {
    return new TlsTrust(List.of(), "the JDK's default CA certificates");
  }

  /** The trusted CA certificates; empty for {@link #systemDefault()}. */
  public List<X509Certificate> anchors() {
    return anchors;
  }

  /**
   * A socket factory that checks the server's chain against these anchors (TLS 1.2 or higher) and,
   * if given, presents a client certificate.
   */
  SSLSocketFactory socketFactory(java.util.Optional<org.pont.smime.KeyCredential> client) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (anchors.isEmpty()) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (X509Certificate c : anchors) {
          store.setCertificateEntry("anchor-" + i++, c);
        }
        tmf.init(store);
      }
      javax.net.ssl.KeyManager[] keyManagers = null;
      if (client.isPresent()) {
        char[] pw = "pont".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        List<X509Certificate> chain = client.get().chain().isEmpty() ? List.of(client.get().certificate()) : client.get().chain();
        keys.setKeyEntry("client", client.get().privateKey(), pw, chain.toArray(new java.security.cert.Certificate[0]));
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pw);
        keyManagers = kmf.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TlsTrust[" + description + "]";
  }
}
