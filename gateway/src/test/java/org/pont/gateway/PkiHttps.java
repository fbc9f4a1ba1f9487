package org.pont.gateway;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.pont.certs.PkiFolder;

/**
 * HTTPS clients for tests that trust the gateway's PKI trust anchors and nothing else; the JDK
 * client also checks the host name (the test PKI's TLS server certificate names 127.0.0.1).
 */
public final class PkiHttps {

  private PkiHttps() {}

  /** A client for the gateway whose data folder is {@code dataDir}. */
  public static HttpClient client(Path dataDir) {
    return HttpClient.newBuilder().sslContext(context(dataDir.resolve("pki/trust-anchors.pem"))).build();
  }

  /** An SSL context trusting only the certificates in {@code trustAnchorsPem}. */
  public static SSLContext context(Path trustAnchorsPem) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (X509Certificate c : PkiFolder.readCertificates(trustAnchorsPem)) {
        trust.setCertificateEntry("anchor-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build a TLS context from " + trustAnchorsPem, e);
    }
  }
}
