package org.pont.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pont.transport.MailServers.*;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.TestPki;
import org.pont.index.DefaultMessageExtractor;
import org.pont.index.MessageIndex;
import org.pont.index.SearchHit;
import org.pont.index.SearchQuery;
import org.pont.smime.KeyCredential;
import org.pont.smime.RevocationPolicy;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;
import org.pont.smime.VerdictReason;

class MailTransportTest {

  @RegisterExtension
  static final GreenMailExtension GREENMAIL = new GreenMailExtension(new ServerSetup[] {smtps(), imaps(), smtp(), imap()})
      .withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, PASSWORD).withUser(SENDER, SENDER, SENDER_PASSWORD))
      .withPerMethodLifecycle(false);

  @TempDir
  Path dir;

  private static ServerSettings smtpsSettings() {
    return ServerSettings.implicitTls(HOST, GREENMAIL.getSmtps().getPort(), trust());
  }

  private static ServerSettings imapsSettings() {
    return ServerSettings.implicitTls(HOST, GREENMAIL.getImaps().getPort(), trust());
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

  private static KeyCredential key(org.pont.certs.Credential c) {
    return KeyCredential.of(c.privateKey(), c.certificate(), c.chain());
  }

  @Test
  void aMessageSignedAndEncryptedEndToEndIsSentOverSmtpsThenSyncedOpenedAndFoundByItsFrenchText() throws Exception {
    MailSender sender = MailSender.of(smtpsSettings(), MailCredentials.of(SENDER, SENDER_PASSWORD.toCharArray()))
        .withSecureMessaging(smime(SENDER));
    MimeMessage message = MailMessages.text(SENDER, USER, "Sortie de M. Dupont",
        "Rééducation du genou droit : 10 séances de kinésithérapie.");

    String messageId = sender.send(message, MailSender.Protection.SIGN_AND_ENCRYPT,
        List.of(pki().person(USER).encryption().certificate()));

    assertThat(messageId).startsWith("<").endsWith(">");
    assertThat(GREENMAIL.waitForIncomingEmail(5000, 1)).isTrue();
    try (MessageIndex index = MessageIndex.open(dir)) {
      SyncResult result = MailboxSync.builder(imapsSettings(), credentials(), index)
          .extractor(DefaultMessageExtractor.builder().secureMessaging(smime(USER)).build())
          .build().sync();

      assertThat(result.indexed()).isGreaterThanOrEqualTo(1);
      List<SearchHit> hits = index.search(SearchQuery.text("reeducation genoux")).hits();
      assertThat(hits).singleElement().satisfies(hit -> {
        assertThat(hit.messageId()).contains(messageId);
        assertThat(hit.from()).isEqualTo(SENDER);
        assertThat(hit.verdict()).contains(VerdictReason.VALID);
        assertThat(hit.ref().folder()).isEqualTo("INBOX");
        assertThat(hit.read()).isFalse();
      });
    }
  }

  @Test
  void submissionWithRequiredStarttlsSendsAndImapWithRequiredStarttlsSyncs() throws Exception {
    org.pont.certs.Credential tls = pki().organisation(DOMAIN).tlsServer();
    try (StartTlsFront submission = new StartTlsFront(StartTlsFront.Protocol.SMTP, GREENMAIL.getSmtp().getPort(), tls);
        StartTlsFront imap = new StartTlsFront(StartTlsFront.Protocol.IMAP, GREENMAIL.getImap().getPort(), tls);
        MessageIndex index = MessageIndex.open(dir)) {
      MailSender sender = MailSender.of(ServerSettings.starttls(HOST, submission.port(), trust()),
          MailCredentials.of(SENDER, SENDER_PASSWORD.toCharArray()));
      String id = sender.send(MailMessages.text(SENDER, USER, "Envoi STARTTLS", "Ostéopathie du coude"));

      MailboxSync.builder(ServerSettings.starttls(HOST, imap.port(), trust()), credentials(), index).build().sync();

      assertThat(index.search(SearchQuery.text("osteopathie")).hits())
          .singleElement().satisfies(h -> assertThat(h.messageId()).contains(id));
    }
  }

  @Test
  void starttlsToAServerWithAnUntrustedCertificateIsRefused() throws Exception {
    org.pont.certs.Credential foreign = stranger().organisation(DOMAIN).tlsServer();
    try (StartTlsFront submission = new StartTlsFront(StartTlsFront.Protocol.SMTP, GREENMAIL.getSmtp().getPort(), foreign)) {
      MailSender sender = MailSender.of(ServerSettings.starttls(HOST, submission.port(), trust()),
          MailCredentials.of(SENDER, SENDER_PASSWORD.toCharArray()));

      assertThatThrownBy(() -> sender.send(MailMessages.text(SENDER, USER, "x", "y"))).isInstanceOf(TlsException.class);
    }
  }

  @Test
  void anOAuth2AccessTokenLogsInWithXoauth2ForSubmissionAndImap() throws Exception {
    // GreenMail accepts the account's password as its XOAUTH2 token.
    MailSender sender = MailSender.of(smtpsSettings(), MailCredentials.oauth2(SENDER, SENDER_PASSWORD.toCharArray()));
    String id = sender.send(MailMessages.text(SENDER, USER, "Jeton", "Connexion par jeton Pro Santé Connect"));

    try (MessageIndex index = MessageIndex.open(dir)) {
      MailboxSync.builder(imapsSettings(), MailCredentials.oauth2(USER, PASSWORD.toCharArray()), index).build().sync();

      assertThat(index.search(SearchQuery.text("jeton connexion")).hits())
          .singleElement().satisfies(h -> assertThat(h.messageId()).contains(id));
    }
  }

  @Test
  void anApplicativeMailboxPresentsItsOrganisationClientCertificateWhenTheServerDemandsOne() throws Exception {
    org.pont.certs.Credential tls = pki().organisation(DOMAIN).tlsServer();
    org.pont.certs.Credential client = pki().organisation(DOMAIN).tlsClient();
    try (StartTlsFront mutual = new StartTlsFront(StartTlsFront.Protocol.SMTP, GREENMAIL.getSmtp().getPort(), tls, pki().trustAnchors())) {
      ServerSettings withoutCertificate = ServerSettings.starttls(HOST, mutual.port(), trust());
      ServerSettings withCertificate = withoutCertificate.withClientCertificate(
          KeyCredential.of(client.privateKey(), client.certificate(), client.chain()));
      MailCredentials login = MailCredentials.of(SENDER, SENDER_PASSWORD.toCharArray());

      String id = MailSender.of(withCertificate, login).send(MailMessages.text(SENDER, USER, "mTLS", "avec certificat"));
      assertThat(id).isNotBlank();
      // TLS 1.3 refuses a missing client certificate after the handshake: the client sees either the
      // alert (TlsException) or, if it was writing at that moment, only a broken connection.
      assertThatThrownBy(() -> MailSender.of(withoutCertificate, login).send(MailMessages.text(SENDER, USER, "mTLS", "sans")))
          .isInstanceOfAny(TlsException.class, ServerUnreachableException.class);
    }
  }

  @Test
  void aWrongPasswordIsAnAuthenticationFailure() throws Exception {
    MailSender sender = MailSender.of(smtpsSettings(), MailCredentials.of(SENDER, "mauvais".toCharArray()));

    assertThatThrownBy(() -> sender.send(MailMessages.text(SENDER, USER, "x", "y")))
        .isInstanceOf(AuthenticationException.class)
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isFalse());
  }

  @Test
  void aServerWhoseCertificateIsNotFromTheTrustedAuthoritiesIsRefused() throws Exception {
    ServerSettings untrusted = ServerSettings.implicitTls(HOST, GREENMAIL.getImaps().getPort(), TlsTrust.of(stranger().trustAnchors()));

    try (MessageIndex index = MessageIndex.open(dir)) {
      assertThatThrownBy(() -> MailboxSync.builder(untrusted, credentials(), index).build().sync())
          .isInstanceOf(TlsException.class)
          .hasMessageContaining(String.valueOf(GREENMAIL.getImaps().getPort()));
    }
  }

  @Test
  void aCertificateFromTheTrustedAuthorityButForAnotherHostIsRefused() throws Exception {
    org.pont.certs.Credential otherHost = OtherNameCertificate.issue(pki().organisationCa(), "mail.ailleurs.test");
    try (StartTlsFront submission = new StartTlsFront(StartTlsFront.Protocol.SMTP, GREENMAIL.getSmtp().getPort(), otherHost)) {
      MailSender sender = MailSender.of(ServerSettings.starttls(HOST, submission.port(), trust()),
          MailCredentials.of(SENDER, SENDER_PASSWORD.toCharArray()));

      assertThatThrownBy(() -> sender.send(MailMessages.text(SENDER, USER, "x", "y")))
          .isInstanceOf(TlsException.class).hasMessageContaining("localhost");
    }
  }

  @Test
  void aServerThatDoesNotOfferStarttlsIsRefusedRatherThanUsedInClear() throws Exception {
    ServerSettings plain = ServerSettings.starttls(HOST, GREENMAIL.getSmtp().getPort(), trust());

    assertThatThrownBy(() -> MailSender.of(plain, MailCredentials.of(SENDER, SENDER_PASSWORD.toCharArray()))
        .send(MailMessages.text(SENDER, USER, "x", "y")))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("STARTTLS");
  }

  @Test
  void aClosedPortIsAnUnreachableServerWhichIsRetryable() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    ServerSettings nowhere = ServerSettings.implicitTls(HOST, closedPort, trust()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));

    assertThatThrownBy(() -> MailSender.of(nowhere, credentials()).send(MailMessages.text(SENDER, USER, "x", "y")))
        .isInstanceOf(ServerUnreachableException.class)
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isTrue());
  }

  @Test
  void credentialsNeverShowTheirPassword() {
    assertThat(credentials().toString()).contains(USER).doesNotContain(PASSWORD);
  }
}
