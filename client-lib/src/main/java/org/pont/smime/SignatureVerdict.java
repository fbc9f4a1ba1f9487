package org.pont.smime;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed result of checking a message's signature: a reason ({@link VerdictReason#VALID} or the
 * specific failure), a sentence a person can act on, and what is known of the signer.
 */
public record SignatureVerdict(
    VerdictReason reason,
    String message,
    Optional<X509Certificate> signerCertificate,
    Optional<String> signerAddress,
    Optional<Instant> signingTime,
    SignerBinding binding) {

  public SignatureVerdict {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(signerCertificate, "signerCertificate");
    Objects.requireNonNull(signerAddress, "signerAddress");
    Objects.requireNonNull(signingTime, "signingTime");
    Objects.requireNonNull(binding, "binding");
  }

  public boolean isValid() {
    return reason == VerdictReason.VALID;
  }

  public boolean isSigned() {
    return reason != VerdictReason.NOT_SIGNED;
  }

  static SignatureVerdict failure(VerdictReason reason, String message) {
    return new SignatureVerdict(reason, message, Optional.empty(), Optional.empty(), Optional.empty(), SignerBinding.NONE);
  }

  static SignatureVerdict failure(VerdictReason reason, String message, X509Certificate cert, Instant signingTime) {
    return new SignatureVerdict(reason, message, Optional.of(cert), Optional.empty(), Optional.ofNullable(signingTime), SignerBinding.NONE);
  }
}
