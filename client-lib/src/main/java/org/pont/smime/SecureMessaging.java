package org.pont.smime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One party's S/MIME toolkit: sign-then-encrypt outgoing messages and decrypt-then-verify incoming
 * ones with its own keys and trust anchors. Build it once and share it: it is immutable and
 * thread-safe.
 *
 * <pre>{@code
 * SecureMessaging smime = SecureMessaging.builder()
 *     .signingKey(KeyCredential.fromPkcs12(sigP12, password))
 *     .decryptionKey(KeyCredential.fromPkcs12(encP12, password))
 *     .trust(TrustAnchors.fromDirectory(trustDir))
 *     .build();
 * MimeMessage out = smime.signAndEncrypt(message, List.of(recipientCert));
 * OpenedMessage in = smime.open(received);   // in.signature().isValid()
 * }</pre>
 */
public final class SecureMessaging {
  private final Optional<SmimeSigner> signer;
  private final Optional<SmimeDecryptor> decryptor;
  private final Optional<SmimeVerifier> verifier;
  private final SmimeEncryptor encryptor;
  private final Optional<X509Certificate> ownEncryptionCertificate;

  private SecureMessaging(Builder b) {
    this.ownEncryptionCertificate = b.encryptToSelf && !b.decryptionKeys.isEmpty()
        ? Optional.of(b.decryptionKeys.get(0).certificate()) : Optional.empty();
    this.signer = Optional.ofNullable(b.signingKey).map(k -> {
      SmimeSigner s = SmimeSigner.of(k).withClock(b.clock);
      return b.decryptionKeys.isEmpty() ? s : s.withEncryptionCertificate(b.decryptionKeys.get(0).certificate());
    });
    this.decryptor = b.decryptionKeys.isEmpty() ? Optional.empty() : Optional.of(SmimeDecryptor.of(b.decryptionKeys));
    this.verifier = Optional.ofNullable(b.trust).map(t -> SmimeVerifier.of(t).withRevocationPolicy(b.revocation).withClock(b.clock));
    this.encryptor = SmimeEncryptor.of(b.encryption).withClock(b.clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Signs with our signature key. */
  public MimeMessage sign(MimeMessage message) throws SmimeException {
    return signer.orElseThrow(() -> new IllegalStateException("no signing key configured: call signingKey(...)")).sign(message);
  }

  /** Encrypts for the given recipients (our own encryption certificate is added so we can read our sent copy). */
  public MimeMessage encrypt(MimeMessage message, List<X509Certificate> recipients) throws SmimeException {
    return encryptor.encrypt(message, withOwnCertificate(recipients));
  }

  /** Signs, then encrypts the signed message: RFC 8551's recommended order. */
  public MimeMessage signAndEncrypt(MimeMessage message, List<X509Certificate> recipients) throws SmimeException {
    return encrypt(sign(message), recipients);
  }

  /**
   * Decrypts (when encrypted) then verifies (when signed). An unsigned message yields a verdict of
   * {@link VerdictReason#NOT_SIGNED}; policy on that is the caller's.
   *
   * @throws SmimeException when the message is encrypted but cannot be decrypted (not for us,
   *     altered, malformed)
   */
  public OpenedMessage open(MimeMessage message) throws SmimeException {
    boolean encrypted;
    try {
      encrypted = SmimeDecryptor.isEncrypted(message);
    } catch (MessagingException e) {
      throw new SmimeException(SmimeException.Reason.MALFORMED, "unreadable Content-Type: " + e.getMessage(), e);
    }
    MimeMessage inner = message;
    if (encrypted) {
      inner = decryptor.orElseThrow(() -> new SmimeException(SmimeException.Reason.NOT_FOR_THIS_RECIPIENT,
          "the message is encrypted but no decryption key is configured")).decrypt(message);
    }
    SmimeVerifier v = verifier.orElseThrow(() -> new IllegalStateException("no trust anchors configured: call trust(...)"));
    SmimeVerifier.Verified verified = v.verifyAndUnwrap(inner);
    return new OpenedMessage(encrypted, verified.verdict(), verified.content());
  }

  private List<X509Certificate> withOwnCertificate(List<X509Certificate> recipients) {
    if (ownEncryptionCertificate.isEmpty() || recipients.isEmpty() || recipients.contains(ownEncryptionCertificate.get())) {
      return recipients;
    }
    List<X509Certificate> all = new ArrayList<>(recipients);
    all.add(ownEncryptionCertificate.get());
    return all;
  }

  /** Collects keys, trust and options; all optional, but each operation needs its part. */
  public static final class Builder {
    private KeyCredential signingKey;
    private final List<KeyCredential> decryptionKeys = new ArrayList<>();
    private TrustAnchors trust;
    private RevocationPolicy revocation = RevocationPolicy.REQUIRE_CRL;
    private EncryptionOptions encryption = EncryptionOptions.DEFAULT;
    private boolean encryptToSelf = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder signingKey(KeyCredential key) {
      this.signingKey = Objects.requireNonNull(key);
      return this;
    }

    /** A key to decrypt with; the first one's certificate is also announced to peers and used for our sent copies. */
    public Builder decryptionKey(KeyCredential key) {
      decryptionKeys.add(Objects.requireNonNull(key));
      return this;
    }

    public Builder trust(TrustAnchors anchors) {
      this.trust = Objects.requireNonNull(anchors);
      return this;
    }

    public Builder revocation(RevocationPolicy policy) {
      this.revocation = Objects.requireNonNull(policy);
      return this;
    }

    public Builder encryption(EncryptionOptions options) {
      this.encryption = Objects.requireNonNull(options);
      return this;
    }

    /** Whether encrypted messages are also encrypted to our own certificate (default true). */
    public Builder encryptToSelf(boolean value) {
      this.encryptToSelf = value;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    public SecureMessaging build() {
      return new SecureMessaging(this);
    }
  }
}
