package org.pont.gateway.mailet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.pont.gateway.directory.CertificateLookup;
import org.pont.gateway.directory.DirectoryIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipients' encryption certificates from the directory (annuaire) first, then from the PEM
 * folder an operator fills by hand ({@code <data>/certificates}). The directory holds every valid
 * certificate of the address (liste-rouge mailboxes included: ADR 0007), so a recipient imported
 * with {@code pont directory import} or {@code POST /api/v1/directory/import} gets encrypted mail
 * without a restart. An unreadable index is an error, not "no certificate": with
 * {@code pont.policy.unencryptable=sign-only} that would send in clear what could be encrypted.
 */
public final class DirectoryRecipientCertificates implements RecipientCertificates {

  private static final Logger LOG = LoggerFactory.getLogger(DirectoryRecipientCertificates.class);

  private final DirectoryIndex directory;
  private final RecipientCertificates fallback;

  public DirectoryRecipientCertificates(DirectoryIndex directory, RecipientCertificates fallback) {
    this.directory = directory;
    this.fallback = fallback;
  }

  @Override
  public List<X509Certificate> find(String address) {
    CertificateLookup found;
    try {
      found = directory.encryptionCertificates(address);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the directory index for an encryption certificate", e);
    }
    for (CertificateLookup.Excluded x : found.excluded()) {
      LOG.info("Directory certificate for {} not used: {}", found.address(), x.reason());
    }
    return found.isEmpty() ? fallback.find(address) : found.valid();
  }
}
