package org.pont.gateway.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pont.smime.SignerBinding;

/** X-Pont-Signature is built and read in one place; both directions agree. */
class SignatureHeaderTest {

  @Test
  void aValidVerdictIsWrittenAndReadBack() {
    SignatureHeader h = SignatureHeader.valid("kine.martin@cabinet.test", SignerBinding.DOMAIN);
    assertThat(h.value()).isEqualTo("VALID; signer=kine.martin@cabinet.test; binding=DOMAIN");
    assertThat(SignatureHeader.parse(h.value())).contains(h);
    assertThat(SignatureHeader.parse(h.value()).orElseThrow().signer()).contains("kine.martin@cabinet.test");
  }

  @Test
  void theOtherVerdictsRoundTrip() {
    assertThat(SignatureHeader.notSigned().value()).isEqualTo("NOT_SIGNED");
    assertThat(SignatureHeader.endToEnd().value()).isEqualTo("NOT_VERIFIED; end-to-end encrypted, the recipient verifies");
    for (SignatureHeader h : new SignatureHeader[] {SignatureHeader.notSigned(), SignatureHeader.endToEnd(),
        SignatureHeader.valid("dr@hopital.test", SignerBinding.ADDRESS)}) {
      assertThat(SignatureHeader.parse(h.value())).contains(h);
    }
    assertThat(SignatureHeader.notSigned().signed()).isFalse();
    assertThat(SignatureHeader.endToEnd().signed()).isTrue();
  }

  @Test
  void readingToleratesSpacingAndCaseButNothingElse() {
    assertThat(SignatureHeader.parse("valid;signer=a@b.test ;  binding=address"))
        .contains(SignatureHeader.valid("a@b.test", SignerBinding.ADDRESS));
    assertThat(SignatureHeader.parse(null)).isEmpty();
    assertThat(SignatureHeader.parse("")).isEmpty();
    assertThat(SignatureHeader.parse("FORGED; signer=x@evil.test")).isEmpty();
    assertThat(SignatureHeader.parse("VALID; signer=x@evil.test")).as("no binding").isEmpty();
    assertThat(SignatureHeader.parse("VALID; binding=DOMAIN")).as("no signer").isEmpty();
    assertThat(SignatureHeader.parse("NOT_SIGNED; signer=x@evil.test")).isEmpty();
    assertThat(SignatureHeader.parse("VALID; signer=a@b.test; binding=DOMAIN; extra=1")).isEmpty();
    assertThat(SignatureHeader.parse("VALID; signer=a@b.test; binding=NONE")).isEmpty();
  }

  @Test
  void anIncoherentVerdictCannotBeBuilt() {
    assertThatThrownBy(() -> SignatureHeader.valid("a b@c.test", SignerBinding.DOMAIN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignatureHeader.valid("a@c.test", SignerBinding.NONE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SignatureHeader(SignatureHeader.Verdict.NOT_SIGNED, Optional.of("a@c.test"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
