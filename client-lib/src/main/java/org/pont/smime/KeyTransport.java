package org.pont.smime;

/** How the content key is wrapped for an RSA recipient (EC recipients always use ECDH key agreement). */
public enum KeyTransport {
  /** RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017, RFC 4055); the default. */
  RSA_OAEP,
  /** RSAES-PKCS1-v1_5: for compatibility with older peers. */
  RSA_PKCS1_V1_5
}
