package org.pont.smime;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.pont.certs.Credential;
import org.pont.certs.KeyAlgorithm;
import org.pont.certs.TestPki;

/** One test PKI per JVM (key generation is the slow part) and message helpers. */
final class Fixtures {
  static final String HOSPITAL = "hopital.test";
  static final String CLINIC = "cabinet.test";
  static final String DR_MARTIN = "dr.martin@cabinet.test";
  static final String DR_DURAND = "dr.durand@hopital.test";
  static final String NURSE = "infirmier.leroy@cabinet.test";

  private static TestPki rsa;
  private static TestPki ec;
  private static TestPki stranger;

  private Fixtures() {}

  static synchronized TestPki rsa() {
    if (rsa == null) {
      rsa = TestPki.builder().domain(HOSPITAL).domain(CLINIC).person(DR_MARTIN).person(DR_DURAND).person(NURSE).build();
    }
    return rsa;
  }

  static synchronized TestPki ec() {
    if (ec == null) {
      ec = TestPki.builder().keyAlgorithm(KeyAlgorithm.EC_P256).domain(HOSPITAL).person(DR_MARTIN).person(DR_DURAND).build();
    }
    return ec;
  }

  /** A second, unrelated PKI with the same names: nothing it issues is trusted by {@link #rsa()}. */
  static synchronized TestPki stranger() {
    if (stranger == null) {
      stranger = TestPki.builder().domain(HOSPITAL).person(DR_DURAND).build();
    }
    return stranger;
  }

  static KeyCredential key(Credential c) {
    return KeyCredential.of(c.privateKey(), c.certificate(), c.chain());
  }

  static TrustAnchors trust(TestPki pki) {
    return TrustAnchors.of(pki.trustAnchors(), pki.intermediates(), pki.crls());
  }

  static Session session() {
    return Session.getInstance(new Properties());
  }

  /** A plain text message with non-ASCII text (French accents), as practice software sends. */
  static MimeMessage textMessage(String from, String to, String text) throws Exception {
    MimeMessage m = new MimeMessage(session());
    m.setFrom(new InternetAddress(from));
    m.setRecipients(MimeMessage.RecipientType.TO, to);
    m.setSubject("Sortie d'hospitalisation", "UTF-8");
    m.setText(text, "UTF-8");
    m.setHeader("Message-ID", "<test-" + System.nanoTime() + "@" + from.substring(from.indexOf('@') + 1) + ">");
    m.saveChanges();
    return m;
  }

  /** A message with a text part and a binary attachment of the given size. */
  static MimeMessage withAttachment(String from, String to, int size) throws Exception {
    MimeMessage m = new MimeMessage(session());
    m.setFrom(new InternetAddress(from));
    m.setRecipients(MimeMessage.RecipientType.TO, to);
    m.setSubject("Compte rendu");
    MimeMultipart mp = new MimeMultipart();
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Veuillez trouver ci-joint le compte rendu.", "UTF-8");
    mp.addBodyPart(text);
    MimeBodyPart file = new MimeBodyPart();
    byte[] data = new byte[size];
    new java.util.Random(42).nextBytes(data);
    file.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(data, "application/pdf")));
    file.setFileName("cr.pdf");
    mp.addBodyPart(file);
    m.setContent(mp);
    m.saveChanges();
    return m;
  }

  static byte[] bytes(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toByteArray();
  }

  /** What a receiver gets: the message written to the wire and parsed again. */
  static MimeMessage reparse(MimeMessage m) throws Exception {
    return new MimeMessage(session(), new ByteArrayInputStream(bytes(m)));
  }

  static MimeMessage parse(String raw) throws Exception {
    return new MimeMessage(session(), new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
  }

  static MimeMessage parse(byte[] raw) throws Exception {
    return new MimeMessage(session(), new ByteArrayInputStream(raw));
  }
}
