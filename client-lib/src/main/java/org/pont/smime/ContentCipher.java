package org.pont.smime;

/** The symmetric cipher that protects a message's content. */
public enum ContentCipher {
  /** AES-256 in GCM mode, CMS AuthEnvelopedData (RFC 5083/5084): integrity-protected; the default. */
  AES_256_GCM,
  /** AES-256 in CBC mode, CMS EnvelopedData: for peers that do not read AuthEnvelopedData yet. */
  AES_256_CBC
}
