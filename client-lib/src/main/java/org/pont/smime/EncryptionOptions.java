package org.pont.smime;

import java.util.Objects;

/** Algorithm choices for encryption; {@link #DEFAULT} is AES-256-GCM with RSA-OAEP. */
public record EncryptionOptions(ContentCipher cipher, KeyTransport keyTransport) {

  public static final EncryptionOptions DEFAULT = new EncryptionOptions(ContentCipher.AES_256_GCM, KeyTransport.RSA_OAEP);

  /** AES-256-CBC with PKCS#1 v1.5 key transport: what the oldest S/MIME peers read. */
  public static final EncryptionOptions LEGACY = new EncryptionOptions(ContentCipher.AES_256_CBC, KeyTransport.RSA_PKCS1_V1_5);

  public EncryptionOptions {
    Objects.requireNonNull(cipher, "cipher");
    Objects.requireNonNull(keyTransport, "keyTransport");
  }

  public EncryptionOptions withCipher(ContentCipher c) {
    return new EncryptionOptions(c, keyTransport);
  }

  public EncryptionOptions withKeyTransport(KeyTransport k) {
    return new EncryptionOptions(cipher, k);
  }
}
