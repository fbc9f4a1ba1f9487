package org.pont.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.Credential;
import org.pont.certs.TestPki;
import org.pont.index.SearchHit;
import org.pont.index.SearchQuery;
import org.pont.smime.KeyCredential;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;
import org.pont.smime.VerdictReason;
import org.pont.transport.MailCredentials;
import org.pont.transport.MailSender;
import org.pont.transport.MailServers;
import org.pont.transport.MailboxSync;
import org.pont.transport.ServerSettings;
import org.pont.transport.TlsTrust;
import org.pont.transport.TransportException;

class PontClientTest {
  static final String PASSWORD = "pont-client-test";

  @RegisterExtension
  static final GreenMailExtension GREENMAIL = new GreenMailExtension(new ServerSetup[] {
      new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort(),
      new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS).dynamicPort()})
      .withConfiguration(GreenMailConfiguration.aConfig()
          .withUser(MailServers.SENDER, MailServers.SENDER, PASSWORD)
          .withUser(MailServers.USER, MailServers.USER, PASSWORD))
      .withPerMethodLifecycle(false);

  static {
    MailServers.pki(); // installs GreenMail's TLS keystore before the servers start
  }

  @TempDir
  Path senderIndex;
  @TempDir
  Path receiverIndex;

  private static PontSettings settings(String address, Path index) {
    TestPki pki = MailServers.pki();
    TlsTrust trust = TlsTrust.of(pki.trustAnchors());
    SecureMessaging smime = SecureMessaging.builder()
        .signingKey(key(pki.person(address).signature()))
        .decryptionKey(key(pki.person(address).encryption()))
        .trust(TrustAnchors.of(pki.trustAnchors(), pki.intermediates(), pki.crls()))
        .build();
    return PontSettings.builder()
        .smtp(ServerSettings.implicitTls("localhost", GREENMAIL.getSmtps().getPort(), trust))
        .imap(ServerSettings.implicitTls("localhost", GREENMAIL.getImaps().getPort(), trust))
        .credentials(MailCredentials.of(address, PASSWORD.toCharArray()))
        .secureMessaging(smime)
        .indexFolder(index)
        .build();
  }

  private static KeyCredential key(Credential c) {
    return KeyCredential.of(c.privateKey(), c.certificate(), c.chain());
  }

  @Test
  void aPracticeSendsSyncsSearchesOpensAndAcknowledgesThroughOneClient() throws Exception {
    String messageId;
    try (PontClient hospital = PontClient.open(settings(MailServers.SENDER, senderIndex))) {
      MimeMessage letter = new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()));
      letter.setFrom(new InternetAddress(MailServers.SENDER));
      letter.setRecipients(MimeMessage.RecipientType.TO, MailServers.USER);
      letter.setSubject("Lettre de liaison", "UTF-8");
      letter.setText("Kinésithérapie : rééducation des genoux, 15 séances.", "UTF-8");
      letter.setHeader("X-MSS-CODECDA", "11490-0");
      messageId = hospital.send(letter, MailSender.Protection.SIGN_AND_ENCRYPT,
          List.of(MailServers.pki().person(MailServers.USER).encryption().certificate()));
    }
    GREENMAIL.waitForIncomingEmail(5000, 1);

    try (PontClient practice = PontClient.open(settings(MailServers.USER, receiverIndex))) {
      assertThat(practice.sync(p -> {}).indexed()).isEqualTo(1);
      SearchHit hit = practice.search(SearchQuery.builder().text("reeducation genou").documentType("11490-0").build())
          .hits().get(0);
      OpenedMessage original = practice.open(hit.ref());
      practice.acknowledge(hit.ref());

      assertThat(hit.messageId()).contains(messageId);
      assertThat(hit.verdict()).contains(VerdictReason.VALID);
      assertThat(original.wasEncrypted()).isTrue();
      assertThat(original.signature().isValid()).isTrue();
      assertThat((String) original.content().getContent()).contains("15 séances");
      assertThat(practice.search(SearchQuery.builder().acknowledged(true).build()).hits())
          .singleElement().satisfies(h -> assertThat(h.read()).isTrue());
      Flags serverFlags = GREENMAIL.getManagers().getImapHostManager()
          .getInbox(GREENMAIL.getUserManager().getUser(MailServers.USER)).getMessages().get(0).getFlags();
      assertThat(serverFlags.contains(MailboxSync.ACKNOWLEDGED_KEYWORD)).isTrue();
      assertThat(serverFlags.contains(Flags.Flag.SEEN)).isTrue();
    }
  }

  @Test
  void openingAMessageWhoseFolderChangedSaysSo() throws Exception {
    try (PontClient practice = PontClient.open(settings(MailServers.USER, receiverIndex))) {
      assertThatThrownBy(() -> practice.open(org.pont.index.MessageRef.of("INBOX", 1, 1)))
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("UIDVALIDITY");
    }
  }
}
