package org.pont.certs;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The extensions of one kind of certificate: key usage, extended key usage and alternative names,
 * as IGC-Santé sets them for each use (one key per use, never shared).
 */
record Profile(boolean ca, int pathLength, Usage usage, List<GeneralName> names) {

  static Profile ca(int pathLength) {
    return new Profile(true, pathLength, null, List.of());
  }

  static Profile organisation(Usage usage, String domain) {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.dNSName, domain));
    if (usage == Usage.TLS_SERVER) {
      // Reachable by name on a real network, and on this machine's loopback for local use and tests.
      names.add(new GeneralName(GeneralName.dNSName, "mail." + domain));
      names.add(new GeneralName(GeneralName.dNSName, "localhost"));
      names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }
    return new Profile(false, 0, usage, List.copyOf(names));
  }

  static Profile person(Usage usage, String address) {
    return new Profile(false, 0, usage, List.of(new GeneralName(GeneralName.rfc822Name, address)));
  }

  void apply(X509v3CertificateBuilder b, KeyAlgorithm algorithm) throws CertIOException {
    if (ca) {
      b.addExtension(Extension.basicConstraints, true, CertificateAuthority.caConstraints(pathLength));
      b.addExtension(Extension.keyUsage, true, CertificateAuthority.caKeyUsage());
      return;
    }
    b.addExtension(Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage(algorithm)));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose()));
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
  }

  private int keyUsage(KeyAlgorithm algorithm) {
    return switch (usage) {
      // RSA key exchange in TLS 1.2 needs keyEncipherment; ECDHE suites only sign.
      case TLS_SERVER -> algorithm.isRsa() ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
      case TLS_CLIENT -> KeyUsage.digitalSignature;
      case SIGNATURE -> KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
      // RSA recipients unwrap the content key; EC recipients agree on it (ECDH).
      case ENCRYPTION -> algorithm.isRsa() ? KeyUsage.keyEncipherment | KeyUsage.dataEncipherment : KeyUsage.keyAgreement;
    };
  }

  private KeyPurposeId purpose() {
    return switch (usage) {
      case TLS_SERVER -> KeyPurposeId.id_kp_serverAuth;
      case TLS_CLIENT -> KeyPurposeId.id_kp_clientAuth;
      case SIGNATURE, ENCRYPTION -> KeyPurposeId.id_kp_emailProtection;
    };
  }
}
