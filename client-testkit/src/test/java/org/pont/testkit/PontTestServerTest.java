package org.pont.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pont.client.PontClient;
import org.pont.index.SearchQuery;
import org.pont.smime.VerdictReason;
import org.pont.transport.MailSender;

class PontTestServerTest {
  static final String KINE = "kine.leroy@cabinet.test";
  static final String HOSPITAL = "dr.durand@hopital.test";

  @RegisterExtension
  static final PontTestServer SERVER = PontTestServer.withPeople(KINE, HOSPITAL);

  @Test
  void anEmbedderSendsSignedAndEncryptedMailAndFindsItWithCertificateChecksOn(@TempDir Path a, @TempDir Path b) throws Exception {
    try (PontClient hospital = PontClient.open(SERVER.settingsFor(HOSPITAL, a))) {
      MimeMessage m = new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()));
      m.setFrom(new InternetAddress(HOSPITAL));
      m.setRecipients(MimeMessage.RecipientType.TO, KINE);
      m.setSubject("Prescription", "UTF-8");
      m.setText("Rééducation de l'épaule.", "UTF-8");
      hospital.send(m, MailSender.Protection.SIGN_AND_ENCRYPT, List.of(SERVER.pki().person(KINE).encryption().certificate()));
    }
    assertThat(SERVER.waitForIncoming(1, Duration.ofSeconds(5))).isTrue();

    try (PontClient kine = PontClient.open(SERVER.settingsFor(KINE, b))) {
      kine.sync(p -> {});
      assertThat(kine.search(SearchQuery.text("reeducation epaule")).hits())
          .singleElement().satisfies(h -> assertThat(h.verdict()).contains(VerdictReason.VALID));
    }
  }

  @Test
  void settingsForSomeoneOutsideThePkiAreRefusedWithTheReason(@TempDir Path dir) {
    assertThatThrownBy(() -> SERVER.settingsFor("inconnu@nulle-part.test", dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inconnu@nulle-part.test");
  }
}
