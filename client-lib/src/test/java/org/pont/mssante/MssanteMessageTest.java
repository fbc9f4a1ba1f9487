package org.pont.mssante;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pont.cda.Author;
import org.pont.cda.CdaBody;
import org.pont.cda.CdaCode;
import org.pont.cda.CdaHeader;
import org.pont.cda.CdaReader;
import org.pont.cda.DischargeLetter;
import org.pont.cda.DocumentStatus;
import org.pont.cda.InstanceId;
import org.pont.cda.Level1Document;
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
import org.pont.smime.KeyCredential;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;
import org.pont.smime.VerdictReason;
import org.pont.xdm.PatientId;
import org.pont.xdm.SubmissionSet;
import org.pont.xdm.XdmWriter;

/** Build → pack → sign/encrypt → read back equals input, and each way a received message is refused. */
class MssanteMessageTest {
  static final String DOCTOR = "dr.durand@hopital.test";
  static final String PHYSIO = "kine.martin@cabinet.test";
  static final Patient PATIENT = new Patient(Ins.of("279035121518989", InsKind.INS_NIR_TEST), "Pat-Trois",
      List.of("Dominique", "Marie-Louise"), LocalDate.of(1979, 3, 28), Sex.FEMALE);
  static final Patient OTHER = new Patient(Ins.of("1840375114007" + key("1840375114007"), InsKind.INS_NIR_TEST), "Autre",
      List.of("Jean"), LocalDate.of(1984, 3, 1), Sex.MALE);
  static final Organization HOSPITAL = Organization.finess("750803447", "Hôpital Européen Georges Pompidou");
  static final Author AUTHOR = Author.of(InstanceId.rpps("01234567897"), PersonName.of("M", "Charles", "DAVID", "DR"),
      Author.specialty("G15_10/SM27", "Médecin - Médecine interne (SM)"), HOSPITAL);
  static final OffsetDateTime DISCHARGED = OffsetDateTime.parse("2026-11-03T13:30:00+01:00");

  static TestPki pki;
  static byte[] pdf;
  final MssanteMessageWriter writer = MssanteMessageWriter.of("Pont-tests/1.0", "1.2.250.1.999.1")
      .withClock(Clock.fixed(Instant.parse("2026-11-03T14:00:00Z"), ZoneOffset.UTC));
  final MssanteMessageReader reader = MssanteMessageReader.withDefaults();

  @BeforeAll
  static void setUp() throws Exception {
    pki = TestPki.builder().domain("hopital.test").domain("cabinet.test").person(DOCTOR).person(PHYSIO).build();
    Path sample = Path.of(System.getProperty("pont.testdata"), "cda", "DOC_NON_STRUCTURE_CDA-R2-N1.xml");
    pdf = ((CdaBody.NonXmlBody) new CdaReader().read(Files.readAllBytes(sample)).body()).content();
  }

  static String key(String matricule) {
    return String.format("%02d", 97 - new java.math.BigInteger(matricule).mod(java.math.BigInteger.valueOf(97)).intValue());
  }

  static CdaHeader header(DocumentType type, Patient patient) {
    return CdaHeader.builder(type).effectiveTime(DISCHARGED).patient(patient).author(AUTHOR).custodian(HOSPITAL)
        .healthcareFacilityType(CdaCode.FACILITY_PUBLIC_HOSPITAL).practiceSetting(CdaCode.PRACTICE_HOSPITAL)
        .careperiod(TimeRange.of(DISCHARGED.minusDays(5), DISCHARGED)).build();
  }

  static byte[] dischargeLetter(Patient patient) {
    return DischargeLetter.builder(header(DocumentType.DISCHARGE_LETTER, patient)).status(DocumentStatus.DONE)
        .admissionMode(org.pont.cda.AdmissionMode.PLANNED).dischargeMode(org.pont.cda.DischargeMode.HOME)
        .reasonForStay("Prothèse totale de genou droit")
        .staySummary("Suites simples. Rééducation à poursuivre en ville.")
        .dischargeMedications("PARACETAMOL 1 g si douleur")
        .build().toXml();
  }

  static byte[] physioPrescription(Patient patient) throws Exception {
    return Level1Document.pdf(header(DocumentType.PHYSIOTHERAPY_PRESCRIPTION, patient), pdf).toXml();
  }

  static ClinicalDocument cda(DocumentType type, byte[] xml) {
    return new ClinicalDocument(type, type.label(), ClinicalDocument.CDA_MEDIA_TYPE, "doc.xml", xml);
  }

  static Session session() {
    return Session.getInstance(new Properties());
  }

  static MimeMessage reparse(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return new MimeMessage(session(), new ByteArrayInputStream(out.toByteArray()));
  }

  static KeyCredential key(Credential c) {
    return KeyCredential.of(c.privateKey(), c.certificate(), c.chain());
  }

  CoordinationMessage discharge() {
    return CoordinationMessage.builder().from(DOCTOR).to(PHYSIO).subject("ignored when an XDM is attached")
        .body("Bonjour,\nMme Pat-Trois sort ce jour ; rééducation à domicile.\n").patient(PATIENT)
        .document(cda(DocumentType.DISCHARGE_LETTER, dischargeLetter(PATIENT)))
        .document(new ClinicalDocument(DocumentType.DISCHARGE_LETTER, "Lettre de liaison", ClinicalDocument.PDF_MEDIA_TYPE, "lettre.pdf", pdf))
        .build();
  }

  @Test
  void aDischargeLetterSignedAndEncryptedReadsBackAsItWasSent() throws Exception {
    CoordinationMessage sent = discharge();
    SecureMessaging hospital = SecureMessaging.builder().signingKey(key(pki.organisation("hopital.test").signature()))
        .trust(TrustAnchors.of(pki.trustAnchors(), pki.intermediates(), pki.crls())).build();
    SecureMessaging physio = SecureMessaging.builder().decryptionKey(key(pki.person(PHYSIO).encryption()))
        .trust(TrustAnchors.of(pki.trustAnchors(), pki.intermediates(), pki.crls())).build();

    MimeMessage wire = reparse(hospital.signAndEncrypt(writer.write(sent, session()), List.of(pki.person(PHYSIO).encryption().certificate())));
    OpenedMessage opened = physio.open(wire);
    ReceivedMessage received = reader.read(opened.content());

    assertThat(opened.wasEncrypted()).isTrue();
    assertThat(opened.signature().reason()).isEqualTo(VerdictReason.VALID);
    CoordinationMessage got = received.message();
    assertThat(got.sender()).isEqualTo(sent.sender());
    assertThat(got.recipients()).isEqualTo(sent.recipients());
    assertThat(got.body()).isEqualTo(sent.body());
    Patient p = got.patient().orElseThrow();
    assertThat(p.ins()).isEqualTo(PATIENT.ins());
    assertThat(p.familyName()).isEqualToIgnoringCase(PATIENT.familyName());
    assertThat(p.givenNames()).containsExactlyElementsOf(PATIENT.givenNames());
    assertThat(p.birthDate()).isEqualTo(PATIENT.birthDate());
    assertThat(p.sex()).isEqualTo(PATIENT.sex());
    assertThat(got.documents()).hasSize(2);
    assertThat(got.documents().get(0).content()).isEqualTo(sent.documents().get(0).content());
    assertThat(got.documents().get(0).type()).isEqualTo(DocumentType.DISCHARGE_LETTER);
    assertThat(got.documents().get(1).content()).isEqualTo(pdf);
    assertThat(got.documents().get(1).mediaType()).isEqualTo("application/pdf");
    assertThat(received.declaredCdaCodes()).containsExactly("11490-0");
    assertThat(received.softwareId()).contains("Pont-tests/1.0");
    assertThat(received.warnings()).isEmpty();
    assertThat(received.displaySubject()).isEqualTo("Lettre de liaison à la sortie d'un établissement de soins PAT-TROIS Dominique 28/03/1979");
  }

  @Test
  void theMessageFollowsTheMssanteConventions() throws Exception {
    MimeMessage m = reparse(writer.write(discharge(), session()));

    assertThat(m.getSubject()).isEqualTo("XDM/1.0/DDM+Lettre de liaison à la sortie d'un établissement de soins PAT-TROIS Dominique 28/03/1979");
    assertThat(m.getHeader(MssanteHeaders.CODE_CDA)).containsExactly("11490-0");
    assertThat(m.getHeader(MssanteHeaders.INS)).containsExactly("true");
    assertThat(m.getHeader(MssanteHeaders.SOFTWARE)).containsExactly("Pont-tests/1.0");
    MimeMultipart parts = (MimeMultipart) m.getContent();
    assertThat(parts.getCount()).isEqualTo(3);
    assertThat(((MimeBodyPart) parts.getBodyPart(1)).getFileName()).isEqualTo("IHE_XDM.ZIP");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("application/zip");
    // The INS never shows in clear headers: only that there is one.
    java.util.Enumeration<jakarta.mail.Header> headers = m.getAllHeaders();
    while (headers.hasMoreElements()) {
      assertThat(headers.nextElement().getValue()).doesNotContain(PATIENT.ins().value());
    }
  }

  @Test
  void theXdmMetadataComesFromTheCdaHeader() throws Exception {
    ReceivedMessage r = reader.read(reparse(writer.write(discharge(), session())));
    var entry = r.xdm().orElseThrow().entries().get(0);

    assertThat(entry.patientId()).contains(PatientId.ofIns(PATIENT.ins()));
    assertThat(entry.typeCode().orElseThrow().code()).isEqualTo("11490-0");
    assertThat(entry.classCode().orElseThrow().code()).isEqualTo("11");
    assertThat(entry.classCode().orElseThrow().scheme()).isEqualTo(XdmPackager.CLASS_CODE_SYSTEM);
    assertThat(entry.creationTime()).contains(DISCHARGED.toInstant());
    assertThat(entry.sourcePatientInfo()).contains("PID-7|19790328", "PID-8|F");
    assertThat(entry.hash()).isPresent();
    assertThat(r.xdm().orElseThrow().submissionSet().intendedRecipients()).anyMatch(s -> s.endsWith(PHYSIO));
  }

  @Test
  void aLevel1PrescriptionCarriesItsPdfAsTheReadableCopy() throws Exception {
    CoordinationMessage m = CoordinationMessage.builder().from(DOCTOR).to(PHYSIO).body("Prescription de rééducation.")
        .patient(PATIENT).document(cda(DocumentType.PHYSIOTHERAPY_PRESCRIPTION, physioPrescription(PATIENT))).build();

    ReceivedMessage r = reader.read(reparse(writer.write(m, session())));

    assertThat(r.message().documents()).extracting(ClinicalDocument::mediaType).containsExactly("text/xml", "application/pdf");
    assertThat(r.message().documents().get(1).content()).isEqualTo(pdf);
    assertThat(r.declaredCdaCodes()).containsExactly("PRESC-KINE");
    assertThat(r.displaySubject()).startsWith("Prescription d'actes de kinésithérapie PAT-TROIS");
  }

  @Test
  void documentsAboutAnotherPatientThanTheMessageAreRefused() {
    CoordinationMessage m = CoordinationMessage.builder().from(DOCTOR).to(PHYSIO).patient(PATIENT)
        .document(cda(DocumentType.DISCHARGE_LETTER, dischargeLetter(OTHER))).build();

    assertThatThrownBy(() -> writer.write(m, session())).isInstanceOfSatisfying(MssanteException.class,
        e -> assertThat(e.reason()).isEqualTo(MssanteException.Reason.PATIENT_MISMATCH));
  }

  @Test
  void twoPatientsInOneMessageAreRefusedWhenSending() {
    CoordinationMessage m = CoordinationMessage.builder().from(DOCTOR).to(PHYSIO).patient(PATIENT)
        .document(cda(DocumentType.DISCHARGE_LETTER, dischargeLetter(PATIENT)))
        .document(cda(DocumentType.DISCHARGE_LETTER, dischargeLetter(OTHER))).build();

    assertThatThrownBy(() -> writer.write(m, session())).isInstanceOfSatisfying(MssanteException.class,
        e -> assertThat(e.reason()).isEqualTo(MssanteException.Reason.SEVERAL_PATIENTS));
  }

  @Test
  void anXdmWhoseMetadataNamesAnotherPatientIsRefusedWhenReceiving() throws Exception {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    SubmissionSet set = SubmissionSet.builder().sourceId("1.2.3").submissionTime(Instant.now()).patientId(PatientId.ofIns(OTHER.ins())).build();
    org.pont.xdm.Code code = org.pont.xdm.Code.of("x", "1.2.3");
    XdmWriter.of(set).add(org.pont.xdm.DocumentEntry.builder().mimeType("text/xml").patientId(PatientId.ofIns(OTHER.ins()))
            .classCode(code).typeCode(org.pont.xdm.Code.of("11490-0", DocumentType.LOINC)).formatCode(code).confidentialityCode(code)
            .creationTime(Instant.now()).healthcareFacilityTypeCode(code).practiceSettingCode(code).languageCode("fr-FR").build(),
        org.pont.xdm.DocumentSource.of(dischargeLetter(PATIENT))).writeTo(zip);

    assertThatThrownBy(() -> reader.read(withZip(zip.toByteArray(), "IHE_XDM.ZIP")))
        .isInstanceOfSatisfying(MssanteException.class, e -> assertThat(e.reason()).isEqualTo(MssanteException.Reason.SEVERAL_PATIENTS));
  }

  @Test
  void twoXdmPackagesInOneMessageAreRefused() throws Exception {
    MimeMessage m = writer.write(discharge(), session());
    MimeMultipart mp = (MimeMultipart) m.getContent();
    MimeBodyPart second = new MimeBodyPart();
    second.setContent(((MimeBodyPart) mp.getBodyPart(1)).getInputStream().readAllBytes(), "application/zip");
    second.setFileName("IHE_XDM.ZIP");
    mp.addBodyPart(second);
    m.saveChanges();

    assertThatThrownBy(() -> reader.read(reparse(m))).isInstanceOfSatisfying(MssanteException.class,
        e -> assertThat(e.reason()).isEqualTo(MssanteException.Reason.SEVERAL_PATIENTS));
  }

  @Test
  void aZipBombAttachedAsXdmIsRefusedWithTheXdmReason() throws Exception {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("IHE_XDM/SUBSET01/DOC0001.XML"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        z.write(zeros);
      }
      z.closeEntry();
    }

    assertThatThrownBy(() -> reader.read(withZip(zip.toByteArray(), "IHE_XDM.ZIP")))
        .isInstanceOfSatisfying(MssanteException.class, e -> {
          assertThat(e.reason()).isEqualTo(MssanteException.Reason.INVALID_XDM);
          assertThat(e.getMessage()).contains("ZIP_BOMB");
        });
  }

  @Test
  void aMessageWithoutXdmIsAPlainCoordinationMessage() throws Exception {
    Path sample = Path.of(System.getProperty("pont.testdata"), "mail", "direct-MessageWithAttachment.txt");
    MimeMessage m = new MimeMessage(session(), Files.newInputStream(sample));

    ReceivedMessage r = reader.read(m);

    assertThat(r.message().patient()).isEmpty();
    assertThat(r.cdaDocuments()).isEmpty();
    assertThat(r.xdm()).isEmpty();
    assertThat(r.message().sender().address()).contains("@");
  }

  @Test
  void aMessageWithNoSenderIsMalformed() throws Exception {
    MimeMessage m = new MimeMessage(session(), new ByteArrayInputStream("Subject: x\r\nTo: a@b.test\r\n\r\nhello\r\n".getBytes()));

    assertThatThrownBy(() -> reader.read(m)).isInstanceOfSatisfying(MssanteException.class,
        e -> assertThat(e.reason()).isEqualTo(MssanteException.Reason.MALFORMED_MIME));
  }

  private MimeMessage withZip(byte[] zip, String name) throws Exception {
    MimeMessage m = new MimeMessage(session());
    m.setFrom(DOCTOR);
    m.setRecipients(MimeMessage.RecipientType.TO, PHYSIO);
    m.setSubject("XDM/1.0/DDM+test");
    MimeMultipart mp = new MimeMultipart();
    MimeBodyPart text = new MimeBodyPart();
    text.setText("x", "UTF-8");
    mp.addBodyPart(text);
    MimeBodyPart att = new MimeBodyPart();
    att.setContent(zip, "application/zip");
    att.setFileName(name);
    mp.addBodyPart(att);
    m.setContent(mp);
    m.saveChanges();
    return reparse(m);
  }
}
