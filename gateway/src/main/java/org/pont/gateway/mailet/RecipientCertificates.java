package org.pont.gateway.mailet;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Where the outbound policy finds a recipient's encryption certificate(s). The directory service
 * will implement it; until then {@link PemRecipientCertificates} reads PEM files. Thread-safe.
 */
public interface RecipientCertificates {

  /** The encryption certificates known for {@code address}; empty when none is known. */
  List<X509Certificate> find(String address);
}
