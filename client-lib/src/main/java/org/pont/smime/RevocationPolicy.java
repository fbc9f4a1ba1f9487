package org.pont.smime;

/** What to do when no current CRL covers a certificate of the signer's chain. */
public enum RevocationPolicy {
  /** Refuse the signature (REVOCATION_UNKNOWN): the secure default. */
  REQUIRE_CRL,
  /** Check the CRLs that are configured and current; accept a certificate none covers. */
  CHECK_IF_AVAILABLE,
  /** Do not check revocation at all (tests and offline tools only). */
  IGNORE
}
