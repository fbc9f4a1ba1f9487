package org.pont.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestPkiTest {
  private static final String HOSPITAL = "hopital.test";
  private static final String MARTIN = "dr.martin@cabinet.test";
  private static final TestPki PKI = TestPki.builder().domain(HOSPITAL).domain("cabinet.test").person(MARTIN).build();

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
  // java.security.cert.X509Certificate#getKeyUsage indexes
  private static final int DIGITAL_SIGNATURE = 0, NON_REPUDIATION = 1, KEY_ENCIPHERMENT = 2, KEY_AGREEMENT = 4, KEY_CERT_SIGN = 5;

  @Test
  void eachOrganisationUseHasItsOwnKeyAndTheRightExtensions() throws Exception {
    Organisation org = PKI.organisation(HOSPITAL);

    X509Certificate server = org.tlsServer().certificate();
    assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(server.getKeyUsage()[DIGITAL_SIGNATURE]).isTrue();
    assertThat(names(server)).contains(HOSPITAL, "mail." + HOSPITAL, "localhost", "127.0.0.1");
    assertThat(org.tlsClient().certificate().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    X509Certificate signature = org.signature().certificate();
    assertThat(signature.getExtendedKeyUsage()).containsExactly(EMAIL_PROTECTION);
    assertThat(signature.getKeyUsage()[NON_REPUDIATION]).isTrue();
    assertThat(signature.getKeyUsage()[KEY_ENCIPHERMENT]).isFalse();
    X509Certificate encryption = org.encryption().certificate();
    assertThat(encryption.getKeyUsage()[KEY_ENCIPHERMENT]).isTrue();
    assertThat(encryption.getKeyUsage()[DIGITAL_SIGNATURE]).isFalse();
    assertThat(names(signature)).containsExactly(HOSPITAL);

    Set<Object> keys = Set.of(org.tlsServer().certificate().getPublicKey(), org.tlsClient().certificate().getPublicKey(),
        signature.getPublicKey(), encryption.getPublicKey());
    assertThat(keys).hasSize(4);
    assertThat(server.getPublicKey()).isInstanceOf(RSAPublicKey.class);
    assertThat(((RSAPublicKey) server.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
  }

  @Test
  void organisationSubjectsAreShapedLikeTheWhitelistOperatorDn() {
    String dn = PKI.organisation(HOSPITAL).tlsClient().subjectDn();

    assertThat(dn).matches("CN=hopital\\.test,OU=3\\d{14},O=HOPITAL\\.TEST \\(PONT TEST PKI\\),C=FR");
  }

  @Test
  void personCertificatesNameTheirMailAddress() throws Exception {
    Person p = PKI.person(MARTIN);

    assertThat(names(p.signature().certificate())).containsExactly(MARTIN);
    assertThat(names(p.encryption().certificate())).containsExactly(MARTIN);
    assertThat(p.signature().certificate().getIssuerX500Principal()).isEqualTo(PKI.personCa().certificate().getSubjectX500Principal());
    assertThat(p.signature().chain()).hasSize(3);
  }

  @Test
  void everyCertificateChainsToTheRootAndIsNotRevoked() throws Exception {
    List<X509Certificate> leaves = new ArrayList<>();
    PKI.organisations().values().forEach(o -> {
      for (Usage u : Usage.values()) {
        leaves.add(o.credential(u).certificate());
      }
    });
    PKI.persons().values().forEach(p -> leaves.add(p.encryption().certificate()));

    for (X509Certificate leaf : leaves) {
      validate(leaf, Instant.now());
    }
  }

  @Test
  void theRevokedCertificateIsInThePersonsCrlAndFailsValidation() {
    X509CRL personsCrl = PKI.crls().get(2);

    assertThat(personsCrl.isRevoked(PKI.revoked().certificate())).isTrue();
    assertThat(personsCrl.isRevoked(PKI.person(MARTIN).signature().certificate())).isFalse();
    assertThatThrownBy(() -> validate(PKI.revoked().certificate(), Instant.now())).hasMessageContaining("revoked");
  }

  @Test
  void aRevokedOperatorsTlsCertificatesAreInTheOrganisationsCrlAndItsOthersAreNot() throws Exception {
    TestPki pki = TestPki.builder().domain(HOSPITAL).revokedOperator("revoque.test").build();
    X509CRL organisationsCrl = pki.crls().get(1);
    Organisation revoked = pki.organisation("revoque.test");

    assertThat(organisationsCrl.isRevoked(revoked.credential(Usage.TLS_CLIENT).certificate())).isTrue();
    assertThat(organisationsCrl.isRevoked(revoked.credential(Usage.TLS_SERVER).certificate())).isTrue();
    assertThat(organisationsCrl.isRevoked(revoked.credential(Usage.SIGNATURE).certificate())).isFalse();
    assertThat(organisationsCrl.isRevoked(pki.organisation(HOSPITAL).credential(Usage.TLS_CLIENT).certificate())).isFalse();
  }

  @Test
  void theExpiredCertificateEndedBeforeNowButWasIssuedByALiveCa() throws Exception {
    X509Certificate expired = PKI.expired().certificate();

    assertThat(expired.getNotAfter().toInstant()).isBefore(Instant.now());
    assertThat(PKI.personCa().certificate().getNotBefore()).isBefore(expired.getNotBefore());
    assertThatThrownBy(() -> validate(expired, Instant.now())).hasRootCauseInstanceOf(java.security.cert.CertificateExpiredException.class);
    // Valid while it lived (no CRL was current then, so chain and dates only).
    validate(expired, expired.getNotAfter().toInstant().minusSeconds(3600), false);
  }

  @Test
  void crlsAreSignedByTheirCas() throws Exception {
    List<X509Certificate> cas = List.of(PKI.root().certificate(), PKI.organisationCa().certificate(), PKI.personCa().certificate());
    for (int i = 0; i < 3; i++) {
      PKI.crls().get(i).verify(cas.get(i).getPublicKey());
      assertThat(PKI.crls().get(i).getIssuerX500Principal()).isEqualTo(cas.get(i).getSubjectX500Principal());
    }
    assertThat(PKI.root().certificate().getKeyUsage()[KEY_CERT_SIGN]).isTrue();
    assertThat(PKI.root().certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void ecP256IsAnOptionAndEncryptionKeysAgreeRatherThanEncipher() {
    TestPki ec = TestPki.builder().keyAlgorithm(KeyAlgorithm.EC_P256).domain(HOSPITAL).build();
    X509Certificate enc = ec.organisation(HOSPITAL).encryption().certificate();

    assertThat(enc.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(enc.getKeyUsage()[KEY_AGREEMENT]).isTrue();
    assertThat(enc.getKeyUsage()[KEY_ENCIPHERMENT]).isFalse();
    assertThat(ec.root().certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
  }

  @Test
  void badNamesAreRefusedWithTheNameInTheMessage() {
    assertThatThrownBy(() -> TestPki.builder().domain("not a domain")).hasMessageContaining("'not a domain' is not a domain name");
    assertThatThrownBy(() -> TestPki.builder().person("martin")).hasMessageContaining("'martin' is not a mail address");
    assertThatThrownBy(() -> TestPki.builder().build()).hasMessageContaining("at least one domain or person");
    assertThatThrownBy(() -> PKI.organisation("inconnu.test")).hasMessageContaining("hopital.test");
  }

  private static List<String> names(X509Certificate cert) throws Exception {
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    return sans == null ? List.of() : sans.stream().map(l -> (String) l.get(1)).toList();
  }

  private static void validate(X509Certificate leaf, Instant at) throws Exception {
    validate(leaf, at, true);
  }

  private static void validate(X509Certificate leaf, Instant at, boolean revocation) throws Exception {
    var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf,
        leaf.getIssuerX500Principal().equals(PKI.personCa().certificate().getSubjectX500Principal())
            ? PKI.personCa().certificate() : PKI.organisationCa().certificate()));
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(PKI.root().certificate(), null)));
    params.setDate(java.util.Date.from(at));
    params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(PKI.crls())));
    params.setRevocationEnabled(revocation);
    CertPathValidator.getInstance("PKIX").validate(path, params);
  }
}
