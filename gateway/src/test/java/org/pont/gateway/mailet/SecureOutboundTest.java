package org.pont.gateway.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.gateway.mailet.PolicyFixtures.LOCAL_USER;
import static org.pont.gateway.mailet.PolicyFixtures.OWN;
import static org.pont.gateway.mailet.PolicyFixtures.PEER_SENDER;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pont.gateway.config.GatewaySettings;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SecureMessaging;
import org.pont.smime.SignerBinding;
import org.pont.smime.VerdictReason;

class SecureOutboundTest {

  static PolicyCrypto gateway;
  static SecureMessaging peer;
  static final String REMOTE_WITHOUT_CERT = "nobody@cabinet.test";

  @BeforeAll
  static void keys() {
    gateway = PolicyFixtures.gateway();
    peer = PolicyFixtures.peer();
  }

  SecureOutbound mailet(GatewaySettings.Policy policy) throws Exception {
    Map<String, List<X509Certificate>> known = Map.of(PEER_SENDER, List.of(PolicyFixtures.peerEncryptionCertificate()));
    SecureOutbound m = new SecureOutbound(gateway, a -> known.getOrDefault(a, List.of()), policy);
    m.init(FakeMailetConfig.builder().mailetName("SecureOutbound")
        .mailetContext(PolicyFixtures.context(FakeMailContext.defaultContext(), Set.of(OWN))).build());
    return m;
  }

  static Mail mail(String sender, String recipient, javax.mail.internet.MimeMessage message) throws Exception {
    FakeMail.Builder b = FakeMail.builder().name("m1").recipient(recipient).mimeMessage(message).state("pont-outbound");
    if (sender != null) {
      b.sender(sender);
    }
    return b.build();
  }

  @Test
  void mailToAPeerWithAKnownCertificateIsSignedAndEncryptedAndThePeerOpensIt() throws Exception {
    Mail mail = mail(LOCAL_USER, PEER_SENDER, PolicyFixtures.javax(PolicyFixtures.dischargeLetter(LOCAL_USER, PEER_SENDER)));

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(mail.getState()).isEqualTo("pont-outbound");
    assertThat(mail.getMessage().isMimeType("application/pkcs7-mime")).isTrue();
    assertThat(mail.getMessage().getHeader(PontHeaders.OUTBOUND)).containsExactly("signed+encrypted");
    OpenedMessage opened = peer.open(PolicyFixtures.jakarta(mail.getMessage()));
    assertThat(opened.wasEncrypted()).isTrue();
    assertThat(opened.signature().reason()).isEqualTo(VerdictReason.VALID);
    assertThat(opened.signature().binding()).isEqualTo(SignerBinding.DOMAIN);
    assertThat(opened.content().getHeader("X-MSS-CODECDA")).containsExactly("11490-0");
    assertThat(PolicyMail.string(mail, PolicyMail.DOCUMENT_TYPES)).as("kept for the audit trail").contains("11490-0");
  }

  @Test
  void mailToAPeerWithoutCertificateIsRefusedByDefault() throws Exception {
    Mail mail = mail(LOCAL_USER, REMOTE_WITHOUT_CERT, PolicyFixtures.javax(PolicyFixtures.text(LOCAL_USER, REMOTE_WITHOUT_CERT, "hi")));

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(mail.getState()).isEqualTo(PolicyMail.QUARANTINE_PROCESSOR);
    assertThat(PolicyMail.string(mail, PolicyMail.REASON)).contains("ENCRYPTION_REQUIRED");
    assertThat(mail.getErrorMessage()).contains(REMOTE_WITHOUT_CERT);
  }

  @Test
  void mailToAPeerWithoutCertificateIsSignedOnlyWhenThePolicySaysSo() throws Exception {
    Mail mail = mail(LOCAL_USER, REMOTE_WITHOUT_CERT, PolicyFixtures.javax(PolicyFixtures.text(LOCAL_USER, REMOTE_WITHOUT_CERT, "hi")));
    GatewaySettings.Policy signOnly = new GatewaySettings.Policy(GatewaySettings.Policy.Unsigned.QUARANTINE,
        GatewaySettings.Policy.Unencryptable.SIGN_ONLY, Optional.empty());

    mailet(signOnly).service(mail);

    assertThat(mail.getState()).isEqualTo("pont-outbound");
    assertThat(mail.getMessage().isMimeType("multipart/signed")).isTrue();
    assertThat(peer.open(PolicyFixtures.jakarta(mail.getMessage())).signature().reason()).isEqualTo(VerdictReason.VALID);
  }

  @Test
  void localToLocalMailIsSignedOnly() throws Exception {
    Mail mail = mail("dr.martin@hopital.test", LOCAL_USER, PolicyFixtures.javax(PolicyFixtures.text("dr.martin@hopital.test", LOCAL_USER, "hi")));

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(mail.getMessage().getHeader(PontHeaders.OUTBOUND)).containsExactly("signed");
    assertThat(gateway.messaging().open(PolicyFixtures.jakarta(mail.getMessage())).signature().isValid()).isTrue();
  }

  @Test
  void mailTheUserAlreadySignedPassesUnchanged() throws Exception {
    byte[] endToEnd = PolicyFixtures.bytes(PolicyFixtures.peerPerson().sign(PolicyFixtures.text(PEER_SENDER, "x@cabinet.test", "mine")));
    Mail mail = mail(LOCAL_USER, REMOTE_WITHOUT_CERT, PolicyFixtures.javax(endToEnd));

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(mail.getState()).isEqualTo("pont-outbound");
    assertThat(PolicyFixtures.bytes(mail.getMessage())).isEqualTo(endToEnd);
    assertThat(PolicyMail.string(mail, PolicyMail.VERDICT)).contains("end-to-end");
  }

  @Test
  void aFromOutsideTheLocalDomainsIsRefused() throws Exception {
    Mail mail = mail(LOCAL_USER, PEER_SENDER, PolicyFixtures.javax(PolicyFixtures.text("ceo@elsewhere.test", PEER_SENDER, "hi")));

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(PolicyMail.string(mail, PolicyMail.REASON)).contains("SENDER_NOT_LOCAL");
  }

  @Test
  void aBounceIsSignedButNeverRefusedForWantOfACertificate() throws Exception {
    Mail mail = mail(null, REMOTE_WITHOUT_CERT, PolicyFixtures.javax(PolicyFixtures.text("postmaster@hopital.test", REMOTE_WITHOUT_CERT, "bounce")));

    mailet(GatewaySettings.Policy.DEFAULTS).service(mail);

    assertThat(mail.getState()).isEqualTo("pont-outbound");
    assertThat(mail.getMessage().isMimeType("multipart/signed")).isTrue();
  }
}
