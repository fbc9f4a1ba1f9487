package org.pont.gateway.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.gateway.mailet.PolicyFixtures.LOCAL_USER;
import static org.pont.gateway.mailet.PolicyFixtures.PEER_SENDER;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pont.gateway.config.GatewaySettings;
import org.pont.smime.SecureMessaging;

class OpenSecureMessageTest {

  static PolicyCrypto gateway;
  static SecureMessaging peer;

  @BeforeAll
  static void keys() {
    gateway = PolicyFixtures.gateway();
    peer = PolicyFixtures.peer();
  }

  OpenSecureMessage mailet(GatewaySettings.Policy policy) throws Exception {
    OpenSecureMessage m = new OpenSecureMessage(gateway, policy);
    m.init(FakeMailetConfig.builder().mailetName("OpenSecureMessage").build());
    return m;
  }

  static Mail mail(javax.mail.internet.MimeMessage message) throws Exception {
    return FakeMail.builder().name("m1").sender(PEER_SENDER).recipient(LOCAL_USER).mimeMessage(message).state("pont-inbound").build();
  }

  @Test
  void aSignedAndEncryptedDischargeLetterIsDeliveredOpenedWithTheVerdict() throws Exception {
    jakarta.mail.internet.MimeMessage letter = PolicyFixtures.dischargeLetter(PEER_SENDER, LOCAL_USER);
    letter.setHeader("X-Pont-Signature", "VALID; signer=forged@evil.test"); // a sender's attempt at a verdict
    letter.saveChanges();
    javax.mail.internet.MimeMessage wire = PolicyFixtures.javax(peer.signAndEncrypt(letter,
        List.of(PolicyFixtures.ownEncryptionCertificate())));
    Mail mail = mail(wire);

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(mail.getState()).isEqualTo("pont-inbound");
    javax.mail.internet.MimeMessage delivered = mail.getMessage();
    assertThat(delivered.getHeader(PontHeaders.SIGNATURE)).containsExactly("VALID; signer=" + PEER_SENDER + "; binding=DOMAIN");
    assertThat(delivered.getHeader(PontHeaders.ENCRYPTED)).containsExactly("yes");
    assertThat(delivered.getHeader(PontHeaders.PATIENT_INS)).containsExactly("present");
    assertThat(delivered.getHeader(PontHeaders.DOCUMENT_TYPES)).containsExactly("11490-0");
    assertThat(delivered.isMimeType("multipart/mixed")).as("opened, not the S/MIME envelope").isTrue();
    String raw = new String(PolicyFixtures.bytes(delivered), StandardCharsets.UTF_8);
    assertThat(raw).doesNotContain("forged@evil.test");
    assertThat(PolicyMail.string(mail, PolicyMail.DOCUMENT_TYPES)).contains("11490-0");
    assertThat(PolicyMail.string(mail, PolicyMail.VERDICT)).contains("VALID");
  }

  @Test
  void aTamperedSignedMessageIsQuarantined() throws Exception {
    byte[] signed = PolicyFixtures.bytes(peer.sign(PolicyFixtures.text(PEER_SENDER, LOCAL_USER, "Bonjour docteur, voici le compte rendu.")));
    String text = new String(signed, StandardCharsets.ISO_8859_1);
    assertThat(text).contains("Bonjour docteur");
    Mail mail = mail(PolicyFixtures.javax(text.replace("Bonjour docteur", "Bonsoir docteur").getBytes(StandardCharsets.ISO_8859_1)));

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(mail.getState()).isEqualTo(PolicyMail.QUARANTINE_PROCESSOR);
    assertThat(PolicyMail.string(mail, PolicyMail.REASON)).contains("SIGNATURE_CONTENT_TAMPERED");
    assertThat(mail.getErrorMessage()).contains("SIGNATURE_CONTENT_TAMPERED");
  }

  @Test
  void mailSignedForAnotherDomainThanItsFromIsQuarantined() throws Exception {
    // cabinet.test's organisation certificate cannot vouch for an address of another domain.
    Mail mail = mail(PolicyFixtures.javax(peer.sign(PolicyFixtures.text("someone@elsewhere.test", LOCAL_USER, "hello"))));

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(PolicyMail.string(mail, PolicyMail.REASON)).contains("SIGNATURE_SIGNER_MISMATCH");
  }

  @Test
  void mailEncryptedEndToEndForSomeoneElsePassesIntactForTheRecipientToOpen() throws Exception {
    SecureMessaging stranger = SecureMessaging.builder().encryptToSelf(false).build();
    Mail mail = mail(PolicyFixtures.javax(stranger.encrypt(peer.sign(PolicyFixtures.text(PEER_SENDER, LOCAL_USER, "secret")),
        List.of(PolicyFixtures.peerEncryptionCertificate()))));
    String contentType = mail.getMessage().getContentType();

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(mail.getState()).isNotEqualTo(PolicyMail.QUARANTINE_PROCESSOR);
    assertThat(PolicyMail.string(mail, PolicyMail.REASON)).isEmpty();
    assertThat(mail.getMessage().getContentType()).isEqualTo(contentType); // still the encrypted envelope
    assertThat(mail.getMessage().getHeader(PontHeaders.ENCRYPTED, null)).isEqualTo("end-to-end");
    assertThat(mail.getMessage().getHeader(PontHeaders.SIGNATURE, null)).startsWith("NOT_VERIFIED");
  }

  @Test
  void unsignedMailIsQuarantinedByDefault() throws Exception {
    Mail mail = mail(PolicyFixtures.javax(PolicyFixtures.text(PEER_SENDER, LOCAL_USER, "plain")));

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(mail.getState()).isEqualTo(PolicyMail.QUARANTINE_PROCESSOR);
    assertThat(PolicyMail.string(mail, PolicyMail.REASON)).contains("UNSIGNED");
  }

  @Test
  void unsignedMailIsDeliveredSaidSoWhenThePolicyAllowsIt() throws Exception {
    jakarta.mail.internet.MimeMessage plain = PolicyFixtures.text(PEER_SENDER, LOCAL_USER, "plain");
    plain.setHeader("X-Pont-Encrypted", "yes");
    plain.saveChanges();
    Mail mail = mail(PolicyFixtures.javax(plain));
    GatewaySettings.Policy deliver = new GatewaySettings.Policy(GatewaySettings.Policy.Unsigned.DELIVER,
        GatewaySettings.Policy.Unencryptable.REFUSE, Optional.empty());

    mailet(deliver).service(mail);

    assertThat(mail.getState()).isEqualTo("pont-inbound");
    assertThat(mail.getMessage().getHeader(PontHeaders.SIGNATURE)).containsExactly("NOT_SIGNED");
    assertThat(mail.getMessage().getHeader(PontHeaders.ENCRYPTED)).containsExactly("no");
    assertThat(mail.getMessage().getHeader(PontHeaders.PATIENT_INS)).containsExactly("absent");
    assertThat(mail.getMessage().getHeader(PontHeaders.DOCUMENT_TYPES)).isNull();
  }

  @Test
  void anEndToEndPersonalSignatureIsVerifiedAsTheAddressItself() throws Exception {
    Mail mail = mail(PolicyFixtures.javax(PolicyFixtures.peerPerson().sign(PolicyFixtures.text(PEER_SENDER, LOCAL_USER, "signed by me"))));

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(mail.getMessage().getHeader(PontHeaders.SIGNATURE)).containsExactly("VALID; signer=" + PEER_SENDER + "; binding=ADDRESS");
    assertThat(mail.getMessage().getHeader(PontHeaders.ENCRYPTED)).containsExactly("no");
  }
}
