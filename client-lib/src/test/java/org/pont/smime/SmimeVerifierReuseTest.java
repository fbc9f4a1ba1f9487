package org.pont.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.smime.Fixtures.*;

import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One verifier, many messages: the verifier keeps decoded signer certificates and built chains
 * between calls, and a signer it has already accepted must get no shortcut past any later check.
 */
class SmimeVerifierReuseTest {
  private static final String TEXT = "Compte rendu de sortie: reeducation du genou, 10 seances.\r\n";

  private final SmimeVerifier verifier = SmimeVerifier.of(trust(rsa()));

  private static MimeMessage signed(KeyCredential key, String from) throws Exception {
    return reparse(SmimeSigner.of(key).sign(textMessage(from, DR_MARTIN, TEXT)));
  }

  private static MimeMessage tampered(MimeMessage m) throws Exception {
    String wire = new String(bytes(m), StandardCharsets.ISO_8859_1).replace("genou", "coude");
    return parse(wire.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aSignerAlreadyAcceptedIsStillCheckedInFullEveryTime() throws Exception {
    KeyCredential durand = key(rsa().person(DR_DURAND).signature());

    assertThat(verifier.verify(signed(durand, DR_DURAND)).reason()).isEqualTo(VerdictReason.VALID);
    assertThat(verifier.verify(tampered(signed(durand, DR_DURAND))).reason()).isEqualTo(VerdictReason.CONTENT_TAMPERED);
    assertThat(verifier.verify(signed(durand, NURSE)).reason()).isEqualTo(VerdictReason.SIGNER_MISMATCH);
    assertThat(verifier.verify(signed(durand, DR_DURAND)).reason()).isEqualTo(VerdictReason.VALID);
  }

  @Test
  void aLookAlikeCertificateFromAnotherRootIsNotTakenForAKnownSigner() throws Exception {
    assertThat(verifier.verify(signed(key(rsa().person(DR_DURAND).signature()), DR_DURAND)).reason())
        .isEqualTo(VerdictReason.VALID);

    // Same subject and address, another CA: only the bytes of the certificate tell them apart.
    SignatureVerdict v = verifier.verify(signed(key(stranger().person(DR_DURAND).signature()), DR_DURAND));

    assertThat(v.reason()).isEqualTo(VerdictReason.UNTRUSTED);
  }

  @Test
  void aRevokedSignerStaysRevokedAfterAGoodOne() throws Exception {
    KeyCredential revoked = key(rsa().revoked());
    String from = Certificates.emailAddresses(revoked.certificate()).get(0);
    assertThat(verifier.verify(signed(key(rsa().person(DR_DURAND).signature()), DR_DURAND)).reason())
        .isEqualTo(VerdictReason.VALID);

    assertThat(verifier.verify(signed(revoked, from)).reason()).isEqualTo(VerdictReason.REVOKED);
    assertThat(verifier.verify(signed(revoked, from)).reason()).isEqualTo(VerdictReason.REVOKED);
  }
}
