package org.pont.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.transport.MailServers.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
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

  /** Serves one SMTP session over TLS and returns the commands received (message content left out). */
  private static List<String> serveOnce(SSLServerSocket server) throws IOException {
    List<String> commands = new ArrayList<>();
    try (SSLSocket s = (SSLSocket) server.accept();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII)) {
      s.setSoTimeout(10_000);
      reply(out, "220 test ESMTP");
      String line;
      while ((line = in.readLine()) != null) {
        commands.add(line.startsWith("AUTH ") ? "AUTH" : line); // the credentials are not kept
        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
        switch (verb) {
          case "EHLO" -> reply(out, "250-test\r\n250-AUTH PLAIN\r\n250-DSN\r\n250 8BITMIME");
          case "AUTH" -> {
            if (line.trim().split(" ").length < 3) { // no initial response: ask for it
              reply(out, "334 ");
              in.readLine();
            }
            reply(out, "235 authenticated");
          }
          case "DATA" -> {
            reply(out, "354 go on");
            String data;
            while ((data = in.readLine()) != null && !data.equals(".")) {
              // the message itself is not recorded
            }
            reply(out, "250 queued");
          }
          case "QUIT" -> {
            reply(out, "221 bye");
            return commands;
          }
          default -> reply(out, "250 ok");
        }
      }
    }
    return commands;
  }

  private static void reply(Writer out, String text) throws IOException {
    out.write(text + "\r\n");
    out.flush();
  }

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
          return serveOnce(server);
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
