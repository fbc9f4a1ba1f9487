package org.pont.gateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.Credential;
import org.pont.certs.PkiFolder;
import org.pont.certs.TestPki;
import org.pont.gateway.config.RelaySettings.Route;
import org.pont.gateway.directory.ReloadingWhitelist;

/**
 * The outbound side of operator mTLS against a real TLS server socket: the client certificate is
 * presented, and the server must chain to the trust anchors and be the whitelisted operator of
 * the domain routed to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorTlsSocketFactoryTest {

  private TestPki pki;
  private PkiFolder folder;
  private ReloadingWhitelist whitelist;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    pki = TlsFixtures.sharedPki();
    folder = TlsFixtures.writeGatewayPki(pki, dir);
    whitelist = new ReloadingWhitelist(TlsFixtures.whitelist(pki, dir.resolve("whitelist.xml")));
  }

  @Test
  void theRoutedDomainsOperatorIsAcceptedAndSeesOurClientCertificate() throws Exception {
    X500Principal seenByServer = handshake(pki.organisation("cabinet.test").tlsServer(), pki.trustAnchors(), "cabinet.test");
    assertThat(seenByServer).isEqualTo(pki.organisation("hopital.test").tlsClient().certificate().getSubjectX500Principal());
  }

  @Test
  void aServerOfTheTrustSpaceThatIsNotTheRoutedDomainsOperatorIsRefused() {
    assertThatThrownBy(() -> handshake(pki.organisation("rogue.test").tlsServer(), pki.trustAnchors(), "cabinet.test"))
        .isInstanceOf(SSLPeerUnverifiedException.class)
        .hasMessageContaining("CN=rogue.test")
        .hasMessageContaining("not the operator the whitelist publishes for cabinet.test");
  }

  @Test
  void aWhitelistedOperatorWhoseServerCertificateIsRevokedIsRefused() {
    assertThatThrownBy(() -> handshake(pki.organisation("revoque.test").tlsServer(), pki.trustAnchors(), "revoque.test"))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("was revoked on")
        .hasMessageContaining("AC PONT TEST ORGANISATIONS");
  }

  @Test
  void withoutTheTrustSpacesCrlsEveryPeerIsRefused(@TempDir Path other) throws Exception {
    // Fail closed: a link does not open on an unknown revocation status.
    PkiFolder noCrls = TlsFixtures.writeGatewayPki(pki, other);
    Files.delete(noCrls.crls());
    PeerRevocation revocation = PeerRevocation.fromPki(noCrls);

    assertThatThrownBy(() -> revocation.check(new X509Certificate[] {pki.organisation("cabinet.test").tlsServer().certificate()}))
        .isInstanceOf(java.security.cert.CertificateException.class)
        .hasMessageContaining("no current CRL from");
    PeerRevocation.fromPki(folder).check(new X509Certificate[] {pki.organisation("cabinet.test").tlsServer().certificate()});
  }

  @Test
  void aServerFromAnotherCaIsRefused() {
    TestPki foreign = TestPki.builder().keyAlgorithm(org.pont.certs.KeyAlgorithm.EC_P256).domain("cabinet.test").build();
    assertThatThrownBy(() -> handshake(foreign.organisation("cabinet.test").tlsServer(), foreign.trustAnchors(), "cabinet.test"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void routesMatchByPortAndResolvedHost() throws Exception {
    OperatorTlsSocketFactory f = factory(List.of(new Route("cabinet.test", "localhost", 2526),
        new Route("clinique.test", "127.0.0.1", 2526), new Route("autre.test", "127.0.0.1", 2527)));
    java.net.InetAddress loopback = java.net.InetAddress.getByName("127.0.0.1");
    assertThat(f.domainsRoutedTo(loopback, "127.0.0.1", 2526)).containsExactlyInAnyOrder("cabinet.test", "clinique.test");
    assertThat(f.domainsRoutedTo(loopback, "127.0.0.1", 2527)).containsExactly("autre.test");
    assertThat(f.domainsRoutedTo(loopback, "127.0.0.1", 25)).isEmpty();
  }

  private OperatorTlsSocketFactory factory(List<Route> routes) throws Exception {
    return OperatorTlsSocketFactory.fromPki(folder, TlsFixtures.PASSWORD, "hopital.test", whitelist, routes);
  }

  /** Runs one handshake against a server presenting {@code server}; returns the client DN it saw. */
  private X500Principal handshake(Credential server, List<X509Certificate> serverTrusts, String routedDomain) throws Exception {
    SSLContext serverContext = TlsFixtures.context(server, serverTrusts);
    try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0)) {
      listener.setWantClientAuth(true);
      int port = listener.getLocalPort();
      CompletableFuture<X500Principal> seen = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          s.setSoTimeout(10_000);
          s.startHandshake();
          X500Principal client = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal();
          s.getInputStream().read(); // until the client closes
          return client;
        } catch (Exception e) {
          return null;
        }
      });
      OperatorTlsSocketFactory f = factory(List.of(new Route(routedDomain, "127.0.0.1", port)));
      Socket plain = new Socket("127.0.0.1", port);
      try (Socket tls = f.createSocket(plain, "127.0.0.1", port, true)) {
        assertThat(((SSLSocket) tls).getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
      } finally {
        plain.close();
      }
      return seen.get(10, TimeUnit.SECONDS);
    }
  }
}
