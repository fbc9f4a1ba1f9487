package org.pont.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** The key types the test PKI issues. IGC-Santé issues RSA-2048; ECDSA P-256 is the modern option. */
public enum KeyAlgorithm {
  RSA_2048("SHA256withRSA"),
  EC_P256("SHA256withECDSA");

  private final String signatureAlgorithm;

  KeyAlgorithm(String signatureAlgorithm) {
    this.signatureAlgorithm = signatureAlgorithm;
  }

  /** The JCA name of the algorithm a CA of this type signs certificates and CRLs with. */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  public boolean isRsa() {
    return this == RSA_2048;
  }

  KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator g;
      if (isRsa()) {
        g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, random);
      } else {
        g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + this + " keys", e);
    }
  }
}
