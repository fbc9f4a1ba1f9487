package org.pont.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pont.cda.AdmissionMode;
import org.pont.cda.Author;
import org.pont.cda.CdaCode;
import org.pont.cda.CdaHeader;
import org.pont.cda.DischargeLetter;
import org.pont.cda.DischargeMode;
import org.pont.cda.DocumentStatus;
import org.pont.cda.InstanceId;
import org.pont.cda.Level1Document;
import org.pont.cda.Organization;
import org.pont.cda.PersonName;
import org.pont.cda.TimeRange;
import org.pont.client.PontClient;
import org.pont.index.SearchHit;
import org.pont.index.SearchQuery;
import org.pont.message.ClinicalDocument;
import org.pont.message.CoordinationMessage;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.message.Patient;
import org.pont.message.Sex;
import org.pont.mssante.MssanteMessageWriter;
import org.pont.transport.SyncResult;

/** A discharge letter (level-3 CDA) and a prescription (level-1 CDA, PDF) sent, synced, and found by what only the CDA says. */
class MssanteIndexingTest {
  static final String KINE = "kine.leroy@cabinet.test";
  static final String HOSPITAL = "dr.durand@hopital.test";
  static final Patient PATIENT = new Patient(Ins.of("279035121518989", InsKind.INS_NIR_TEST), "Pat-Trois",
      List.of("Dominique"), LocalDate.of(1979, 3, 28), Sex.FEMALE);
  static final Organization ORG = Organization.finess("750803447", "Hôpital Européen Georges Pompidou");
  static final Author AUTHOR = Author.of(InstanceId.rpps("01234567897"), PersonName.of("M", "Charles", "DAVID", "DR"),
      Author.specialty("G15_10/SM27", "Médecin - Médecine interne (SM)"), ORG);
  static final OffsetDateTime WHEN = OffsetDateTime.parse("2026-11-03T13:30:00+01:00");

  @RegisterExtension
  static final PontTestServer SERVER = PontTestServer.withPeople(KINE, HOSPITAL);

  static CdaHeader header(DocumentType type) {
    return CdaHeader.builder(type).effectiveTime(WHEN).patient(PATIENT).author(AUTHOR).custodian(ORG)
        .healthcareFacilityType(CdaCode.FACILITY_PUBLIC_HOSPITAL).practiceSetting(CdaCode.PRACTICE_HOSPITAL)
        .careperiod(TimeRange.of(WHEN.minusDays(5), WHEN)).build();
  }

  static byte[] pdf(String text) throws Exception {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
        s.beginText();
        s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        s.newLineAtOffset(72, 700);
        s.showText(text);
        s.endText();
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  static ClinicalDocument cda(DocumentType type, byte[] xml) {
    return new ClinicalDocument(type, type.label(), ClinicalDocument.CDA_MEDIA_TYPE, "doc.xml", xml);
  }

  @Test
  void theCdaPatientTypeAndNarrativeAreSearchableAndARefusedMessageIsStillIndexed(@TempDir Path a, @TempDir Path b) throws Exception {
    Session session = Session.getInstance(new Properties());
    MssanteMessageWriter writer = MssanteMessageWriter.of("Pont-tests/1.0", "1.2.250.1.999.1");
    byte[] letter = DischargeLetter.builder(header(DocumentType.DISCHARGE_LETTER)).status(DocumentStatus.DONE)
        .admissionMode(AdmissionMode.PLANNED).dischargeMode(DischargeMode.HOME)
        .reasonForStay("Prothèse totale de genou droit")
        .staySummary("Suites compliquées d'une arthrofibrose. Rééducation à poursuivre en ville.")
        .dischargeMedications("PARACETAMOL 1 g si douleur").build().toXml();
    MimeMessage discharge = writer.write(CoordinationMessage.builder().from(HOSPITAL).to(KINE).subject("x")
        .body("Bonjour, voici la lettre de liaison.").patient(PATIENT).document(cda(DocumentType.DISCHARGE_LETTER, letter)).build(), session);
    byte[] prescription = Level1Document.pdf(header(DocumentType.PHYSIOTHERAPY_PRESCRIPTION), pdf("Balneotherapie quotidienne")).toXml();
    MimeMessage physio = writer.write(CoordinationMessage.builder().from(HOSPITAL).to(KINE).subject("x")
        .body("Prescription jointe.").patient(PATIENT).document(cda(DocumentType.PHYSIOTHERAPY_PRESCRIPTION, prescription)).build(), session);
    MimeMessage broken = new MimeMessage(session);
    broken.setFrom(new InternetAddress(HOSPITAL));
    broken.setRecipients(MimeMessage.RecipientType.TO, KINE);
    broken.setSubject("XDM/1.0/DDM+paquet abîmé", "UTF-8");
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Le paquet joint est illisible, ostéotomie prévue.", "UTF-8");
    MimeBodyPart zip = new MimeBodyPart();
    zip.setContent(new byte[] {1, 2, 3, 4}, "application/zip");
    zip.setFileName("IHE_XDM.ZIP");
    broken.setContent(new MimeMultipart(text, zip));
    broken.saveChanges();

    try (PontClient hospital = PontClient.open(SERVER.settingsFor(HOSPITAL, a))) {
      hospital.send(discharge);
      hospital.send(physio);
      hospital.send(broken);
    }
    assertThat(SERVER.waitForIncoming(3, Duration.ofSeconds(10))).isTrue();

    try (PontClient kine = PontClient.open(SERVER.settingsFor(KINE, b))) {
      SyncResult r = kine.sync(p -> {});
      assertThat(r.failures()).isEmpty();
      assertThat(kine.search(SearchQuery.builder().patientIns("279035121518989").build()).hits()).hasSize(2)
          .allSatisfy(h -> assertThat(h.patientNames()).singleElement().asString().isEqualToIgnoringCase("Pat-Trois Dominique"));
      assertThat(kine.search(SearchQuery.builder().documentType("11490-0").build()).hits()).singleElement()
          .satisfies(h -> assertThat(h.documentTypes()).containsExactly("11490-0"));
      // "arthrofibrose" is only in the CDA's narrative, "balneotherapie" only in the level-1 PDF inside the XDM package.
      assertThat(kine.search(SearchQuery.text("arthrofibrose")).hits()).singleElement()
          .satisfies(h -> assertThat(h.documentTypes()).containsExactly("11490-0"));
      assertThat(kine.search(SearchQuery.text("balnéothérapie")).hits()).singleElement()
          .satisfies(h -> assertThat(h.patientIns()).contains("279035121518989"));
      SearchHit refused = kine.search(SearchQuery.text("ostéotomie")).hits().get(0);
      assertThat(refused.patientIns()).isEmpty();
      assertThat(refused.warnings()).singleElement().asString().contains("INVALID_XDM");
    }
  }
}
