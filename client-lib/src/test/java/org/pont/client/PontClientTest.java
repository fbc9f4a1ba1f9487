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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.Credential;
import org.pont.certs.TestPki;
import org.pont.index.MessageRef;
import org.pont.index.SearchHit;
import org.pont.index.SearchQuery;
import org.pont.smime.KeyCredential;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;
import org.pont.smime.VerdictReason;
import org.pont.tracking.Disposition;
import org.pont.tracking.IntegrationError;
import org.pont.tracking.IntegrationErrorCode;
import org.pont.tracking.Notification;
import org.pont.tracking.NotificationParser;
import org.pont.tracking.ReceiptRequests;
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
          .filteredOn(h -> h.messageId().filter(messageId::equals).isPresent()) // other tests share the server
          .singleElement().satisfies(h -> assertThat(h.read()).isTrue());
      Flags serverFlags = GREENMAIL.getManagers().getImapHostManager()
          .getInbox(GREENMAIL.getUserManager().getUser(MailServers.USER)).getMessages().stream()
          .filter(m -> { try { return messageId.equals(m.getMimeMessage().getMessageID()); } catch (Exception e) { return false; } })
          .findFirst().orElseThrow().getFlags();
      assertThat(serverFlags.contains(MailboxSync.ACKNOWLEDGED_KEYWORD)).isTrue();
      assertThat(serverFlags.contains(Flags.Flag.SEEN)).isTrue();
    }
  }

  @Test
  void acknowledgeSendsOneReadReceiptAndNeverAnswersANotification() throws Exception {
    String letterId;
    String mdnId;
    try (PontClient hospital = PontClient.open(settings(MailServers.SENDER, senderIndex))) {
      MimeMessage letter = new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()));
      letter.setFrom(new InternetAddress(MailServers.SENDER));
      letter.setRecipients(MimeMessage.RecipientType.TO, MailServers.USER);
      letter.setSubject("Compte rendu opératoire", "UTF-8");
      letter.setText("Arthroscopie du genou droit sans complication.", "UTF-8");
      ReceiptRequests.requestMdn(letter, new InternetAddress(MailServers.SENDER));
      letterId = hospital.send(letter);
    }
    awaitReceived(letterId);

    try (PontClient practice = PontClient.open(settings(MailServers.USER, receiverIndex))) {
      practice.sync(p -> {});
      SearchHit hit = practice.search(SearchQuery.text("arthroscopie")).hits().get(0);
      PontClient.Acknowledgement first = practice.acknowledge(hit.ref());
      PontClient.Acknowledgement second = practice.acknowledge(hit.ref());
      assertThat(first.mdnSent()).as(first.detail()).isTrue();
      assertThat(second.mdnSent()).isFalse();
      assertThat(second.detail()).contains("already acknowledged");
      mdnId = first.mdnMessageId().orElseThrow();
    }
    MimeMessage mdn = awaitReceived(mdnId);
    assertThat(mdn.getAllRecipients()).extracting(Object::toString).containsExactly(MailServers.SENDER);
    assertThat(mdn.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
    Notification.Mdn parsed = (Notification.Mdn) NotificationParser.parse(mdn).orElseThrow();
    assertThat(parsed.originalMessageId()).contains(letterId);
    assertThat(parsed.finalRecipient()).contains(MailServers.USER);
    assertThat(parsed.disposition().format()).isEqualTo("manual-action/MDN-sent-manually; displayed");
    Thread.sleep(500); // a second MDN, if one were sent, would have arrived by now
    assertThat(receivedAnswering(letterId)).isEqualTo(1);

    // The hospital's software acknowledges the MDN it received: a notification is never answered,
    // even when it (wrongly) asks for a receipt itself.
    try (PontClient hospital = PontClient.open(settings(MailServers.SENDER, senderIndex))) {
      hospital.sync(p -> {});
      MessageRef mdnRef = hospital.search(SearchQuery.builder().build()).hits().stream()
          .filter(h -> h.messageId().filter(mdnId::equals).isPresent()).findFirst().orElseThrow().ref();
      PontClient.Acknowledgement ack = hospital.acknowledge(mdnRef, Disposition.processed());
      assertThat(ack.mdnSent()).isFalse();
      assertThat(ack.detail()).contains("notification");
    }
    Thread.sleep(500);
    assertThat(receivedAnswering(mdnId)).isZero();
  }

  @Test
  void theIntegrationAcknowledgementCarriesTheAnsErrorCode() throws Exception {
    String letterId;
    try (PontClient hospital = PontClient.open(settings(MailServers.SENDER, senderIndex))) {
      MimeMessage letter = new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()));
      letter.setFrom(new InternetAddress(MailServers.SENDER));
      letter.setRecipients(MimeMessage.RecipientType.TO, MailServers.USER);
      letter.setSubject("Ordonnance", "UTF-8");
      letter.setText("Kinesitherapie respiratoire, dix seances.", "UTF-8");
      ReceiptRequests.requestMdn(letter, new InternetAddress(MailServers.SENDER));
      letterId = hospital.send(letter);
    }
    awaitReceived(letterId);
    try (PontClient practice = PontClient.open(settings(MailServers.USER, receiverIndex))) {
      practice.sync(p -> {});
      SearchHit hit = practice.search(SearchQuery.text("respiratoire")).hits().get(0);
      PontClient.Acknowledgement ack = practice.acknowledge(hit.ref(),
          Disposition.integrationError(IntegrationError.of(IntegrationErrorCode.UNKNOWN_PATIENT)));
      assertThat(ack.mdnSent()).as(ack.detail()).isTrue();
      String id = ack.mdnMessageId().orElseThrow();
      Notification.Mdn mdn = (Notification.Mdn) NotificationParser.parse(awaitReceived(id))
          .orElseThrow();
      assertThat(mdn.disposition().format()).startsWith("automatic-action/MDN-sent-automatically; processed/Error: 902^");
      assertThat(mdn.integrationError().orElseThrow().code()).isEqualTo(902);
    }
  }

  private static MimeMessage awaitReceived(String messageId) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (MimeMessage m : GREENMAIL.getReceivedMessages()) {
        if (messageId.equals(m.getMessageID())) {
          return m;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the expected message never arrived");
  }

  /** How many received notifications quote this Message-ID as the one they answer. */
  private static long receivedAnswering(String messageId) {
    return java.util.Arrays.stream(GREENMAIL.getReceivedMessages())
        .map(m -> NotificationParser.parse(m))
        .flatMap(Optional::stream)
        .filter(n -> n instanceof Notification.Mdn mdn && mdn.originalMessageId().filter(messageId::equals).isPresent())
        .count();
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
