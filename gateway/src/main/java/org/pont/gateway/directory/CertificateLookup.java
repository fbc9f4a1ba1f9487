package org.pont.gateway.directory;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The encryption certificates the directory holds for one address.
 *
 * @param address the address looked up
 * @param valid certificates valid at the lookup instant: encrypt to all of them
 * @param excluded certificates not used, each with why ("expired on 2026-10-01T00:00:00Z")
 */
public record CertificateLookup(String address, List<X509Certificate> valid, List<Excluded> excluded) {
  public CertificateLookup {
    valid = List.copyOf(valid);
    excluded = List.copyOf(excluded);
  }

  /** A certificate left out, and the reason a user can act on. */
  public record Excluded(X509Certificate certificate, String reason) {}

  public boolean isEmpty() {
    return valid.isEmpty();
  }
}
