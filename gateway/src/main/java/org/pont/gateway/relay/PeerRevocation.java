package org.pont.gateway.relay;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.pont.certs.PkiFolder;
import org.pont.smime.Certificates;
import org.pont.smime.TrustAnchors;

/**
 * Revocation of the TLS certificates operators present to each other, by the CRLs of the trust
 * space (the PKI folder's {@code crls.pem}): the peer's certificate and every CA certificate above
 * it, up to the anchor. Fails closed: a certificate whose issuer has no current CRL (none, or past
 * its next update) is refused like a revoked one, because an operator link must not open on an
 * unknown revocation status. Only CRLs whose signature verifies with their issuer's certificate
 * count. Thread-safe and immutable; reload by building a new one.
 */
public final class PeerRevocation {

  private final Map<X500Principal, List<X509CRL>> crlsByIssuer;
  private final Map<X500Principal, X509Certificate> caBySubject = new HashMap<>();
  private final Clock clock;

  PeerRevocation(TrustAnchors trust, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    for (X509Certificate ca : trust.anchors()) {
      caBySubject.put(ca.getSubjectX500Principal(), ca);
    }
    for (X509Certificate ca : trust.intermediates()) {
      caBySubject.put(ca.getSubjectX500Principal(), ca);
    }
    this.crlsByIssuer = Map.copyOf(trust.verifiedCrlsByIssuer());
  }

  /** From a PKI folder: its trust anchors, CA chain and CRLs. */
  public static PeerRevocation fromPki(PkiFolder pki) throws IOException {
    List<java.nio.file.Path> files = new ArrayList<>();
    for (java.nio.file.Path f : List.of(pki.trustAnchors(), pki.chain(), pki.crls())) {
      if (java.nio.file.Files.exists(f)) {
        files.add(f); // without crls.pem every peer is refused: fail closed, with the reason logged
      }
    }
    return new PeerRevocation(TrustAnchors.fromFiles(files), Clock.systemUTC());
  }

  /**
   * Checks the peer's certificate and the CAs above it.
   *
   * @param chain the chain the peer presented, leaf first (CA certificates it leaves out are taken
   *     from the trust space)
   * @throws CertificateException naming the certificate and the CA when one is revoked or its
   *     revocation status is unknown
   */
  public void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the peer presented no certificate");
    }
    Instant now = clock.instant();
    X509Certificate cert = chain[0];
    for (int depth = 0; depth < 8; depth++) {
      X500Principal issuerName = cert.getIssuerX500Principal();
      if (cert.getSubjectX500Principal().equals(issuerName)) {
        return; // the anchor: trusted by configuration, no CRL above it
      }
      checkOne(cert, issuerName, now);
      X509Certificate issuer = caBySubject.get(issuerName);
      if (issuer == null && depth + 1 < chain.length) {
        issuer = chain[depth + 1];
      }
      if (issuer == null) {
        throw new CertificateException("the issuer '" + issuerName.getName() + "' of " + Certificates.describe(cert)
            + " is not a CA of the trust space");
      }
      cert = issuer;
    }
    throw new CertificateException("certificate chain too long");
  }

  private void checkOne(X509Certificate cert, X500Principal issuer, Instant now) throws CertificateException {
    X509CRL current = null;
    for (X509CRL crl : crlsByIssuer.getOrDefault(issuer, List.of())) { // newest first
      if (!crl.getThisUpdate().toInstant().isAfter(now)
          && (crl.getNextUpdate() == null || crl.getNextUpdate().toInstant().isAfter(now))) {
        current = crl;
        break;
      }
    }
    if (current == null) {
      throw new CertificateException("no current CRL from '" + issuer.getName() + "' to check " + Certificates.describe(cert)
          + ": add its CRL to the trust space (an operator link needs a known revocation status)");
    }
    X509CRLEntry entry = current.getRevokedCertificate(cert);
    if (entry != null) {
      throw new CertificateException("certificate " + Certificates.describe(cert) + " was revoked on "
          + entry.getRevocationDate().toInstant() + " by '" + issuer.getName() + "'");
    }
  }
}
