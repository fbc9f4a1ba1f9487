package org.pont.smime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/**
 * What a verifier trusts: the root certificates (trust anchors), the intermediate CA
 * certificates it may need to build a chain, and the CRLs it checks revocation against.
 */
public record TrustAnchors(List<X509Certificate> anchors, List<X509Certificate> intermediates, List<X509CRL> crls) {

  public TrustAnchors {
    anchors = List.copyOf(anchors);
    intermediates = List.copyOf(intermediates);
    crls = List.copyOf(crls);
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor (root certificate) is needed");
    }
  }

  public static TrustAnchors of(List<X509Certificate> anchors, List<X509Certificate> intermediates, List<X509CRL> crls) {
    return new TrustAnchors(anchors, intermediates, crls);
  }

  /**
   * The CRLs whose signature verifies with one of these CA certificates, by issuing CA, newest
   * first. A CRL that does not verify, or of a CA outside this trust, is left out as if absent:
   * it is no evidence either way.
   */
  public Map<X500Principal, List<X509CRL>> verifiedCrlsByIssuer() {
    List<X509Certificate> cas = new ArrayList<>(anchors);
    cas.addAll(intermediates);
    Map<X500Principal, List<X509CRL>> out = new HashMap<>();
    for (X509CRL crl : crls) {
      for (X509Certificate ca : cas) {
        if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
          try {
            crl.verify(ca.getPublicKey());
            out.computeIfAbsent(ca.getSubjectX500Principal(), k -> new ArrayList<>()).add(crl);
          } catch (GeneralSecurityException e) {
            // a CRL that does not verify is ignored, as if absent
          }
        }
      }
    }
    out.values().forEach(l -> l.sort((a, b) -> b.getThisUpdate().compareTo(a.getThisUpdate())));
    return out;
  }

  /**
   * Reads the PEM or DER certificate and CRL files at the top of a folder (e.g. a PKI made by
   * {@code pont pki init}: trust-anchors.pem, chain.pem, crls.pem). Self-signed CA certificates
   * become anchors, other CA certificates intermediates; end-entity certificates are ignored.
   *
   * @throws IOException if the folder cannot be read, a file is not a certificate or CRL, or no root is found
   */
  public static TrustAnchors fromDirectory(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(p) && (name.endsWith(".pem") || name.endsWith(".crt")
            || name.endsWith(".cer") || name.endsWith(".crl"))) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    return fromFiles(files);
  }

  /** Reads the given PEM or DER files, classifying their certificates and CRLs as {@link #fromDirectory} does. */
  public static TrustAnchors fromFiles(List<Path> files) throws IOException {
    List<X509Certificate> anchors = new ArrayList<>();
    List<X509Certificate> intermediates = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    for (Path file : files) {
      if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith("key.pem")) {
        continue; // a private key sitting next to certificates is not trust material
      }
      byte[] bytes = Files.readAllBytes(file);
      Collection<? extends Certificate> certs = readCertificates(bytes, file);
      Collection<? extends CRL> fileCrls = certs.isEmpty() ? readCrls(bytes, file) : List.of();
      if (certs.isEmpty() && fileCrls.isEmpty()) {
        throw new IOException(file + " holds neither certificates nor CRLs");
      }
      for (Certificate c : certs) {
        X509Certificate x = (X509Certificate) c;
        if (x.getBasicConstraints() < 0) {
          continue;
        }
        if (x.getSubjectX500Principal().equals(x.getIssuerX500Principal())) {
          anchors.add(x);
        } else {
          intermediates.add(x);
        }
      }
      for (CRL crl : fileCrls) {
        crls.add((X509CRL) crl);
      }
    }
    if (anchors.isEmpty()) {
      throw new IOException("no root certificate found in " + files + ": a trust folder needs the trust anchors");
    }
    return new TrustAnchors(anchors, intermediates, crls);
  }

  Set<TrustAnchor> pkixAnchors() {
    return anchors.stream().map(a -> new TrustAnchor(a, null)).collect(Collectors.toSet());
  }

  private static Collection<? extends Certificate> readCertificates(byte[] bytes, Path file) throws IOException {
    try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (CertificateException e) {
      return List.of(); // may be a CRL file; decided by the caller
    }
  }

  private static Collection<? extends CRL> readCrls(byte[] bytes, Path file) throws IOException {
    try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
      return CertificateFactory.getInstance("X.509").generateCRLs(in);
    } catch (CertificateException | CRLException e) {
      throw new IOException(file + " is neither a certificate nor a CRL file: " + e.getMessage(), e);
    }
  }
}
