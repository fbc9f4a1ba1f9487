package org.pont.smime;

/** The outcome of checking a signature; every failure has its own value. */
public enum VerdictReason {
  /** Intact content, trusted and valid certificate, signer is the sender. */
  VALID,
  /** The message carries no S/MIME signature. */
  NOT_SIGNED,
  /** The signature structure is broken: truncated or undecodable CMS, bad base64, no signer. */
  MALFORMED,
  /** The content was changed after it was signed (digest mismatch). */
  CONTENT_TAMPERED,
  /** The signature value does not verify with the signer's key (forged or corrupted). */
  SIGNATURE_INVALID,
  /** The signature does not carry the signer's certificate, so it cannot be checked. */
  SIGNER_CERTIFICATE_MISSING,
  /** The signer's certificate does not chain to a configured trust anchor. */
  UNTRUSTED,
  /** The signer's certificate had expired when the message was signed. */
  EXPIRED,
  /** The signer's certificate was not yet valid when the message was signed, or the signing time lies in the future. */
  NOT_YET_VALID,
  /** A certificate of the chain is listed in its authority's CRL. */
  REVOKED,
  /** No current CRL is available for a certificate of the chain and policy requires one. */
  REVOCATION_UNKNOWN,
  /** The signer's certificate is not meant for mail signature (key usage / extended key usage). */
  WRONG_KEY_USAGE,
  /** The certificate names neither the From address nor (organisation certificate) its domain. */
  SIGNER_MISMATCH
}
