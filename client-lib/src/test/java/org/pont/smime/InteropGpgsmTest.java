package org.pont.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pont.smime.Fixtures.*;
import static org.pont.smime.InteropOpensslTest.assertSameEntity;
import static org.pont.smime.InteropOpensslTest.entityBytes;

import jakarta.activation.DataHandler;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pont.certs.Credential;
import org.pont.certs.PkiFolder;
import org.pont.certs.TestPki;
import org.pont.certs.Usage;

/**
 * Interoperability with GnuPG's {@code gpgsm} (2.2.x, built on libksba/libgcrypt: no code shared
 * with Bouncy Castle or OpenSSL), both ways. Each party gets its own throwaway {@code GNUPGHOME}
 * holding its keys and trusting the test root ({@code trustlist.txt}); CRL checks are off because
 * gpgsm fetches CRLs only through dirmngr. gpgsm speaks CMS, not MIME: the tests wrap and unwrap
 * its output with jakarta.mail. What gpgsm 2.2 cannot do (AES-GCM, RSA-OAEP, ECDH, EC keys,
 * importing the JDK's PKCS#12) is asserted as the failure gpgsm actually reports. See
 * docs/INTEROP.md.
 */
class InteropGpgsmTest {
  private static final String PASSWORD = "interop-gpgsm-password";
  private static final String TEXT = "Patient sorti le 21/11. Rééducation : 3 séances par semaine.\r\n"
      + "À revoir dans 15 jours ; traitement inchangé.\r\n";

  @TempDir static Path dir;
  private static PkiFolder files;
  private static final List<Home> homes = new ArrayList<>();
  private static Home durand;
  private static Home martin;
  private static Home nurse;
  private static Home ecMartin;

  /** One party's GNUPGHOME and the gpgsm that uses it. */
  record Home(Path path, ExternalTool gpgsm) {
    ExternalTool.Result run(byte[] stdin, String... args) {
      List<String> all = new ArrayList<>(List.of("--batch", "--disable-crl-checks", "--disable-dirmngr",
          "--pinentry-mode", "loopback", "--passphrase-fd", "0"));
      all.addAll(List.of(args));
      return gpgsm.runWithInput(stdin == null ? passphrase() : stdin, all.toArray(String[]::new));
    }

    ExternalTool.Result succeed(String... args) {
      ExternalTool.Result r = run(null, args);
      assertThat(r.exitCode()).as("expected success from %s", r.describe()).isZero();
      return r;
    }
  }

  @BeforeAll
  static void giveEachPartyAGnupgHome() throws Exception {
    files = rsa().writeTo(dir.resolve("pki"), PASSWORD.toCharArray());
    durand = home("durand", rsa(), files, rsa().person(DR_DURAND).signature(), rsa().person(DR_DURAND).encryption());
    martin = home("martin", rsa(), files, rsa().person(DR_MARTIN).encryption());
    nurse = home("nurse", rsa(), files, rsa().person(NURSE).encryption());
    // EC P-256: certificates only, gpgsm 2.2.40 cannot import an EC key (see below).
    ecMartin = home("ec-martin", ec(), ec().writeTo(dir.resolve("ec-pki"), PASSWORD.toCharArray()));
  }

  @AfterAll
  static void stopTheAgents() {
    for (Home h : homes) {
      ExternalTool.require("gpgconf", "--version", Map.of("GNUPGHOME", h.path().toString())).run("--kill", "gpg-agent");
    }
  }

  // ---------------------------------------------------------------- Pont -> gpgsm

  @Test
  void gpgsmVerifiesWhatPontSigns() throws Exception {
    MimeMessage signed = reparse(party(DR_DURAND, EncryptionOptions.DEFAULT).sign(textMessage(DR_DURAND, DR_MARTIN, TEXT)));

    Detached d = Detached.of(signed);

    assertGoodSignature(martin.succeed("--status-fd", "1", "--verify", d.signature().toString(), d.content().toString()));
    assertThat((String) parse(Files.readAllBytes(d.content())).getContent()).isEqualTo(TEXT);
  }

  @Test
  void gpgsmDecryptsForEachRecipientAndVerifiesWhatPontSignsThenEncryptsWithAes256CbcAndRsaPkcs1() throws Exception {
    MimeMessage original = withAttachment(DR_DURAND, DR_MARTIN, 50_000);
    MimeMessage sent = reparse(party(DR_DURAND, EncryptionOptions.LEGACY).signAndEncrypt(original,
        List.of(rsa().person(DR_MARTIN).encryption().certificate(), rsa().person(NURSE).encryption().certificate())));
    Path envelope = write("pont-legacy.p7m", cms(sent));

    for (Home reader : List.of(martin, nurse, durand)) {
      byte[] signedEntity = decrypt(reader, envelope);
      Detached d = Detached.of(parse(signedEntity));
      assertGoodSignature(reader.succeed("--status-fd", "1", "--verify", d.signature().toString(), d.content().toString()));
      assertThat(Files.readAllBytes(d.content())).as(reader.path().toString()).isEqualTo(entityBytes(original));
    }
  }

  static Stream<Arguments> whatGpgsm22CannotDecrypt() {
    return Stream.of(
        Arguments.of(EncryptionOptions.DEFAULT, "error getting IV", "AES-256-GCM AuthEnvelopedData (Pont's default)"),
        Arguments.of(new EncryptionOptions(ContentCipher.AES_256_GCM, KeyTransport.RSA_PKCS1_V1_5), "error getting IV",
            "AES-256-GCM AuthEnvelopedData with PKCS#1 v1.5"),
        Arguments.of(new EncryptionOptions(ContentCipher.AES_256_CBC, KeyTransport.RSA_OAEP), "error getting encrypted session key",
            "RSA-OAEP key transport"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("whatGpgsm22CannotDecrypt")
  void gpgsm22CannotDecryptGcmOrOaepEnvelopesWhichIsWhyPontKeepsTheLegacyOption(EncryptionOptions options, String gpgsmError,
      String what) throws Exception {
    MimeMessage sent = reparse(SmimeEncryptor.of(options)
        .encrypt(textMessage(DR_DURAND, DR_MARTIN, TEXT), List.of(rsa().person(DR_MARTIN).encryption().certificate())));

    ExternalTool.Result r = martin.run(null, "--decrypt", write("pont-" + options.cipher() + "-" + options.keyTransport() + ".p7m", cms(sent)).toString());

    assertThat(r.exitCode()).as(what + ": " + r.describe()).isNotZero();
    assertThat(r.stderr()).as(what).contains(gpgsmError);
    assertThat(r.stdout()).as("no plaintext may come out").isEmpty();
  }

  // ---------------------------------------------------------------- gpgsm -> Pont

  @Test
  void pontVerifiesWhatGpgsmSigns() throws Exception {
    byte[] entity = entityBytes(textMessage(DR_DURAND, DR_MARTIN, TEXT));

    MimeMessage signed = gpgsmSigned(entity);
    OpenedMessage opened = party(DR_MARTIN, EncryptionOptions.DEFAULT).open(reparse(signed));

    assertThat(opened.signature().reason()).as(opened.signature().message()).isEqualTo(VerdictReason.VALID);
    assertThat(opened.signature().signerAddress()).contains(DR_DURAND);
    assertSameEntity(opened.content(), entity);
    assertThat((String) opened.content().getContent()).isEqualTo(TEXT);
  }

  @Test
  void pontOpensWhatGpgsmSignsThenEncryptsWithAes256CbcForSeveralRecipients() throws Exception {
    byte[] entity = entityBytes(withAttachment(DR_DURAND, DR_MARTIN, 50_000));
    byte[] signedEntity = entityBytes(gpgsmSigned(entity));
    Path in = write("gpgsm-signed-entity.txt", signedEntity);

    byte[] der = durand.succeed("--cipher-algo", "AES256", "--recipient", fingerprint(rsa().person(DR_MARTIN).encryption()),
        "--recipient", fingerprint(rsa().person(NURSE).encryption()), "--encrypt", in.toString()).stdout();
    MimeMessage received = reparse(envelope(der, "enveloped-data"));

    for (String reader : List.of(DR_MARTIN, NURSE)) {
      OpenedMessage opened = party(reader, EncryptionOptions.DEFAULT).open(received);
      assertThat(opened.wasEncrypted()).isTrue();
      assertThat(opened.signature().reason()).as(reader + ": " + opened.signature().message()).isEqualTo(VerdictReason.VALID);
      assertSameEntity(opened.content(), entity);
    }
  }

  @Test
  void pontRefusesTheUnauthenticatedGcmEnvelopeGpgsm22WritesWhenAskedForAesGcm() throws Exception {
    Path in = write("gcm-plain.txt", entityBytes(textMessage(DR_DURAND, DR_MARTIN, TEXT)));

    byte[] der = durand.succeed("--cipher-algo", CMSAlgorithm.AES256_GCM.getId(),
        "--recipient", fingerprint(rsa().person(DR_MARTIN).encryption()), "--encrypt", in.toString()).stdout();

    // gpgsm 2.2 takes the AES-256-GCM OID but writes it into plain EnvelopedData (no tag, no
    // GCMParameters) instead of AuthEnvelopedData (RFC 5084): nothing authenticates the content.
    CMSEnvelopedData written = new CMSEnvelopedData(der);
    assertThat(written.getContentEncryptionAlgorithm().getAlgorithm()).isEqualTo(CMSAlgorithm.AES256_GCM);
    MimeMessage received = reparse(envelope(der, "enveloped-data"));
    assertThatThrownBy(() -> party(DR_MARTIN, EncryptionOptions.DEFAULT).open(received))
        .isInstanceOfSatisfying(SmimeException.class, e -> assertThat(e.reason()).isIn(
            SmimeException.Reason.DECRYPTION_FAILED, SmimeException.Reason.MALFORMED));
  }

  @Test
  void gpgsmCannotImportTheJdksPbes2AesPkcs12SoTheTestsGiveItA3DesOne() throws Exception {
    Path jdkPkcs12 = files.personPkcs12(DR_MARTIN, Usage.ENCRYPTION);

    ExternalTool.Result r = martin.run(null, "--import", jdkPkcs12.toString());

    assertThat(r.stderr()).as(r.describe()).contains("error parsing or decrypting the PKCS#12 file");
    assertThat(r.stderr()).contains("total number processed: 0").doesNotContain("secret keys imported");
  }

  // ---------------------------------------------------------------- EC P-256

  @Test
  void gpgsmVerifiesWhatPontSignsWithAnEcKey() throws Exception {
    MimeMessage signed = reparse(SecureMessaging.builder().signingKey(key(ec().person(DR_DURAND).signature())).build()
        .sign(textMessage(DR_DURAND, DR_MARTIN, TEXT)));

    Detached d = Detached.of(signed);

    assertGoodSignature(ecMartin.succeed("--status-fd", "1", "--verify", d.signature().toString(), d.content().toString()));
  }

  @Test
  void gpgsm22CannotEncryptToAnEcCertificateForItHasNoEcdh() throws Exception {
    Path in = write("ec-plain.txt", entityBytes(textMessage(DR_DURAND, DR_MARTIN, TEXT)));

    ExternalTool.Result r = ecMartin.run(null, "--recipient", fingerprint(ec().person(DR_MARTIN).encryption()), "--encrypt", in.toString());

    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    assertThat(r.stderr()).contains("Wrong key usage");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void gpgsm22CrashesImportingAnEcKeySoItCanNeitherSignNorDecryptWithOne() throws Exception {
    Path p12 = write("ec-martin.p12", legacyPkcs12(ec().person(DR_MARTIN).encryption()));

    ExternalTool.Result r = ecMartin.run(null, "--import", p12.toString());

    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    assertThat(r.stderr()).contains("Segmentation fault").doesNotContain("secret keys imported: 1");
  }

  // ---------------------------------------------------------------- helpers

  private static SecureMessaging party(String address, EncryptionOptions options) {
    return SecureMessaging.builder()
        .signingKey(key(rsa().person(address).signature()))
        .decryptionKey(key(rsa().person(address).encryption()))
        .trust(trust(rsa()))
        .encryption(options)
        .build();
  }

  private static Home home(String name, TestPki pki, PkiFolder files, Credential... keys) throws Exception {
    Path path = Files.createDirectories(dir.resolve("gnupg-" + name));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    // The agent re-protects each imported key with a passphrase hash it first calibrates to take
    // 100 ms; for throwaway test keys a fixed small count saves seconds per home.
    Files.writeString(path.resolve("gpg-agent.conf"), "s2k-count 65536\n");
    Home home = new Home(path, ExternalTool.require("gpgsm", "--version", Map.of("GNUPGHOME", path.toString())));
    homes.add(home);
    // The CA certificates and the correspondents' certificates: gpgsm looks up every recipient of
    // an envelope and exits with 2 when one is unknown, even after decrypting with its own key.
    List<String> certificates = new ArrayList<>(List.of("--import", files.trustAnchors().toString(), files.chain().toString()));
    for (String person : pki.persons().keySet()) {
      certificates.add(files.personCertificate(person, Usage.SIGNATURE).toString());
      certificates.add(files.personCertificate(person, Usage.ENCRYPTION).toString());
    }
    home.succeed(certificates.toArray(String[]::new));
    StringBuilder trustlist = new StringBuilder();
    for (X509Certificate root : pki.trustAnchors()) {
      trustlist.append(HexFormat.ofDelimiter(":").withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-1").digest(root.getEncoded()))).append(" S\n");
    }
    Files.writeString(path.resolve("trustlist.txt"), trustlist);
    for (Credential key : keys) {
      importKey(home, name, key);
    }
    return home;
  }

  /**
   * gpgsm 2.2.40 fails to decrypt about one PKCS#12 file in thirty ("possibly bad passphrase",
   * "error parsing or decrypting the PKCS#12 file") depending only on the random salts: seen with
   * files written by Bouncy Castle and by {@code openssl pkcs12 -export} alike, and the same file
   * fails every time. A fresh export (new salts) is tried, at most five times; the last failure is
   * reported.
   */
  private static void importKey(Home home, String name, Credential key) throws Exception {
    ExternalTool.Result r = null;
    for (int attempt = 1; attempt <= 5; attempt++) {
      Path p12 = write(name + "-" + fingerprint(key).substring(2) + "-" + attempt + ".p12", legacyPkcs12(key));
      r = home.run(null, "--import", p12.toString());
      if (r.exitCode() == 0 && r.stderr().contains("secret keys imported: 1")) {
        return;
      }
    }
    throw new AssertionError("gpgsm could not import the key of " + key.certificate().getSubjectX500Principal() + ": " + r.describe());
  }

  /**
   * gpgsm 2.2 reads only the old PKCS#12 encryption (PBE-SHA1-3DES, SHA-1 MAC); the JDK writes
   * PBES2/AES-256 with an HMAC-SHA256 PRF. Written with Bouncy Castle's PKCS#12 builder.
   */
  private static byte[] legacyPkcs12(Credential c) throws Exception {
    char[] password = PASSWORD.toCharArray();
    var tripleDes = new JcePKCSPBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
        .setProvider(Bc.PROVIDER);
    var keyId = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(c.certificate().getPublicKey());
    List<PKCS12SafeBag> certBags = new ArrayList<>();
    for (X509Certificate cert : c.chain()) {
      PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(cert);
      if (cert.equals(c.certificate())) {
        bag.addBagAttribute(PKCS12SafeBag.localKeyIdAttribute, keyId);
      }
      certBags.add(bag.build());
    }
    PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(c.privateKey(), tripleDes.build(password));
    keyBag.addBagAttribute(PKCS12SafeBag.localKeyIdAttribute, keyId);
    PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
    pfx.addEncryptedData(tripleDes.build(password), certBags.toArray(PKCS12SafeBag[]::new));
    pfx.addData(keyBag.build());
    return pfx.build(new BcPKCS12MacCalculatorBuilder(), password).getEncoded(ASN1Encoding.DER);
  }

  /** gpgsm names keys by the certificate's SHA-1 fingerprint. */
  private static String fingerprint(Credential c) throws Exception {
    return "0x" + HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(c.certificate().getEncoded()));
  }

  private static byte[] passphrase() {
    return (PASSWORD + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Path write(String name, byte[] content) throws Exception {
    return Files.write(dir.resolve(name), content);
  }

  /**
   * gpgsm --decrypt, judged by its status lines: gpgsm 2.2 tries the recipients in order, logs "No
   * secret key" for each one before its own and then exits with 2 even though it decrypted.
   */
  private static byte[] decrypt(Home reader, Path envelope) throws Exception {
    Path out = dir.resolve("gpgsm-decrypted-" + System.nanoTime() + ".txt");
    ExternalTool.Result r = reader.run(null, "--status-fd", "1", "--output", out.toString(), "--decrypt", envelope.toString());
    assertThat(r.out()).as(r.describe()).contains("[GNUPG:] DECRYPTION_OKAY").doesNotContain("DECRYPTION_FAILED");
    return Files.readAllBytes(out);
  }

  private static void assertGoodSignature(ExternalTool.Result r) {
    assertThat(r.out()).as(r.describe()).contains("[GNUPG:] GOODSIG").contains("[GNUPG:] VALIDSIG").contains("[GNUPG:] TRUST_FULLY");
  }

  /** The CMS structure inside an application/pkcs7-mime message, as gpgsm reads it. */
  private static byte[] cms(MimeMessage m) throws Exception {
    try (var in = m.getInputStream()) {
      return in.readAllBytes();
    }
  }

  /** A multipart/signed message split into the files gpgsm --verify takes: signature, then signed content. */
  record Detached(Path signature, Path content) {
    static Detached of(MimeMessage signed) throws Exception {
      MimeMultipart mp = (MimeMultipart) signed.getContent();
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      mp.getBodyPart(0).writeTo(content);
      byte[] signature;
      try (var in = mp.getBodyPart(1).getInputStream()) {
        signature = in.readAllBytes();
      }
      String id = Long.toString(System.nanoTime());
      return new Detached(write("sig-" + id + ".p7s", signature), write("content-" + id + ".txt", content.toByteArray()));
    }
  }

  /** Durand signs the entity with gpgsm; the detached signature and the entity become multipart/signed. */
  private static MimeMessage gpgsmSigned(byte[] entity) throws Exception {
    Path in = write("to-sign-" + System.nanoTime() + ".txt", entity);
    byte[] signature = durand.succeed("--local-user", fingerprint(rsa().person(DR_DURAND).signature()),
        "--detach-sign", in.toString()).stdout();
    MimeMultipart mp = new MimeMultipart("signed") {
      {
        ContentType ct = new ContentType(contentType);
        ct.setParameter("protocol", "application/pkcs7-signature");
        ct.setParameter("micalg", "sha-256");
        contentType = ct.toString();
      }
    };
    mp.addBodyPart(new MimeBodyPart(new ByteArrayInputStream(entity)));
    MimeBodyPart sig = new MimeBodyPart();
    sig.setDataHandler(new DataHandler(new ByteArrayDataSource(signature, "application/pkcs7-signature; name=smime.p7s")));
    sig.setHeader("Content-Transfer-Encoding", "base64");
    sig.setFileName("smime.p7s");
    mp.addBodyPart(sig);
    MimeMessage m = headers(new MimeMessage(session()));
    m.setContent(mp);
    m.saveChanges();
    return m;
  }

  /** gpgsm's CMS output as an S/MIME message. */
  private static MimeMessage envelope(byte[] der, String smimeType) throws Exception {
    MimeMessage m = headers(new MimeMessage(session()));
    m.setDataHandler(new DataHandler(new ByteArrayDataSource(der, "application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m")));
    m.setHeader("Content-Transfer-Encoding", "base64");
    m.saveChanges();
    return m;
  }

  private static MimeMessage headers(MimeMessage m) throws Exception {
    m.setFrom(new InternetAddress(DR_DURAND));
    m.setRecipients(MimeMessage.RecipientType.TO, DR_MARTIN);
    m.setSubject("Sortie d'hospitalisation", "UTF-8");
    return m;
  }
}
