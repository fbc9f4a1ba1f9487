package org.pont.gateway.mailet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.gateway.audit.AuditEvent;
import org.pont.gateway.audit.AuditQuery;
import org.pont.gateway.audit.FileAuditLog;

class QuarantineTest {

  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir
  Path dir;
  FileAuditLog audit;
  Quarantine quarantine;
  IsBounceable bounceable;

  @BeforeEach
  void setUp() throws Exception {
    audit = new FileAuditLog(dir);
    quarantine = new Quarantine(audit, Clock.fixed(NOW, ZoneOffset.UTC));
    quarantine.init(FakeMailetConfig.builder().mailetName("Quarantine").build());
    bounceable = new IsBounceable();
    bounceable.init(FakeMatcherConfig.builder().matcherName("IsBounceable").build());
  }

  static Mail refused(MaybeSender sender, javax.mail.internet.MimeMessage message) throws Exception {
    Mail mail = FakeMail.builder().name("m").sender(sender).recipient("secretariat@hopital.test").mimeMessage(message).build();
    PolicyMail.refuse(mail, "UNTRUSTED_DOMAIN", "the sender domain evil.test is not in the trust space\r\nX-Injected: yes");
    return mail;
  }

  @Test
  void theReasonGoesIntoTheMessageAndTheAuditTrailAndTheSenderIsToldWhy() throws Exception {
    jakarta.mail.internet.MimeMessage m = PolicyFixtures.text("spam@evil.test", "secretariat@hopital.test", "x");
    m.setHeader("X-Pont-Signature", "VALID");
    m.saveChanges();
    Mail mail = refused(MaybeSender.getMailSender("spam@evil.test"), PolicyFixtures.javax(m));

    quarantine.service(mail);

    assertThat(mail.getMessage().getHeader(PontHeaders.QUARANTINE_REASON))
        .containsExactly("UNTRUSTED_DOMAIN; the sender domain evil.test is not in the trust space X-Injected: yes");
    assertThat(mail.getMessage().getHeader(PontHeaders.SIGNATURE)).isNull();
    assertThat(mail.getMessage().getHeader("X-Injected")).isNull();
    assertThat(bounceable.match(mail)).isNotEmpty();
    assertThat(audit.query(AuditQuery.between(NOW, NOW.plusSeconds(1))))
        .extracting(AuditEvent::type, AuditEvent::sender, e -> e.reason().orElse(""))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AuditEvent.Type.QUARANTINED, "spam@evil.test", "UNTRUSTED_DOMAIN"),
            org.assertj.core.groups.Tuple.tuple(AuditEvent.Type.REFUSED, "spam@evil.test", "UNTRUSTED_DOMAIN"));
  }

  @Test
  void aBounceIsQuarantinedButNeverBounced() throws Exception {
    Mail mail = refused(MaybeSender.nullSender(), PolicyFixtures.javax(PolicyFixtures.text("mailer-daemon@evil.test", "secretariat@hopital.test", "x")));

    quarantine.service(mail);

    assertThat(bounceable.match(mail)).isEmpty();
    assertThat(audit.query(AuditQuery.between(NOW, NOW.plusSeconds(1)))).extracting(AuditEvent::type)
        .containsExactly(AuditEvent.Type.QUARANTINED);
  }

  @Test
  void aReportIsNeverBouncedEvenWithASender() throws Exception {
    String report = "From: postmaster@cabinet.test\r\nTo: secretariat@hopital.test\r\nSubject: DSN\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n";
    Mail mail = refused(MaybeSender.getMailSender("postmaster@cabinet.test"), PolicyFixtures.javax(report.getBytes()));
    assertThat(bounceable.match(mail)).isEmpty();
  }

  @Test
  void anAutoSubmittedMessageIsNeverBounced() throws Exception {
    jakarta.mail.internet.MimeMessage m = PolicyFixtures.text("robot@evil.test", "secretariat@hopital.test", "x");
    m.setHeader("Auto-Submitted", "auto-replied");
    m.saveChanges();
    Mail mail = refused(MaybeSender.getMailSender("robot@evil.test"), PolicyFixtures.javax(m));
    assertThat(bounceable.match(mail)).isEmpty();
  }

  @Test
  void theAuditMailetRecordsItsEventWithTheDocumentTypes() throws Exception {
    Audit mailet = new Audit(audit, Clock.fixed(NOW, ZoneOffset.UTC));
    mailet.init(FakeMailetConfig.builder().mailetName("Audit").setProperty("event", "delivered").build());
    Mail mail = FakeMail.builder().name("m").sender("kine@cabinet.test").recipient("secretariat@hopital.test")
        .mimeMessage(PolicyFixtures.javax(PolicyFixtures.text("kine@cabinet.test", "secretariat@hopital.test", "x"))).build();
    PolicyMail.set(mail, PolicyMail.DOCUMENT_TYPES, "11490-0,57833-6");
    PolicyMail.set(mail, PolicyMail.VERDICT, "VALID");

    mailet.service(mail);

    AuditEvent e = audit.query(AuditQuery.between(NOW, NOW.plusSeconds(1))).get(0);
    assertThat(e.type()).isEqualTo(AuditEvent.Type.DELIVERED);
    assertThat(e.recipients()).containsExactly("secretariat@hopital.test");
    assertThat(e.documentTypes()).containsExactly("11490-0", "57833-6");
    assertThat(e.verdict()).contains("VALID");
    assertThat(e.messageId()).isPresent();
  }

  @Test
  void aReceivedEventDoesNotInheritTheReasonOfTheMailADsnReportsOn() throws Exception {
    Audit mailet = new Audit(audit, Clock.fixed(NOW, ZoneOffset.UTC));
    mailet.init(FakeMailetConfig.builder().mailetName("Audit").setProperty("event", "RECEIVED").build());
    Mail dsn = FakeMail.builder().name("dsn").sender(MaybeSender.nullSender()).recipient("spam@evil.test")
        .mimeMessage(PolicyFixtures.javax(PolicyFixtures.text("postmaster@hopital.test", "spam@evil.test", "refused"))).build();
    PolicyMail.refuse(dsn, "UNTRUSTED_DOMAIN", "copied from the original by DSNBounce");
    dsn.setState("root");

    mailet.service(dsn);

    assertThat(audit.query(AuditQuery.between(NOW, NOW.plusSeconds(1))).get(0).reason()).isEmpty();
    assertThat(PolicyMail.string(dsn, PolicyMail.REASON)).isEmpty();
  }
}
