package org.pont.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key, its certificate, and the chain that certifies it: leaf first, then the issuing
 * CA, then the root.
 */
public record Credential(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {

  public Credential {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(certificate, "certificate");
    chain = List.copyOf(chain);
    if (chain.isEmpty() || !chain.get(0).equals(certificate)) {
      throw new IllegalArgumentException("the chain must start with the certificate itself");
    }
  }

  /** The subject DN in RFC 2253 form, e.g. {@code CN=hopital.test,OU=...,O=...,C=FR}. */
  public String subjectDn() {
    return certificate.getSubjectX500Principal().getName();
  }

  @Override
  public String toString() {
    return "Credential[" + subjectDn() + ", serial " + certificate.getSerialNumber().toString(16) + "]";
  }
}
