package org.pont.gateway.mailet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.gateway.status.FileMessageStatusStore;
import org.pont.gateway.status.MessageStatusStore;
import org.pont.gateway.status.MessageStatusStore.State;
import org.pont.gateway.webhook.WebhookOutbox;
import org.pont.tracking.Action;
import org.pont.tracking.Disposition;
import org.pont.tracking.DsnBuilder;
import org.pont.tracking.IntegrationError;
import org.pont.tracking.IntegrationErrorCode;
import org.pont.tracking.MdnBuilder;
import org.pont.tracking.RecipientStatus;
import org.pont.tracking.StatusCode;

/** The tracking mailet on James's fake mailet context: status moves, no mail ever goes out. */
class TrackNotificationsTest {

  static final String SECRETARIAT = "secretariat@hopital.test";
  static final String DOCTOR = "dr.durand@cabinet.test";
  static final String ORIGINAL = "<lettre-1@hopital.test>";

  @TempDir
  Path data;
  MessageStatusStore store;
  FakeMailContext context;
  TrackNotifications mailet;

  @BeforeEach
  void setUp() throws Exception {
    org.pont.gateway.webhook.WebhookStore.in(data).create(java.net.URI.create("https://agenda.test/hook"),
        java.util.Set.of(WebhookOutbox.RECEIVED, WebhookOutbox.STATUS), "*", "t1"); // else no event is kept
    store = FileMessageStatusStore.in(data, WebhookOutbox.in(data));
    store.create("m1", ORIGINAL, "t1", SECRETARIAT, List.of(DOCTOR));
    context = FakeMailContext.defaultContext();
    mailet = new TrackNotifications(store, WebhookOutbox.in(data));
    mailet.init(FakeMailetConfig.builder().mailetName("TrackNotifications").mailetContext(context).build());
  }

  private Mail notification(jakarta.mail.internet.MimeMessage n) throws Exception {
    return FakeMail.builder().name("n").sender(MaybeSender.nullSender()).recipient(SECRETARIAT)
        .mimeMessage(PolicyFixtures.javax(n)).build();
  }

  private jakarta.mail.internet.MimeMessage mdn(Disposition d) throws Exception {
    return MdnBuilder.of(ORIGINAL, SECRETARIAT).from(DOCTOR).disposition(d).build();
  }

  @Test
  void anMdnMovesTheRecipientToReadOnceAndIsNeverAnswered() throws Exception {
    jakarta.mail.internet.MimeMessage displayed = mdn(Disposition.displayedManually());
    mailet.service(notification(displayed));
    mailet.service(notification(displayed)); // the same MDN again: no second event

    MessageStatusStore.RecipientStatus r = store.find("m1").orElseThrow().recipients().get(DOCTOR);
    assertThat(r.state()).isEqualTo(State.READ);
    assertThat(r.timeline()).extracting(MessageStatusStore.Event::state).containsExactly(State.ACCEPTED, State.READ);
    assertThat(context.getSentMails()).as("a notification is never answered").isEmpty();
    assertThat(events()).anyMatch(e -> e.contains("\"message.status\"") && e.contains("\"status\":\"read\""))
        .anyMatch(e -> e.contains("\"message.received\"") && e.contains("\"notification\":\"mdn\""));
  }

  @Test
  void anIntegrationErrorRecordsAFailureWithItsCodeAndALateMdnReconcilesATimeout() throws Exception {
    store.report("m1", DOCTOR, new MessageStatusStore.Report(State.TIMED_OUT, Optional.of("no read within PT1S"),
        MessageStatusStore.Source.TIMEOUT, Optional.empty(), Optional.empty()));
    store.report("m1", DOCTOR, new MessageStatusStore.Report(State.TIMED_OUT, Optional.of("again"),
        MessageStatusStore.Source.TIMEOUT, Optional.empty(), Optional.empty()));
    assertThat(store.find("m1").orElseThrow().recipients().get(DOCTOR).state()).isEqualTo(State.TIMED_OUT);

    mailet.service(notification(mdn(Disposition.displayedManually())));
    MessageStatusStore.RecipientStatus r = store.find("m1").orElseThrow().recipients().get(DOCTOR);
    assertThat(r.state()).isEqualTo(State.READ);
    assertThat(r.timeline()).extracting(MessageStatusStore.Event::state)
        .containsExactly(State.ACCEPTED, State.TIMED_OUT, State.READ); // one timeout, then the late answer
    assertThat(r.timeline().get(2).late()).isTrue();

    mailet.service(notification(mdn(Disposition.integrationError(IntegrationError.of(IntegrationErrorCode.UNKNOWN_PATIENT)))));
    r = store.find("m1").orElseThrow().recipients().get(DOCTOR);
    assertThat(r.state()).isEqualTo(State.FAILED);
    assertThat(r.reason()).hasValueSatisfying(v -> assertThat(v).startsWith("integration error 902: "));
    assertThat(r.timeline().get(3).integrationCode()).contains(902);
    assertThat(context.getSentMails()).isEmpty();
  }

  @Test
  void aFailureDsnFailsTheRecipientAndAnMdnFromAnotherDomainIsIgnored() throws Exception {
    jakarta.mail.internet.MimeMessage forged = MdnBuilder.of(ORIGINAL, SECRETARIAT).from("someone@evil.test")
        .finalRecipient(DOCTOR).disposition(Disposition.processed()).build();
    mailet.service(notification(forged));
    assertThat(store.find("m1").orElseThrow().recipients().get(DOCTOR).state()).isEqualTo(State.ACCEPTED);

    jakarta.mail.internet.MimeMessage original = PolicyFixtures.text(SECRETARIAT, DOCTOR, "lettre");
    original.setHeader("Message-ID", ORIGINAL);
    jakarta.mail.internet.MimeMessage dsn = DsnBuilder.about(original, "mx.cabinet.test").to(SECRETARIAT)
        .recipient(RecipientStatus.of(DOCTOR, Action.FAILED, StatusCode.parse("5.1.1")).withDiagnosticCode("smtp; 550 5.1.1 unknown"))
        .build();
    mailet.service(notification(dsn));
    MessageStatusStore.RecipientStatus r = store.find("m1").orElseThrow().recipients().get(DOCTOR);
    assertThat(r.state()).isEqualTo(State.FAILED);
    assertThat(r.reason()).hasValueSatisfying(v -> assertThat(v).contains("5.1.1"));
    assertThat(context.getSentMails()).isEmpty();
  }

  @Test
  void aSignedMdnIsReadInsideItsSignatureAndASignedLetterIsNotCopied() throws Exception {
    jakarta.mail.internet.MimeMessage signed = PolicyFixtures.peer().sign(mdn(Disposition.processed()));
    assertThat(TrackNotifications.mayBeNotification(PolicyFixtures.javax(signed))).isTrue();
    mailet.service(notification(signed));
    assertThat(store.find("m1").orElseThrow().recipients().get(DOCTOR).state()).isEqualTo(State.INTEGRATED);

    jakarta.mail.internet.MimeMessage letter = PolicyFixtures.peer().sign(PolicyFixtures.text(DOCTOR, SECRETARIAT, "lettre"));
    assertThat(TrackNotifications.mayBeNotification(PolicyFixtures.javax(letter))).isFalse();
    assertThat(context.getSentMails()).isEmpty();
  }

  @Test
  void signedNotificationsAndBulkMailAreNeverBounced() throws Exception {
    IsBounceable bounceable = new IsBounceable();
    bounceable.init(FakeMatcherConfig.builder().matcherName("IsBounceable").build());
    jakarta.mail.internet.MimeMessage signedMdn = PolicyFixtures.peer().sign(mdn(Disposition.processed()));
    signedMdn.removeHeader("Auto-Submitted"); // even without the header: the structure says it is a report
    signedMdn.saveChanges();
    Mail signed = FakeMail.builder().name("s").sender(MaybeSender.getMailSender(DOCTOR)).recipient(SECRETARIAT)
        .mimeMessage(PolicyFixtures.javax(signedMdn)).build();
    assertThat(bounceable.match(signed)).isEmpty();

    jakarta.mail.internet.MimeMessage bulk = PolicyFixtures.text("news@cabinet.test", SECRETARIAT, "x");
    bulk.setHeader("Precedence", "bulk");
    bulk.saveChanges();
    Mail list = FakeMail.builder().name("b").sender(MaybeSender.getMailSender("news@cabinet.test")).recipient(SECRETARIAT)
        .mimeMessage(PolicyFixtures.javax(bulk)).build();
    assertThat(bounceable.match(list)).isEmpty();

    Mail plain = FakeMail.builder().name("p").sender(MaybeSender.getMailSender(DOCTOR)).recipient(SECRETARIAT)
        .mimeMessage(PolicyFixtures.javax(PolicyFixtures.text(DOCTOR, SECRETARIAT, "x"))).build();
    assertThat(bounceable.match(plain)).isNotEmpty();
  }

  private List<String> events() throws Exception {
    try (Stream<Path> files = Files.list(data.resolve("webhooks/events"))) {
      return files.map(f -> {
        try {
          return Files.readString(f);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }
}
