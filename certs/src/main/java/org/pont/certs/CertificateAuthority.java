package org.pont.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA of the test PKI: issues certificates and keeps the list of those it revoked for its CRL. */
final class CertificateAuthority {
  private final Credential credential;
  private final KeyAlgorithm algorithm;
  private final SecureRandom random;
  private final List<Revocation> revoked = new ArrayList<>();

  private record Revocation(BigInteger serial, Instant when) {}

  private CertificateAuthority(Credential credential, KeyAlgorithm algorithm, SecureRandom random) {
    this.credential = credential;
    this.algorithm = algorithm;
    this.random = random;
  }

  static CertificateAuthority root(X500Name subject, KeyAlgorithm algorithm, Instant notBefore, Instant notAfter, SecureRandom random) {
    KeyPair keys = algorithm.generate(random);
    X509Certificate cert = sign(subject, subject, keys.getPublic(), keys, null, notBefore, notAfter,
        Profile.ca(-1), algorithm, random);
    return new CertificateAuthority(new Credential(keys.getPrivate(), cert, List.of(cert)), algorithm, random);
  }

  CertificateAuthority subordinate(X500Name subject, Instant notBefore, Instant notAfter) {
    KeyPair keys = algorithm.generate(random);
    X509Certificate cert = issueCertificate(subject, keys.getPublic(), notBefore, notAfter, Profile.ca(0));
    return new CertificateAuthority(new Credential(keys.getPrivate(), cert, chainWith(cert)), algorithm, random);
  }

  Credential issue(X500Name subject, Profile profile, Instant notBefore, Instant notAfter) {
    KeyPair keys = algorithm.generate(random);
    X509Certificate cert = issueCertificate(subject, keys.getPublic(), notBefore, notAfter, profile);
    return new Credential(keys.getPrivate(), cert, chainWith(cert));
  }

  void revoke(X509Certificate cert, Instant when) {
    revoked.add(new Revocation(cert.getSerialNumber(), when));
  }

  Credential credential() {
    return credential;
  }

  X509CRL crl(Instant thisUpdate, Instant nextUpdate) {
    try {
      X509CertificateHolder issuer = new X509CertificateHolder(credential.certificate().getEncoded());
      X509v2CRLBuilder b = new X509v2CRLBuilder(issuer.getSubject(), Date.from(thisUpdate));
      b.setNextUpdate(Date.from(nextUpdate));
      for (Revocation r : revoked) {
        b.addCRLEntry(r.serial(), Date.from(r.when()), CRLReason.keyCompromise);
      }
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(credential.certificate()));
      b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.valueOf(thisUpdate.getEpochSecond())));
      X509CRLHolder holder = b.build(signer(credential.privateKey(), algorithm));
      return new JcaX509CRLConverter().getCRL(holder);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue the CRL of " + credential.subjectDn(), e);
    }
  }

  private List<X509Certificate> chainWith(X509Certificate leaf) {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(leaf);
    chain.addAll(credential.chain());
    return chain;
  }

  private X509Certificate issueCertificate(X500Name subject, PublicKey key, Instant notBefore, Instant notAfter, Profile profile) {
    X500Name issuer = X500Name.getInstance(credential.certificate().getSubjectX500Principal().getEncoded());
    return sign(issuer, subject, key, null, credential, notBefore, notAfter, profile, algorithm, random);
  }

  /** Signs a certificate with {@code issuerCredential}, or with {@code selfKeys} for a root. */
  private static X509Certificate sign(X500Name issuer, X500Name subject, PublicKey key, KeyPair selfKeys,
      Credential issuerCredential, Instant notBefore, Instant notAfter, Profile profile, KeyAlgorithm algorithm,
      SecureRandom random) {
    try {
      // 16 random bytes, positive: RFC 5280 serials are unique per CA and at most 20 octets.
      BigInteger serial = new BigInteger(1, bytes(random, 16));
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, key);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
      if (issuerCredential != null) {
        b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCredential.certificate()));
      }
      profile.apply(b, algorithm);
      var signingKey = issuerCredential != null ? issuerCredential.privateKey() : selfKeys.getPrivate();
      X509CertificateHolder holder = b.build(signer(signingKey, algorithm));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + subject, e);
    }
  }

  private static byte[] bytes(SecureRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static ContentSigner signer(java.security.PrivateKey key, KeyAlgorithm algorithm) {
    try {
      return new JcaContentSignerBuilder(algorithm.signatureAlgorithm()).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with " + algorithm.signatureAlgorithm(), e);
    }
  }

  /** Key usages a CA certificate carries. */
  static KeyUsage caKeyUsage() {
    return new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign);
  }

  static BasicConstraints caConstraints(int pathLength) {
    return pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength);
  }
}
