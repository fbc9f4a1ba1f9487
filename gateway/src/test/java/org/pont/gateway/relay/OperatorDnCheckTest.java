package org.pont.gateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.TestPki;
import org.pont.gateway.Gateway;
import org.pont.gateway.directory.WhitelistFile;

/**
 * The operator port's DN check through a real (in-memory) gateway: the client certificate's
 * subject must be the whitelist's operator for the MAIL FROM domain. One trust space holds
 * hopital.test (this gateway), cabinet.test (whitelisted) and rogue.test (not whitelisted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorDnCheckTest {

  private TestPki pki;
  private Path data;
  private Gateway gateway;
  private int smtp;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    data = dir.resolve("data");
    pki = TlsFixtures.sharedPki();
    TlsFixtures.writeGatewayPki(pki, data);
    TlsFixtures.whitelist(pki, data.resolve("whitelist.xml"));
    Path config = dir.resolve("gateway.properties");
    Files.writeString(config, String.join("\n", "pont.storage=memory",
        "pont.ports.smtp=0", "pont.ports.submission=0", "pont.ports.imap=0", "pont.ports.imaps=0",
        "micronaut.server.port=-1"));
    gateway = Gateway.start(Map.of("pont.data", data.toString()), Optional.of(config));
    smtp = gateway.james().james().ports().smtp();
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void theWhitelistedOperatorOfTheSenderDomainIsAccepted() throws Exception {
    assertThat(mailFrom("cabinet.test", "kine@cabinet.test")).startsWith("250");
  }

  @Test
  void anotherOperatorsCertificateIsRefusedWithTheReasonAndAudited() throws Exception {
    String reply = mailFrom("rogue.test", "kine@cabinet.test");
    assertThat(reply).startsWith("550 5.7.1")
        .contains("is not the operator the whitelist publishes for cabinet.test")
        .contains("CN=rogue.test");
    String audit = auditText();
    assertThat(audit).contains("PEER_REFUSED").contains("OPERATOR_DN_MISMATCH").contains("kine@cabinet.test");
  }

  @Test
  void aDomainOutsideTheWhitelistIsRefusedUntilItIsAddedWithoutARestart() throws Exception {
    assertThat(mailFrom("rogue.test", "someone@rogue.test")).startsWith("550 5.7.1")
        .contains("rogue.test is not in the whitelist");
    Thread.sleep(20); // a distinct modification time, even on coarse file systems
    WhitelistFile.add(data.resolve("whitelist.xml"), "rogue.test",
        pki.organisation("rogue.test").tlsClient().certificate().getSubjectX500Principal(), "now trusted");
    assertThat(mailFrom("rogue.test", "someone@rogue.test")).startsWith("250");
  }

  @Test
  void aWhitelistedOperatorWhoseClientCertificateIsRevokedIsRefusedWithTheReasonAndAudited() throws Exception {
    String reply = mailFrom("revoque.test", "someone@revoque.test");
    assertThat(reply).startsWith("550 5.7.1").contains("was revoked on").contains("CN=revoque.test");
    String audit = auditText();
    assertThat(audit).contains("OPERATOR_CERTIFICATE_REVOKED");
  }

  @Test
  void aNullSenderIsAcceptedFromAnyWhitelistedOperatorOnly() throws Exception {
    assertThat(mailFrom("cabinet.test", "")).startsWith("250");
    // intrus.test holds a certificate of the trust space but is never whitelisted.
    assertThat(mailFrom("intrus.test", "")).startsWith("550 5.7.1").contains("is no operator of the whitelist");
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefusedDuringTls() throws Exception {
    TestPki foreign = TestPki.builder().keyAlgorithm(org.pont.certs.KeyAlgorithm.EC_P256).domain("cabinet.test").build();
    SSLContext ctx = TlsFixtures.context(foreign.organisation("cabinet.test").tlsClient(), pki.trustAnchors());
    // Same names as the whitelisted clinic, but not chained to the trust anchors: no SMTP reply at all.
    assertThatThrownBy(() -> exchange(ctx, "kine@cabinet.test", true)).isInstanceOf(IOException.class);
  }

  private String mailFrom(String clientDomain, String sender) throws Exception {
    return exchange(TlsFixtures.context(pki.organisation(clientDomain).tlsClient(), pki.trustAnchors()), sender, true);
  }

  /**
   * EHLO, STARTTLS, EHLO, MAIL FROM over a raw socket; returns the reply to MAIL FROM. With
   * {@code strict} an I/O failure propagates; otherwise it is returned as "IO: ...".
   */
  private String exchange(SSLContext ctx, String sender, boolean strict) throws Exception {
    try (Socket plain = new Socket("127.0.0.1", smtp)) {
      plain.setSoTimeout(10_000);
      BufferedReader in = reader(plain);
      Writer out = writer(plain);
      assertThat(reply(in)).startsWith("220");
      send(out, "EHLO peer.test");
      assertThat(reply(in)).startsWith("250");
      send(out, "STARTTLS");
      assertThat(reply(in)).startsWith("220");
      try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "127.0.0.1", smtp, true)) {
        tls.startHandshake();
        in = reader(tls);
        out = writer(tls);
        send(out, "EHLO peer.test");
        String ehlo = reply(in);
        if (!ehlo.startsWith("250")) {
          throw new IOException("EHLO after STARTTLS answered: " + ehlo);
        }
        send(out, "MAIL FROM:<" + sender + ">");
        return reply(in);
      }
    } catch (IOException e) {
      if (strict) {
        throw e;
      }
      return "IO: " + e;
    }
  }

  private static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
  }

  private static Writer writer(Socket s) throws IOException {
    return new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
  }

  private static void send(Writer out, String line) throws IOException {
    out.write(line + "\r\n");
    out.flush();
  }

  /** A whole (possibly multi-line) reply; EOF is an error. */
  private static String reply(BufferedReader in) throws IOException {
    StringBuilder sb = new StringBuilder();
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed by the server after: " + sb);
      }
      sb.append(line).append('\n');
    } while (line.length() > 3 && line.charAt(3) == '-');
    return sb.toString().strip();
  }

  /** Every audit file of the gateway's data folder, concatenated. */
  private String auditText() throws IOException {
    try (Stream<Path> files = Files.list(data.resolve("audit"))) {
      return files.map(p -> {
        try {
          return Files.readString(p);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).reduce("", String::concat);
    }
  }
}
