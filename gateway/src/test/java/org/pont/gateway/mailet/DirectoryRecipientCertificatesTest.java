package org.pont.gateway.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.gateway.mailet.PolicyFixtures.LOCAL_USER;
import static org.pont.gateway.mailet.PolicyFixtures.OWN;
import static org.pont.gateway.mailet.PolicyFixtures.PEER_SENDER;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Set;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.directory.DirectoryIndex;
import org.pont.gateway.directory.FhirDirectoryReader;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SecureMessaging;

/** The outbound policy finds a recipient's certificate in the directory first, then in the PEM folder. */
class DirectoryRecipientCertificatesTest {

  @Test
  void aCertificateImportedFromFhirIsUsedAndTheRecipientOpensTheMessage(@TempDir Path dir) throws Exception {
    X509Certificate personal = PolicyFixtures.pki().person(PEER_SENDER).encryption().certificate();
    try (DirectoryIndex index = DirectoryIndex.open(dir.resolve("directory"))) {
      index.put(new FhirDirectoryReader().read(new ObjectMapper().readTree(practitioner(personal))).entries());
      RecipientCertificates certificates = new DirectoryRecipientCertificates(index,
          new PemRecipientCertificates(Files.createDirectories(dir.resolve("certificates"))));
      assertThat(certificates.find(PEER_SENDER)).containsExactly(personal);

      SecureOutbound mailet = new SecureOutbound(PolicyFixtures.gateway(), certificates, GatewaySettings.Policy.DEFAULTS);
      mailet.init(FakeMailetConfig.builder().mailetName("SecureOutbound")
          .mailetContext(PolicyFixtures.context(FakeMailContext.defaultContext(), Set.of(OWN))).build());
      Mail mail = SecureOutboundTest.mail(LOCAL_USER, PEER_SENDER,
          PolicyFixtures.javax(PolicyFixtures.dischargeLetter(LOCAL_USER, PEER_SENDER)));
      mailet.service(mail);

      assertThat(mail.getMessage().isMimeType("application/pkcs7-mime")).isTrue();
      SecureMessaging recipient = SecureMessaging.builder()
          .decryptionKey(PolicyFixtures.key(PolicyFixtures.pki().person(PEER_SENDER).encryption()))
          .trust(PolicyFixtures.trust()).build();
      OpenedMessage opened = recipient.open(PolicyFixtures.jakarta(mail.getMessage()));
      assertThat(opened.wasEncrypted()).isTrue();
      assertThat(opened.signature().isValid()).isTrue();
    }
  }

  @Test
  void withoutADirectoryEntryThePemFolderIsAsked(@TempDir Path dir) throws Exception {
    X509Certificate org = PolicyFixtures.peerEncryptionCertificate();
    Path pems = Files.createDirectories(dir.resolve("certificates"));
    Files.writeString(pems.resolve("someone@cabinet.test.pem"), "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(org.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    try (DirectoryIndex index = DirectoryIndex.open(dir.resolve("directory"))) {
      RecipientCertificates certificates = new DirectoryRecipientCertificates(index, new PemRecipientCertificates(pems));
      assertThat(certificates.find("someone@cabinet.test")).containsExactly(org);
      assertThat(certificates.find("nobody@cabinet.test")).isEmpty();
    }
  }

  private static String practitioner(X509Certificate c) throws Exception {
    return """
        {"resourceType": "Practitioner", "id": "p1",
         "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "810000000042",
                         "type": {"coding": [{"code": "RPPS"}]}}],
         "name": [{"family": "MARTIN", "given": ["Kim"]}],
         "telecom": [{"system": "email", "value": "%s",
                      "extension": [{"url": "%s", "valueBase64Binary": "%s"}]}]}
        """.formatted(PEER_SENDER, FhirDirectoryReader.CERTIFICATE, Base64.getEncoder().encodeToString(c.getEncoded()));
  }
}
