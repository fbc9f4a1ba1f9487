package org.pont.gateway.mailet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recipients' encryption certificates as PEM files named {@code <address>.pem} in one folder
 * ({@code <data>/certificates}). Read on each lookup: small files, and an operator may drop one in
 * while the gateway runs. Expired certificates are skipped (encrypting to them would fail anyway).
 */
public final class PemRecipientCertificates implements RecipientCertificates {

  private final Path dir;

  public PemRecipientCertificates(Path dir) {
    this.dir = dir;
  }

  @Override
  public List<X509Certificate> find(String address) {
    String a = address.strip().toLowerCase(Locale.ROOT);
    if (a.isEmpty() || a.contains("/") || a.contains("\\") || a.startsWith(".")) {
      return List.of(); // never let an address walk out of the folder
    }
    Path file = dir.resolve(a + ".pem");
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        X509Certificate x = (X509Certificate) c;
        try {
          x.checkValidity();
          out.add(x);
        } catch (CertificateException e) {
          // expired or not yet valid: not usable for encryption
        }
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (CertificateException e) {
      throw new IllegalStateException(file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }
}
