package org.pont.gateway.mailet;

import jakarta.mail.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.james.core.Domain;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMailContext;
import org.pont.cda.Author;
import org.pont.cda.CdaCode;
import org.pont.cda.CdaHeader;
import org.pont.cda.DischargeLetter;
import org.pont.cda.DocumentStatus;
import org.pont.cda.InstanceId;
import org.pont.cda.Organization;
import org.pont.cda.PersonName;
import org.pont.cda.TimeRange;
import org.pont.certs.Credential;
import org.pont.certs.TestPki;
import org.pont.message.ClinicalDocument;
import org.pont.message.CoordinationMessage;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.message.Patient;
import org.pont.message.Sex;
import org.pont.mssante.MssanteMessageWriter;
import org.pont.smime.KeyCredential;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;

/**
 * Shared material for the policy tests: one test PKI (the gateway's domain hopital.test, a trusted
 * peer cabinet.test, a person of the peer), S/MIME toolkits for both sides, and MSSanté messages.
 */
final class PolicyFixtures {
  static final String OWN = "hopital.test";
  static final String PEER = "cabinet.test";
  static final String PEER_SENDER = "kine.martin@cabinet.test";
  static final String LOCAL_USER = "secretariat@hopital.test";
  static final Patient PATIENT = new Patient(Ins.of("279035121518989", InsKind.INS_NIR_TEST), "Pat-Trois",
      List.of("Dominique"), LocalDate.of(1979, 3, 28), Sex.FEMALE);
  private static final Organization HOSPITAL = Organization.finess("750803447", "Cabinet de test");
  private static final Author AUTHOR = Author.of(InstanceId.rpps("01234567897"), PersonName.of("M", "Charles", "DAVID", "DR"),
      Author.specialty("G15_10/SM27", "Médecin - Médecine interne (SM)"), HOSPITAL);
  private static final OffsetDateTime WHEN = OffsetDateTime.parse("2026-11-03T13:30:00+01:00");

  private static TestPki pki;

  private PolicyFixtures() {}

  static synchronized TestPki pki() {
    if (pki == null) {
      pki = TestPki.builder().domain(OWN).domain(PEER).person(PEER_SENDER).build();
    }
    return pki;
  }

  static TrustAnchors trust() {
    return TrustAnchors.of(pki().trustAnchors(), pki().intermediates(), pki().crls());
  }

  static KeyCredential key(Credential c) {
    return KeyCredential.of(c.privateKey(), c.certificate(), c.chain());
  }

  /** What the gateway of hopital.test holds. */
  static PolicyCrypto gateway() {
    return new PolicyCrypto(SecureMessaging.builder()
        .signingKey(key(pki().organisation(OWN).signature()))
        .decryptionKey(key(pki().organisation(OWN).encryption()))
        .trust(trust())
        .build());
  }

  /** What the peer operator cabinet.test holds. */
  static SecureMessaging peer() {
    return SecureMessaging.builder()
        .signingKey(key(pki().organisation(PEER).signature()))
        .decryptionKey(key(pki().organisation(PEER).encryption()))
        .trust(trust())
        .build();
  }

  /** A person of the peer signing end to end with a personal certificate. */
  static SecureMessaging peerPerson() {
    return SecureMessaging.builder()
        .signingKey(key(pki().person(PEER_SENDER).signature()))
        .trust(trust())
        .build();
  }

  static java.security.cert.X509Certificate ownEncryptionCertificate() {
    return pki().organisation(OWN).encryption().certificate();
  }

  static java.security.cert.X509Certificate peerEncryptionCertificate() {
    return pki().organisation(PEER).encryption().certificate();
  }

  static Session session() {
    return Session.getInstance(new Properties());
  }

  /** An MSSanté discharge letter (XDM + CDA, one patient with INS), in clear. */
  static jakarta.mail.internet.MimeMessage dischargeLetter(String from, String to) throws Exception {
    CdaHeader header = CdaHeader.builder(DocumentType.DISCHARGE_LETTER).effectiveTime(WHEN).patient(PATIENT).author(AUTHOR)
        .custodian(HOSPITAL).healthcareFacilityType(CdaCode.FACILITY_PUBLIC_HOSPITAL).practiceSetting(CdaCode.PRACTICE_HOSPITAL)
        .careperiod(TimeRange.of(WHEN.minusDays(5), WHEN)).build();
    byte[] xml = DischargeLetter.builder(header).status(DocumentStatus.DONE)
        .admissionMode(org.pont.cda.AdmissionMode.PLANNED).dischargeMode(org.pont.cda.DischargeMode.HOME)
        .reasonForStay("Prothèse totale de genou droit").staySummary("Suites simples.")
        .dischargeMedications("PARACETAMOL 1 g si douleur")
        .build().toXml();
    CoordinationMessage m = CoordinationMessage.builder().from(from).to(to).subject("lettre").body("Lettre de liaison ci-jointe.")
        .patient(PATIENT)
        .document(new ClinicalDocument(DocumentType.DISCHARGE_LETTER, "Lettre de liaison", ClinicalDocument.CDA_MEDIA_TYPE, "doc.xml", xml))
        .build();
    return MssanteMessageWriter.of("Pont-tests/1.0", "1.2.250.1.999.1").write(m, session());
  }

  /** A plain text message, in clear. */
  static jakarta.mail.internet.MimeMessage text(String from, String to, String body) throws Exception {
    jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(session());
    m.setFrom(new jakarta.mail.internet.InternetAddress(from));
    m.setRecipients(jakarta.mail.Message.RecipientType.TO, to);
    m.setSubject("test");
    m.setText(body, "UTF-8");
    m.saveChanges();
    return m;
  }

  static byte[] bytes(jakarta.mail.internet.MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toByteArray();
  }

  static byte[] bytes(javax.mail.internet.MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toByteArray();
  }

  static javax.mail.internet.MimeMessage javax(byte[] raw) throws Exception {
    return new javax.mail.internet.MimeMessage(javax.mail.Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
  }

  static javax.mail.internet.MimeMessage javax(jakarta.mail.internet.MimeMessage m) throws Exception {
    return javax(bytes(m));
  }

  static jakarta.mail.internet.MimeMessage jakarta(javax.mail.internet.MimeMessage m) throws Exception {
    return new jakarta.mail.internet.MimeMessage(session(), new ByteArrayInputStream(bytes(m)));
  }

  /** James's fake context, except that the given domains are local. */
  static MailetContext context(FakeMailContext fake, Set<String> localDomains) {
    return (MailetContext) Proxy.newProxyInstance(PolicyFixtures.class.getClassLoader(), new Class<?>[] {MailetContext.class},
        (proxy, method, args) -> {
          if (method.getName().equals("isLocalServer") && args != null && args.length == 1 && args[0] instanceof Domain d) {
            return localDomains.contains(d.asString());
          }
          try {
            return method.invoke(fake, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
