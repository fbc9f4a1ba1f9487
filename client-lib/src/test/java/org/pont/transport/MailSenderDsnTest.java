package org.pont.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.transport.MailServers.*;

import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pont.certs.Credential;
import org.pont.certs.TestPki;
import org.pont.smime.KeyCredential;
import org.pont.smime.RevocationPolicy;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;
import org.pont.tracking.DsnRequest;

/**
 * RFC 3461 options asked for with {@link DsnRequest#applyTo} reach the wire whatever the
 * protection: signing and encrypting make a new message, which must not lose them. The server is
 * scripted (implicit TLS with the test PKI's certificate, announces AUTH and DSN) and records the
 * SMTP commands it receives.
 */
class MailSenderDsnTest {

  private static SSLServerSocket tlsServer() throws Exception {
    Credential tls = pki().organisation(DOMAIN).tlsServer();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pw = "test".toCharArray();
    ks.setKeyEntry("tls", tls.privateKey(), pw, tls.chain().toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  private static SecureMessaging smime(String address) {
    TestPki pki = pki();
    return SecureMessaging.builder()
        .signingKey(key(pki.person(address).signature()))
        .decryptionKey(key(pki.person(address).encryption()))
        .trust(TrustAnchors.of(pki.trustAnchors(), pki.intermediates(), pki.crls()))
        .revocation(RevocationPolicy.CHECK_IF_AVAILABLE)
        .build();
  }

  private static KeyCredential key(Credential c) {
    return KeyCredential.of(c.privateKey(), c.certificate(), c.chain());
  }

  @ParameterizedTest
  @EnumSource(MailSender.Protection.class)
  void notifyRetAndEnvidSurviveEveryProtection(MailSender.Protection protection) throws Exception {
    try (SSLServerSocket server = tlsServer()) {
      CompletableFuture<List<String>> session = CompletableFuture.supplyAsync(() -> {
        try {
          return ScriptedSmtp.serveOnce(server, true);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      MailSender sender = MailSender.of(ServerSettings.implicitTls(HOST, server.getLocalPort(), trust()),
          MailCredentials.of(SENDER, SENDER_PASSWORD.toCharArray())).withSecureMessaging(smime(SENDER));
      var message = DsnRequest.all().withEnvelopeId("ENV42").applyTo(MailMessages.text(SENDER, USER, "Sortie", "Compte rendu."));

      sender.send(message, protection, List.of(pki().person(USER).encryption().certificate()));

      List<String> commands = session.get(20, TimeUnit.SECONDS);
      assertThat(commands).contains("AUTH");
      assertThat(commands).anySatisfy(c -> assertThat(c).startsWith("MAIL FROM:<" + SENDER + ">")
          .contains(" RET=HDRS").contains(" ENVID=ENV42"));
      assertThat(commands).contains("RCPT TO:<" + USER + "> NOTIFY=SUCCESS,FAILURE,DELAY");
    }
  }
}
