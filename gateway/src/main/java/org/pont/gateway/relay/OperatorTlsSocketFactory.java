package org.pont.gateway.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;
import org.pont.certs.PkiFolder;
import org.pont.certs.Usage;
import org.pont.gateway.config.RelaySettings.Route;
import org.pont.gateway.directory.ReloadingWhitelist;
import org.pont.gateway.directory.Whitelist;
import org.pont.gateway.directory.WhitelistDomain;

/**
 * The TLS of outbound operator-to-operator SMTP (ADR 0011): James's RemoteDelivery names this
 * class in {@code mail.smtp.ssl.socketFactory.class}, and Jakarta/JavaMail calls its static
 * {@link #getDefault()} for every STARTTLS. The factory
 * <ul>
 *   <li>presents the gateway's TLS client certificate ({@code domains/<domain>/tls-client.p12});
 *   <li>accepts only a server chain to the PKI's trust anchors (PKIX; no trust-all anywhere) whose
 *       certificates are not revoked by the trust space's CRLs ({@link PeerRevocation}, fail closed);
 *   <li>on a static route, requires the server certificate's subject to be an operator DN the
 *       whitelist publishes for a domain routed to that host and port (the same identity the
 *       peer checks on us; an IP address in the route says nothing about who answers);
 *   <li>on an MX route, requires the MX host name in the certificate (HTTPS-style identification)
 *       and its subject to be some whitelisted operator's.
 * </ul>
 * Offers TLS 1.3 and 1.2 only. Process-wide by necessity: JavaMail only instantiates a factory
 * class through {@code getDefault()}; a Pont gateway runs one James per JVM, and
 * {@link #install} replaces the factory when James starts again.
 */
public final class OperatorTlsSocketFactory extends SSLSocketFactory {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OperatorTlsSocketFactory.class);

  private static volatile OperatorTlsSocketFactory installed;

  private final SSLSocketFactory tls;
  private final ReloadingWhitelist whitelist;
  private final List<Route> routes;

  OperatorTlsSocketFactory(SSLContext context, ReloadingWhitelist whitelist, List<Route> routes) {
    this.tls = context.getSocketFactory();
    this.whitelist = Objects.requireNonNull(whitelist, "whitelist");
    this.routes = List.copyOf(routes);
  }

  /**
   * Builds the factory from a PKI folder: the client credential of {@code domain} (PKCS#12 under
   * {@code password}) and the folder's trust anchors.
   */
  public static OperatorTlsSocketFactory fromPki(PkiFolder pki, char[] password, String domain,
      ReloadingWhitelist whitelist, List<Route> routes) throws IOException, GeneralSecurityException {
    Path client = pki.organisationPkcs12(domain, Usage.TLS_CLIENT);
    if (!Files.exists(client)) {
      throw new IOException("no TLS client credential for " + domain + " in " + pki.root() + " (expected " + client + ")");
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(client)) {
      keys.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    int i = 0;
    for (X509Certificate c : PkiFolder.readCertificates(pki.trustAnchors())) {
      anchors.setCertificateEntry("anchor-" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(anchors);
    X509ExtendedTrustManager pkix = null;
    for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        pkix = x;
      }
    }
    if (pkix == null) {
      throw new GeneralSecurityException("the JDK offers no PKIX X509ExtendedTrustManager");
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(),
        new javax.net.ssl.TrustManager[] {new RevocationCheckingTrustManager(pkix, PeerRevocation.fromPki(pki))}, null);
    return new OperatorTlsSocketFactory(context, whitelist, routes);
  }

  /**
   * The JDK's PKIX checks (chain to the anchors, dates, key usage, host-independent) and then the
   * trust space's CRLs for the peer operator's server certificate: a revoked peer fails the
   * handshake, RemoteDelivery keeps the mail and retries on its schedule, then bounces it.
   */
  static final class RevocationCheckingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final PeerRevocation revocation;

    RevocationCheckingTrustManager(X509ExtendedTrustManager pkix, PeerRevocation revocation) {
      this.pkix = pkix;
      this.revocation = revocation;
    }

    private X509Certificate[] revoked(X509Certificate[] chain) throws java.security.cert.CertificateException {
      try {
        revocation.check(chain);
      } catch (java.security.cert.CertificateException e) {
        LOG.warn("Peer operator's TLS certificate refused: {}", e.getMessage());
        throw e;
      }
      return chain;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws java.security.cert.CertificateException {
      pkix.checkServerTrusted(chain, authType, socket);
      revoked(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
        throws java.security.cert.CertificateException {
      pkix.checkServerTrusted(chain, authType, engine);
      revoked(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
      pkix.checkServerTrusted(chain, authType);
      revoked(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("the relay only connects out");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("the relay only connects out");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("the relay only connects out");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }
  }

  /** Makes {@code factory} the one {@link #getDefault()} returns (James start). */
  public static void install(OperatorTlsSocketFactory factory) {
    installed = Objects.requireNonNull(factory, "factory");
  }

  /** Called by JavaMail through {@code mail.smtp.ssl.socketFactory.class}. */
  public static SocketFactory getDefault() {
    OperatorTlsSocketFactory f = installed;
    if (f == null) {
      throw new IllegalStateException("Pont's operator TLS is not set up: James was not started by the Pont gateway");
    }
    return f;
  }

  @Override
  public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
    List<String> routed = domainsRoutedTo(plain.getInetAddress(), host, port);
    SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, autoClose);
    try {
      SSLParameters p = ssl.getSSLParameters();
      p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      if (routed.isEmpty()) {
        p.setEndpointIdentificationAlgorithm("HTTPS"); // MX: the host name must be in the certificate
      }
      ssl.setSSLParameters(p);
      ssl.startHandshake();
      checkOperator(ssl, routed, host);
      return ssl;
    } catch (IOException | RuntimeException e) {
      ssl.close();
      throw e;
    }
  }

  private void checkOperator(SSLSocket ssl, List<String> routed, String host) throws SSLPeerUnverifiedException {
    Certificate[] chain = ssl.getSession().getPeerCertificates();
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new SSLPeerUnverifiedException("the peer at " + host + " presented no X.509 certificate");
    }
    X500Principal subject = leaf.getSubjectX500Principal();
    Whitelist w = whitelist.current();
    if (routed.isEmpty()) {
      String canonical = subject.getName(X500Principal.CANONICAL);
      boolean operator = w.entries().stream().map(WhitelistDomain::operatorDn)
          .anyMatch(dn -> dn.getName(X500Principal.CANONICAL).equals(canonical));
      if (!operator) {
        throw new SSLPeerUnverifiedException("the server " + host + " presented " + subject.getName()
            + ", which is no operator of the whitelist");
      }
      return;
    }
    for (String domain : routed) {
      if (w.isOperatorOf(domain, subject)) {
        return;
      }
    }
    throw new SSLPeerUnverifiedException("the server at " + host + " presented " + subject.getName()
        + ", which is not the operator the whitelist publishes for " + String.join(", ", routed));
  }

  /** The domains whose static route leads to this peer (same port, host resolving to its address). */
  List<String> domainsRoutedTo(InetAddress peer, String host, int port) {
    List<String> out = new ArrayList<>();
    for (Route r : routes) {
      if (r.port() != port) {
        continue;
      }
      if (r.host().equalsIgnoreCase(host) || (peer != null && resolvesTo(r.host(), peer))) {
        out.add(r.domain());
      }
    }
    return out;
  }

  private static boolean resolvesTo(String host, InetAddress address) {
    try {
      return Arrays.asList(InetAddress.getAllByName(host)).contains(address);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return createSocket(new Socket(host, port), host, port, true);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return createSocket(new Socket(host, port, localHost, localPort), host, port, true);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return createSocket(new Socket(host, port), host.getHostName(), port, true);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return createSocket(new Socket(address, port, localAddress, localPort), address.getHostName(), port, true);
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return tls.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return tls.getSupportedCipherSuites();
  }
}
