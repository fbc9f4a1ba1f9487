package org.pont.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.junit.jupiter.api.Test;

class BuildAndParseTest {

  static MimeMessage sentMessage() throws Exception {
    MimeMessage m = new MimeMessage(Samples.SESSION);
    m.setFrom(new InternetAddress("dr.durand@hopital.test"));
    m.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress("dr.martin@cabinet.test"));
    m.setSubject("Lettre de liaison");
    m.setText("Bonjour");
    ReceiptRequests.requestMdn(m, new InternetAddress("dr.durand@hopital.test"));
    m.saveChanges();
    m.setHeader("Message-ID", "<orig-1@hopital.test>");
    return Samples.reread(m);
  }

  @Test
  void anMdnRequestSetsDispositionNotificationToAndOptions() throws Exception {
    MimeMessage m = new MimeMessage(Samples.SESSION);
    ReceiptRequests.requestMdn(m, new InternetAddress("a@hopital.test"), Optional.of("signed-receipt-protocol=optional,pkcs7-signature"));

    assertThat(m.getHeader("Disposition-Notification-To", null)).isEqualTo("a@hopital.test");
    assertThat(m.getHeader("Disposition-Notification-Options", null)).isEqualTo("signed-receipt-protocol=optional,pkcs7-signature");
    assertThat(ReceiptRequests.mdnRequestedBy(m)).contains(new InternetAddress("a@hopital.test"));
  }

  @Test
  void theIntegrationAcknowledgementRoundTrips() throws Exception {
    MimeMessage mdn = MdnBuilder.answering(sentMessage()).from("lgc@cabinet.test").finalRecipient("dr.martin@cabinet.test")
        .originalRecipient("dr.martin@cabinet.test").reportingUa("cabinet.test; Pont").build();
    MimeMessage received = Samples.reread(mdn);

    assertThat(received.getContentType()).contains("multipart/report").contains("report-type=disposition-notification");
    assertThat(received.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
    assertThat(received.getRecipients(MimeMessage.RecipientType.TO)).extracting(Object::toString).containsExactly("dr.durand@hopital.test");
    assertThat(((SMTPMessage) mdn).getEnvelopeFrom()).isEqualTo("<>");
    assertThat(new String(Samples.bytes(received), StandardCharsets.US_ASCII))
        .contains("Disposition: automatic-action/MDN-sent-automatically; processed\r\n")
        .contains("Final-Recipient: rfc822;dr.martin@cabinet.test\r\n")
        .contains("Original-Message-ID: <orig-1@hopital.test>\r\n");

    Notification.Mdn parsed = (Notification.Mdn) NotificationParser.parse(received).orElseThrow();
    assertThat(parsed.disposition()).isEqualTo(Disposition.processed());
    assertThat(parsed.originalMessageId()).contains("<orig-1@hopital.test>");
    assertThat(parsed.finalRecipient()).contains("dr.martin@cabinet.test");
    assertThat(parsed.originalRecipient()).contains("dr.martin@cabinet.test");
    assertThat(parsed.reportingUa()).contains("cabinet.test; Pont");
    assertThat(parsed.integrationError()).isEmpty();
  }

  @Test
  void anIntegrationErrorRoundTripsWithItsCodeAndLabel() throws Exception {
    MimeMessage mdn = MdnBuilder.answering(sentMessage()).from("dr.martin@cabinet.test")
        .disposition(Disposition.integrationError(IntegrationError.of(IntegrationErrorCode.UNKNOWN_PATIENT))).build();
    MimeMessage received = Samples.reread(mdn);

    assertThat(new String(Samples.bytes(received), StandardCharsets.US_ASCII))
        .contains("Disposition: automatic-action/MDN-sent-automatically; processed/Error: 902^Patient inconnu\r\n");
    Notification.Mdn parsed = (Notification.Mdn) NotificationParser.parse(received).orElseThrow();
    assertThat(parsed.integrationError()).contains(new IntegrationError(902, "Patient inconnu"));
    assertThat(parsed.integrationError().flatMap(IntegrationError::known)).contains(IntegrationErrorCode.UNKNOWN_PATIENT);
  }

  @Test
  void aManualReadReceiptRoundTrips() throws Exception {
    MimeMessage mdn = MdnBuilder.answering(sentMessage()).from("dr.martin@cabinet.test")
        .disposition(Disposition.displayedManually()).attachOriginalHeaders().build();
    Notification.Mdn parsed = (Notification.Mdn) NotificationParser.parse(Samples.reread(mdn)).orElseThrow();

    assertThat(parsed.disposition().format()).isEqualTo("manual-action/MDN-sent-manually; displayed");
  }

  @Test
  void undocumentedIntegrationCodesHaveAGenericLabel() {
    assertThat(IntegrationErrorCode.of(906)).contains(IntegrationErrorCode.E906);
    assertThat(IntegrationErrorCode.E906.documented()).isFalse();
    assertThat(IntegrationErrorCode.E906.label()).isEqualTo("Erreur d'integration 906");
    assertThat(IntegrationErrorCode.NO_INS.documented()).isTrue();
    assertThat(new IntegrationError(950, "x").known()).isEmpty();
  }

  @Test
  void aFailureDsnRoundTripsWithTheOriginalHeaders() throws Exception {
    MimeMessage dsn = DsnBuilder.about(sentMessage(), "mx.hopital.test").to("dr.durand@hopital.test").originalEnvelopeId("ENV42")
        .recipient(RecipientStatus.of("dr.x@cabinet.test", Action.FAILED, StatusCode.parse("5.1.1"))
            .withOriginalRecipient("dr.x@cabinet.test").withDiagnosticCode("smtp; 550 5.1.1 no such user"))
        .recipient(RecipientStatus.of("dr.martin@cabinet.test", Action.DELIVERED, StatusCode.parse("2.0.0")))
        .build();
    MimeMessage received = Samples.reread(dsn);

    assertThat(received.getContentType()).contains("multipart/report").contains("report-type=delivery-status");
    assertThat(((SMTPMessage) dsn).getEnvelopeFrom()).isEqualTo("<>");
    Notification.Dsn parsed = (Notification.Dsn) NotificationParser.parse(received).orElseThrow();
    assertThat(parsed.reportingMta()).contains("mx.hopital.test");
    assertThat(parsed.originalEnvelopeId()).contains("ENV42");
    assertThat(parsed.originalMessageId()).contains("<orig-1@hopital.test>");
    assertThat(parsed.recipients()).containsExactly(
        new RecipientStatus(Optional.of("dr.x@cabinet.test"), "dr.x@cabinet.test", Action.FAILED, new StatusCode(5, 1, 1),
            Optional.empty(), Optional.of("smtp; 550 5.1.1 no such user")),
        RecipientStatus.of("dr.martin@cabinet.test", Action.DELIVERED, new StatusCode(2, 0, 0)));
  }

  @Test
  void noNotificationIsBuiltForANotification() throws Exception {
    MimeMessage mdn = Samples.sample("direct-MDNMessage.txt");
    mdn.setHeader("Disposition-Notification-To", "x@y.test");

    assertThatThrownBy(() -> MdnBuilder.answering(mdn)).isInstanceOfSatisfying(TrackingException.class,
        e -> assertThat(e.reason()).isEqualTo(TrackingException.Reason.LOOP_PREVENTED));
    assertThatThrownBy(() -> DsnBuilder.about(Samples.sample("direct-DSNMessage.txt"), "mx.test"))
        .isInstanceOfSatisfying(TrackingException.class, e -> assertThat(e.reason()).isEqualTo(TrackingException.Reason.LOOP_PREVENTED));
  }

  @Test
  void noMdnIsBuiltWhenNoneWasRequested() throws Exception {
    MimeMessage m = sentMessage();
    m.removeHeader("Disposition-Notification-To");

    assertThatThrownBy(() -> MdnBuilder.answering(m)).isInstanceOfSatisfying(TrackingException.class,
        e -> assertThat(e.reason()).isEqualTo(TrackingException.Reason.MISSING_FIELD));
  }

  @Test
  void dispositionsAreParsedLenientlyAndWrittenExactly() {
    Disposition d = Disposition.parse(" Automatic-Action/mdn-sent-automatically ;Processed/Error: 903^INS absent, voir dossier");

    assertThat(d.type()).isEqualTo(Disposition.Type.PROCESSED);
    assertThat(d.integrationError()).contains(new IntegrationError(903, "INS absent, voir dossier"));
    assertThat(d.format()).isEqualTo("automatic-action/MDN-sent-automatically; processed/Error: 903^INS absent, voir dossier");
    assertThat(Disposition.parse("manual-action/MDN-sent-manually; failed").type()).isEqualTo(Disposition.Type.FAILED);
    assertThatThrownBy(() -> Disposition.parse("automatic-action; processed")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dsnParametersAreAppliedToAnAngusSmtpMessage() throws Exception {
    DsnRequest request = DsnRequest.all().withEnvelopeId("ENV42").withOriginalRecipient("dr.martin@cabinet.test");
    SMTPMessage smtp = request.applyTo(sentMessage());

    assertThat(request.notifyParameter()).isEqualTo("SUCCESS,FAILURE,DELAY");
    assertThat(smtp.getNotifyOptions()).isEqualTo(SMTPMessage.NOTIFY_SUCCESS | SMTPMessage.NOTIFY_FAILURE | SMTPMessage.NOTIFY_DELAY);
    assertThat(smtp.getReturnOption()).isEqualTo(SMTPMessage.RETURN_HDRS);
    assertThat(smtp.getMailExtension()).isEqualTo("ENVID=ENV42");
    assertThatThrownBy(() -> new DsnRequest(EnumSet.of(DsnRequest.Notify.NEVER, DsnRequest.Notify.SUCCESS), Optional.empty(),
        Optional.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DsnRequest.all().withEnvelopeId("has space")).isInstanceOf(IllegalArgumentException.class);
  }
}
