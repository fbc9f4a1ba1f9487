package org.pont.gateway.mailet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckTrustedDomainTest {

  @TempDir
  Path dir;
  Path file;
  CheckTrustedDomain mailet;

  @BeforeEach
  void setUp() throws Exception {
    file = dir.resolve("trusted-domains.txt");
    Files.writeString(file, "# peers\ncabinet.test\n  Clinique.TEST  # a comment\n\n");
    mailet = new CheckTrustedDomain(new FileTrustedDomains(Set.of("hopital.test"), file));
    mailet.init(FakeMailetConfig.builder().mailetName("CheckTrustedDomain").build());
  }

  static Mail mail(String envelopeSender, String from) throws Exception {
    FakeMail.Builder b = FakeMail.builder().name("m").recipient("secretariat@hopital.test").state("pont-inbound")
        .mimeMessage(PolicyFixtures.javax(PolicyFixtures.text(from, "secretariat@hopital.test", "x")));
    b.sender(envelopeSender == null ? MaybeSender.nullSender() : MaybeSender.getMailSender(envelopeSender));
    return b.build();
  }

  @Test
  void mailFromAListedDomainPasses() throws Exception {
    Mail mail = mail("kine@cabinet.test", "kine@cabinet.test");
    mailet.service(mail);
    assertThat(mail.getState()).isEqualTo("pont-inbound");
  }

  @Test
  void listedDomainsAreCaseInsensitiveAndCommentsIgnored() throws Exception {
    Mail mail = mail("a@clinique.test", "a@CLINIQUE.test");
    mailet.service(mail);
    assertThat(mail.getState()).isEqualTo("pont-inbound");
  }

  @Test
  void theGatewaysOwnDomainIsTrusted() throws Exception {
    Mail mail = mail("dr.martin@hopital.test", "dr.martin@hopital.test");
    mailet.service(mail);
    assertThat(mail.getState()).isEqualTo("pont-inbound");
  }

  @Test
  void mailFromAnUnlistedDomainIsQuarantinedWithItsReason() throws Exception {
    Mail mail = mail("spam@evil.test", "spam@evil.test");
    mailet.service(mail);
    assertThat(mail.getState()).isEqualTo(PolicyMail.QUARANTINE_PROCESSOR);
    assertThat(PolicyMail.string(mail, PolicyMail.REASON)).contains(CheckTrustedDomain.REASON);
    assertThat(mail.getErrorMessage()).contains("evil.test");
  }

  @Test
  void aTrustedEnvelopeDoesNotCoverAnUntrustedFrom() throws Exception {
    Mail mail = mail("kine@cabinet.test", "boss@evil.test");
    mailet.service(mail);
    assertThat(PolicyMail.string(mail, PolicyMail.REASON)).contains(CheckTrustedDomain.REASON);
  }

  @Test
  void aBounceIsJudgedOnItsFrom() throws Exception {
    Mail trusted = mail(null, "mailer-daemon@cabinet.test");
    mailet.service(trusted);
    assertThat(trusted.getState()).isEqualTo("pont-inbound");

    Mail untrusted = mail(null, "mailer-daemon@evil.test");
    mailet.service(untrusted);
    assertThat(untrusted.getState()).isEqualTo(PolicyMail.QUARANTINE_PROCESSOR);
  }

  @Test
  void theFileIsReadAgainWhenItChanges() throws Exception {
    FileTrustedDomains domains = new FileTrustedDomains(Set.of("hopital.test"), file);
    assertThat(domains.isTrusted("new.test")).isFalse();
    Files.writeString(file, "new.test\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(domains.isTrusted("new.test")).isTrue();
    assertThat(domains.isTrusted("cabinet.test")).isFalse();
  }

  @Test
  void noFileMeansOwnDomainsOnly() {
    FileTrustedDomains domains = new FileTrustedDomains(Set.of("hopital.test"), dir.resolve("absent.txt"));
    assertThat(domains.isTrusted("hopital.test")).isTrue();
    assertThat(domains.isTrusted("cabinet.test")).isFalse();
    assertThat(domains.isTrusted("")).isFalse();
  }
}
