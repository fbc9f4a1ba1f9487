package org.pont.smime;

/** How the signer's certificate is bound to the From address. */
public enum SignerBinding {
  /** A personal certificate whose rfc822Name is the From address. */
  ADDRESS,
  /** An organisation certificate whose dNSName is the From address's domain (gateway signing). */
  DOMAIN,
  /** No binding: the verdict is not VALID. */
  NONE
}
