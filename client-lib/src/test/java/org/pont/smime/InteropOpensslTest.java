package org.pont.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pont.smime.Fixtures.*;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.pont.certs.PkiFolder;
import org.pont.certs.TestPki;
import org.pont.certs.Usage;

/**
 * Interoperability with OpenSSL's {@code cms} command (an implementation that shares no code with
 * Bouncy Castle), both ways: what Pont signs and encrypts, openssl verifies (against the trust
 * anchor, with CRLs) and decrypts; what openssl signs and encrypts, Pont opens. The content each
 * side recovers is compared byte for byte with what the other sent.
 */
class InteropOpensslTest {
  private static final char[] PASSWORD = "interop-openssl-password".toCharArray();
  private static final String TEXT = "Patient sorti le 21/11. Rééducation : 3 séances par semaine.\r\n"
      + "À revoir dans 15 jours ; traitement inchangé.\r\n";

  @TempDir static Path dir;
  private static ExternalTool openssl;
  private static Path passwordFile;

  /** The two key families, each with its PKI written to files for openssl. */
  enum Keys {
    RSA, EC;

    private PkiFolder files;

    TestPki pki() {
      return this == RSA ? rsa() : ec();
    }

    PkiFolder files() {
      return files;
    }
  }

  @BeforeAll
  static void writeThePkiForOpenssl() throws Exception {
    openssl = ExternalTool.require("openssl", "version");
    for (Keys k : Keys.values()) {
      k.files = k.pki().writeTo(dir.resolve(k.name()), PASSWORD);
    }
    passwordFile = Files.writeString(dir.resolve("password.txt"), new String(PASSWORD));
    for (Keys k : Keys.values()) {
      // openssl cms (3.0) has no -CRLfile: the CRLs go into the -CAfile, which loads both.
      Files.writeString(trustWithCrls(k), Files.readString(k.files().trustAnchors()) + Files.readString(k.files().crls()));
    }
  }

  // ---------------------------------------------------------------- Pont -> openssl

  @ParameterizedTest
  @EnumSource(Keys.class)
  void opensslVerifiesWhatPontSignsAndRecoversTheSignedEntityByteForByte(Keys keys) throws Exception {
    MimeMessage signed = reparse(party(keys.pki(), DR_DURAND, EncryptionOptions.DEFAULT).sign(textMessage(DR_DURAND, DR_MARTIN, TEXT)));
    Path in = write("pont-signed-" + keys + ".eml", bytes(signed));

    byte[] recovered = verifyWithOpenssl(keys, in);

    java.io.ByteArrayOutputStream sentEntity = new java.io.ByteArrayOutputStream();
    ((MimeMultipart) signed.getContent()).getBodyPart(0).writeTo(sentEntity);
    assertThat(recovered).isEqualTo(sentEntity.toByteArray());
    assertThat((String) parse(recovered).getContent()).isEqualTo(TEXT);
  }

  static Stream<Arguments> pontCiphers() {
    return Stream.of(
        Arguments.of(Keys.RSA, EncryptionOptions.DEFAULT, "AES-256-GCM AuthEnvelopedData, RSA-OAEP"),
        Arguments.of(Keys.RSA, EncryptionOptions.LEGACY, "AES-256-CBC EnvelopedData, RSA PKCS#1 v1.5"),
        Arguments.of(Keys.EC, EncryptionOptions.DEFAULT, "AES-256-GCM AuthEnvelopedData, ECDH"),
        Arguments.of(Keys.EC, EncryptionOptions.LEGACY, "AES-256-CBC EnvelopedData, ECDH"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("pontCiphers")
  void opensslDecryptsAndVerifiesWhatPontSignsThenEncrypts(Keys keys, EncryptionOptions options, String what) throws Exception {
    MimeMessage original = textMessage(DR_DURAND, DR_MARTIN, TEXT);
    MimeMessage sent = reparse(party(keys.pki(), DR_DURAND, options)
        .signAndEncrypt(original, List.of(keys.pki().person(DR_MARTIN).encryption().certificate())));
    assertThat(sent.getContentType())
        .contains(options.cipher() == ContentCipher.AES_256_GCM ? "authEnveloped-data" : "enveloped-data");
    Path in = write("pont-encrypted-" + keys + "-" + options.cipher() + ".eml", bytes(sent));

    Path signedEntity = decryptWithOpenssl(keys, DR_MARTIN, in);
    byte[] recovered = verifyWithOpenssl(keys, signedEntity);

    assertThat(recovered).as(what).isEqualTo(entityBytes(original));
    assertThat((String) parse(recovered).getContent()).isEqualTo(TEXT);
  }

  @Test
  void opensslDecryptsPontsOneEnvelopeWithTheKeyOfEachRecipientAndOfTheSender() throws Exception {
    MimeMessage original = withAttachment(DR_DURAND, DR_MARTIN, 50_000);
    MimeMessage sent = reparse(party(rsa(), DR_DURAND, EncryptionOptions.DEFAULT).signAndEncrypt(original,
        List.of(rsa().person(DR_MARTIN).encryption().certificate(), rsa().person(NURSE).encryption().certificate())));
    Path in = write("pont-several-recipients.eml", bytes(sent));

    for (String reader : List.of(DR_MARTIN, NURSE, DR_DURAND)) {
      byte[] recovered = verifyWithOpenssl(Keys.RSA, decryptWithOpenssl(Keys.RSA, reader, in));
      assertThat(recovered).as(reader).isEqualTo(entityBytes(original));
    }
  }

  // ---------------------------------------------------------------- openssl -> Pont

  @ParameterizedTest
  @EnumSource(Keys.class)
  void pontVerifiesWhatOpensslSignsAndRecoversTheSignedEntityByteForByte(Keys keys) throws Exception {
    byte[] entity = entityBytes(textMessage(DR_DURAND, DR_MARTIN, TEXT));
    Path in = write("entity-" + keys + ".txt", entity);
    Path out = dir.resolve("openssl-signed-" + keys + ".eml");

    openssl.succeed(sign(keys, in, out, "-from", DR_DURAND, "-to", DR_MARTIN, "-subject", "Sortie d'hospitalisation"));
    OpenedMessage opened = party(keys.pki(), DR_MARTIN, EncryptionOptions.DEFAULT).open(parse(Files.readAllBytes(out)));

    assertThat(opened.wasEncrypted()).isFalse();
    assertThat(opened.signature().reason()).as(opened.signature().message()).isEqualTo(VerdictReason.VALID);
    assertThat(opened.signature().signerAddress()).contains(DR_DURAND);
    assertSameEntity(opened.content(), entity);
  }

  static Stream<Arguments> opensslCiphers() {
    return Stream.of(
        Arguments.of(Keys.RSA, List.of("-aes-256-gcm", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256",
            "-keyopt", "rsa_mgf1_md:sha256"), "AES-256-GCM AuthEnvelopedData, RSA-OAEP-SHA256"),
        Arguments.of(Keys.RSA, List.of("-aes-256-cbc"), "AES-256-CBC EnvelopedData, RSA PKCS#1 v1.5"),
        Arguments.of(Keys.EC, List.of("-aes-256-gcm"), "AES-256-GCM AuthEnvelopedData, ECDH (openssl's default KDF)"),
        Arguments.of(Keys.EC, List.of("-aes-256-cbc", "-keyopt", "ecdh_kdf_md:sha256"), "AES-256-CBC EnvelopedData, ECDH SHA-256 KDF"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("opensslCiphers")
  void pontDecryptsAndVerifiesWhatOpensslSignsThenEncrypts(Keys keys, List<String> cipher, String what) throws Exception {
    byte[] entity = entityBytes(textMessage(DR_DURAND, DR_MARTIN, TEXT));
    Path in = write("entity-" + keys + "-" + what.hashCode() + ".txt", entity);
    Path signed = dir.resolve("openssl-signed-" + keys + "-" + what.hashCode() + ".txt");
    Path encrypted = dir.resolve("openssl-encrypted-" + keys + "-" + what.hashCode() + ".eml");
    openssl.succeed(sign(keys, in, signed));

    openssl.succeed(encrypt(cipher, signed, encrypted, keys.files().personCertificate(DR_MARTIN, Usage.ENCRYPTION)));
    OpenedMessage opened = party(keys.pki(), DR_MARTIN, EncryptionOptions.DEFAULT).open(parse(Files.readAllBytes(encrypted)));

    assertThat(opened.wasEncrypted()).as(what).isTrue();
    assertThat(opened.signature().reason()).as(opened.signature().message()).isEqualTo(VerdictReason.VALID);
    assertThat(opened.signature().signerAddress()).contains(DR_DURAND);
    assertSameEntity(opened.content(), entity);
  }

  @Test
  void pontOpensOpensslsOneEnvelopeForSeveralRecipientsWithEachRecipientsKey() throws Exception {
    byte[] entity = entityBytes(withAttachment(DR_DURAND, DR_MARTIN, 50_000));
    Path in = write("entity-attachment.txt", entity);
    Path signed = dir.resolve("openssl-signed-attachment.txt");
    Path encrypted = dir.resolve("openssl-several-recipients.eml");
    openssl.succeed(sign(Keys.RSA, in, signed));

    openssl.succeed(encrypt(List.of("-aes-256-gcm"), signed, encrypted,
        Keys.RSA.files().personCertificate(DR_MARTIN, Usage.ENCRYPTION), Keys.RSA.files().personCertificate(NURSE, Usage.ENCRYPTION)));

    for (String reader : List.of(DR_MARTIN, NURSE)) {
      OpenedMessage opened = party(rsa(), reader, EncryptionOptions.DEFAULT).open(parse(Files.readAllBytes(encrypted)));
      assertThat(opened.signature().reason()).as(reader + ": " + opened.signature().message()).isEqualTo(VerdictReason.VALID);
      assertSameEntity(opened.content(), entity);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static SecureMessaging party(TestPki pki, String address, EncryptionOptions options) {
    return SecureMessaging.builder()
        .signingKey(key(pki.person(address).signature()))
        .decryptionKey(key(pki.person(address).encryption()))
        .trust(trust(pki))
        .encryption(options)
        .build();
  }

  /** What Pont puts under a signature or in an envelope: the message's content entity. */
  static byte[] entityBytes(MimeMessage message) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    MimeSupport.contentEntity(message, true).writeTo(out);
    return out.toByteArray();
  }

  /** The recovered content has the sent entity's Content-Type and exactly its (encoded) body bytes. */
  static void assertSameEntity(MimeMessage recovered, byte[] sentEntity) throws Exception {
    MimeMessage sent = parse(sentEntity);
    assertThat(recovered.getContentType()).isEqualTo(sent.getContentType());
    assertThat(recovered.getEncoding()).isEqualTo(sent.getEncoding());
    try (var a = recovered.getRawInputStream(); var b = sent.getRawInputStream()) {
      assertThat(a.readAllBytes()).isEqualTo(b.readAllBytes());
    }
  }

  private static Path trustWithCrls(Keys keys) {
    return dir.resolve(keys + "-trust-anchors-and-crls.pem");
  }

  private static Path write(String name, byte[] content) throws Exception {
    return Files.write(dir.resolve(name), content);
  }

  /** openssl cms -verify against the PKI's trust anchor and CRLs; returns the signed entity it recovered. */
  private static byte[] verifyWithOpenssl(Keys keys, Path in) throws Exception {
    Path out = Files.createTempFile(dir, "openssl-recovered-", ".txt");
    ExternalTool.Result r = openssl.succeed("cms", "-verify", "-in", in.toString(),
        "-CAfile", trustWithCrls(keys).toString(), "-crl_check_all",
        "-purpose", "smimesign", "-out", out.toString());
    assertThat(r.stderr()).as(r.describe()).contains("Verification successful");
    return Files.readAllBytes(out);
  }

  private static Path decryptWithOpenssl(Keys keys, String reader, Path in) throws Exception {
    Path out = Files.createTempFile(dir, "openssl-decrypted-", ".txt");
    Path cert = keys.files().personCertificate(reader, Usage.ENCRYPTION);
    openssl.succeed("cms", "-decrypt", "-in", in.toString(), "-recip", cert.toString(),
        "-inkey", cert.resolveSibling("encryption.key.pem").toString(), "-passin", "file:" + passwordFile,
        "-out", out.toString());
    return out;
  }

  private static String[] sign(Keys keys, Path in, Path out, String... headers) {
    Path cert = keys.files().personCertificate(DR_DURAND, Usage.SIGNATURE);
    List<String> args = new java.util.ArrayList<>(List.of("cms", "-sign", "-binary", "-md", "sha256", "-in", in.toString(),
        "-signer", cert.toString(), "-inkey", cert.resolveSibling("signature.key.pem").toString(),
        "-passin", "file:" + passwordFile, "-certfile", keys.files().chain().toString(), "-out", out.toString()));
    args.addAll(List.of(headers));
    return args.toArray(String[]::new);
  }

  private static String[] encrypt(List<String> cipher, Path in, Path out, Path... recipients) {
    List<String> args = new java.util.ArrayList<>(List.of("cms", "-encrypt", "-in", in.toString(), "-out", out.toString(),
        "-from", DR_DURAND, "-to", DR_MARTIN, "-subject", "Sortie d'hospitalisation"));
    args.add(cipher.get(0));
    for (Path r : recipients) {
      args.add("-recip");
      args.add(r.toString());
      args.addAll(cipher.subList(1, cipher.size())); // each -keyopt applies to the -recip before it
    }
    return args.toArray(String[]::new);
  }
}
