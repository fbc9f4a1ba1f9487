package org.pont.index;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Properties;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.pont.certs.Credential;
import org.pont.certs.TestPki;
import org.pont.message.DocumentType;
import org.pont.smime.KeyCredential;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;
import org.pont.smime.VerdictReason;
import org.pont.transport.MailServers;

class DefaultMessageExtractorTest {
  static final MessageRef REF = MessageRef.of("INBOX", 7, 1);
  static final String INS = MessageIndexTest.withKey("1800175123456");
  static final String FROM = MailServers.SENDER;
  static final String TO = MailServers.USER;

  private static MimeMessage base() throws Exception {
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
    m.setFrom(new InternetAddress(FROM, "Dr Durand"));
    m.setRecipients(MimeMessage.RecipientType.TO, TO);
    m.addRecipients(MimeMessage.RecipientType.CC, "Secretariat@CABINET.test");
    m.setSubject("XDM/1.0/DDM+Prescription kiné DUPONT Jean 01/01/1980", "UTF-8");
    m.setSentDate(new java.util.Date(1_763_000_000_000L));
    return m;
  }

  private static MimeMessage reparse(MimeMessage m) throws Exception {
    m.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(out.toByteArray()));
  }

  static byte[] pdf(String text) throws Exception {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        cs.newLineAtOffset(50, 700);
        cs.showText(text);
        cs.endText();
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  @Test
  void headersTextAndPdfAttachmentTextAreExtracted() throws Exception {
    MimeMessage m = base();
    m.setHeader("X-MSS-INS", INS + "^^^&1.2.250.1.213.1.4.10&ISO^NH");
    m.setHeader("X-MSS-CODECDA", "PRESC-KINE");
    MimeMultipart mp = new MimeMultipart();
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Bonjour, voici la prescription de rééducation.", "UTF-8");
    mp.addBodyPart(text);
    MimeBodyPart pdf = new MimeBodyPart();
    pdf.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(pdf("Renforcement du quadriceps, genoux"), "application/pdf")));
    pdf.setFileName("prescription.pdf");
    mp.addBodyPart(pdf);
    m.setContent(mp);

    IndexableMessage x = DefaultMessageExtractor.plain().extract(REF, reparse(m), new MessageExtractor.MessageState(true, false, 1234));

    assertThat(x.from()).isEqualTo(FROM);
    assertThat(x.to()).containsExactly(TO, "Secretariat@cabinet.test");
    assertThat(x.subject()).startsWith("XDM/1.0/DDM+Prescription kiné");
    assertThat(x.messageId()).isPresent();
    assertThat(x.date()).isPresent();
    assertThat(x.bodyText()).contains("rééducation");
    assertThat(x.documentTexts()).singleElement().asString().contains("quadriceps");
    assertThat(x.patientIns()).hasValueSatisfying(ins -> assertThat(ins.value()).isEqualTo(INS));
    assertThat(x.documentTypes()).containsExactly(DocumentType.PHYSIOTHERAPY_PRESCRIPTION);
    assertThat(x.verdict()).contains(VerdictReason.NOT_SIGNED);
    assertThat(x.read()).isTrue();
    assertThat(x.size()).isEqualTo(1234);
  }

  @Test
  void htmlOnlyMessagesAreIndexedAsText() throws Exception {
    MimeMessage m = base();
    m.setContent("<html><style>p{}</style><body><p>Compte rendu d&eacute;taill&eacute; : <b>genou</b></p></body></html>", "text/html; charset=UTF-8");

    IndexableMessage x = DefaultMessageExtractor.plain().extract(REF, reparse(m), MessageExtractor.MessageState.UNREAD);

    assertThat(x.bodyText()).contains("genou").doesNotContain("<b>").doesNotContain("p{}");
  }

  @Test
  void anInsHeaderThatIsOnlyAFlagOrAnUnknownCodeIsKeptAsItCame() throws Exception {
    MimeMessage m = base();
    m.setHeader("X-MSS-INS", "oui");
    m.setHeader("X-MSS-CODECDA", "11490-0, 99999-9");
    m.setText("texte", "UTF-8");

    IndexableMessage x = DefaultMessageExtractor.plain().extract(REF, reparse(m), MessageExtractor.MessageState.UNREAD);

    assertThat(x.patientIns()).isEmpty();
    assertThat(x.documentTypes()).extracting(DocumentType::code).containsExactly("11490-0", "99999-9");
  }

  @Test
  void aSignedAndEncryptedMessageIsOpenedAndItsVerdictKept() throws Exception {
    TestPki pki = MailServers.pki();
    SecureMessaging sender = messaging(pki, FROM);
    MimeMessage m = base();
    m.setText("Rééducation après ligamentoplastie.", "UTF-8");
    m.saveChanges();
    MimeMessage sent = sender.signAndEncrypt(m, List.of(pki.person(TO).encryption().certificate()));

    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    sent.writeTo(wire); // an encrypted message streams its content once: keep the bytes
    Session session = Session.getInstance(new Properties());

    DefaultMessageExtractor withKeys = DefaultMessageExtractor.builder().secureMessaging(messaging(pki, TO)).build();
    IndexableMessage opened = withKeys.extract(REF, new MimeMessage(session, new ByteArrayInputStream(wire.toByteArray())),
        MessageExtractor.MessageState.UNREAD);
    IndexableMessage withoutKeys = DefaultMessageExtractor.plain().extract(REF,
        new MimeMessage(session, new ByteArrayInputStream(wire.toByteArray())), MessageExtractor.MessageState.UNREAD);

    assertThat(opened.encrypted()).isTrue();
    assertThat(opened.verdict()).contains(VerdictReason.VALID);
    assertThat(opened.bodyText()).contains("ligamentoplastie");
    assertThat(withoutKeys.encrypted()).isTrue();
    assertThat(withoutKeys.verdict()).isEmpty();
    assertThat(withoutKeys.bodyText()).isEmpty();
    assertThat(withoutKeys.subject()).startsWith("XDM/1.0/DDM");
  }

  @Test
  void anEnricherCompletesWhatTheDefaultExtractorFound() throws Exception {
    MimeMessage m = base();
    m.setText("texte", "UTF-8");
    DefaultMessageExtractor x = DefaultMessageExtractor.builder()
        .enricher((content, into) -> into.patientName("DUPONT Jean").documentType(DocumentType.DISCHARGE_LETTER))
        .build();

    IndexableMessage result = x.extract(REF, reparse(m), MessageExtractor.MessageState.UNREAD);

    assertThat(result.patientNames()).containsExactly("DUPONT Jean");
    assertThat(result.documentTypes()).containsExactly(DocumentType.DISCHARGE_LETTER);
  }

  private static SecureMessaging messaging(TestPki pki, String address) {
    return SecureMessaging.builder()
        .signingKey(key(pki.person(address).signature()))
        .decryptionKey(key(pki.person(address).encryption()))
        .trust(TrustAnchors.of(pki.trustAnchors(), pki.intermediates(), pki.crls()))
        .build();
  }

  private static KeyCredential key(Credential c) {
    return KeyCredential.of(c.privateKey(), c.certificate(), c.chain());
  }
}
