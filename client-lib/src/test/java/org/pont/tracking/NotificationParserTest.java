package org.pont.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class NotificationParserTest {

  @Nested
  class RealSamples {
    @Test
    void theDirectProcessedMdnIsReadWithItsActualFields() {
      Notification n = NotificationParser.parse(Samples.sample("direct-MDNMessage.txt")).orElseThrow();

      assertThat(n).isInstanceOf(Notification.Mdn.class);
      Notification.Mdn mdn = (Notification.Mdn) n;
      assertThat(mdn.messageId()).contains("0c796d0e-4c76-43e8-be40-2cd5e30c1005");
      assertThat(mdn.disposition()).isEqualTo(Disposition.processed());
      assertThat(mdn.reportingUa()).contains("starugh-stateline.com;NHIN Direct Security Agent");
      assertThat(mdn.finalRecipient()).contains("externUser1@starugh-stateline.com");
      assertThat(mdn.originalMessageId()).contains("<9501051053.aa04167@IETF.CNR I.Reston.VA.US>");
      assertThat(mdn.originalRecipient()).isEmpty();
      assertThat(mdn.integrationError()).isEmpty();
    }

    @Test
    void theDirectDispatchedMdnKeepsItsExtensionField() {
      Notification.Mdn mdn = (Notification.Mdn) NotificationParser.parse(Samples.sample("direct-MDNDispatchedMessage.txt")).orElseThrow();

      assertThat(mdn.disposition().type()).isEqualTo(Disposition.Type.DISPATCHED);
      assertThat(mdn.disposition().actionMode()).isEqualTo(Disposition.ActionMode.AUTOMATIC);
      assertThat(mdn.disposition().sendingMode()).isEqualTo(Disposition.SendingMode.AUTOMATICALLY);
      assertThat(mdn.originalMessageId()).contains("<9501051053.aa04167@IETF.CNR I.Reston.VA.US>");
      assertThat(mdn.extensionFields()).containsEntry("X-DIRECT-FINAL-DESTINATION-DELIVERY", "");
    }

    @Test
    void theDirectMdnResponseWhoseFieldsAreWrittenAsPartHeadersIsStillRead() {
      Notification.Mdn mdn = (Notification.Mdn) NotificationParser.parse(Samples.sample("direct-MDNResponse.txt")).orElseThrow();

      assertThat(mdn.messageId()).contains("0018deb9-4f90-4c46-81c0-4023b1f9979f");
      assertThat(mdn.disposition().type()).isEqualTo(Disposition.Type.PROCESSED);
      assertThat(mdn.reportingUa()).contains("messaging.cerner.com;Security Agent");
      assertThat(mdn.finalRecipient()).isEmpty();
      assertThat(mdn.originalMessageId()).isEmpty();
    }

    @Test
    void theDirectDsnIsReadWithItsRecipientBlock() {
      Notification.Dsn dsn = (Notification.Dsn) NotificationParser.parse(Samples.sample("direct-DSNMessage.txt")).orElseThrow();

      assertThat(dsn.messageId()).contains("0c796d0e-4c76-43e8-be40-2cd5e30c1006");
      assertThat(dsn.reportingMta()).contains("Example.ORG");
      assertThat(dsn.originalEnvelopeId()).contains("QQ314159");
      assertThat(dsn.originalMessageId()).contains("<9501051053.aa04167@IETF.CNR I.Reston.VA.US>");
      assertThat(dsn.recipients()).singleElement().satisfies(r -> {
        assertThat(r.originalRecipient()).contains("Carol@Ivory.EDU");
        assertThat(r.finalRecipient()).isEqualTo("Carol@Ivory.EDU");
        assertThat(r.action()).isEqualTo(Action.FAILED);
        assertThat(r.status()).isEqualTo(new StatusCode(5, 0, 0));
        assertThat(r.diagnosticCode()).contains("smtp; 550 error - no such recipient");
      });
    }

    @Test
    void plainMessagesAreNotNotifications() {
      assertThat(NotificationParser.parse(Samples.sample("direct-MultipartMimeMessage.txt"))).isEmpty();
      assertThat(NotificationParser.parse(Samples.sample("direct-MessageWithAttachment.txt"))).isEmpty();
    }
  }

  private static Optional<Notification> parse(String reportType, String partType, String fields) {
    return NotificationParser.parse(Samples.parse("""
        Message-ID: <bad@x.test>
        Content-Type: multipart/report; report-type=%s; boundary=b

        --b
        Content-Type: text/plain

        human text
        --b
        Content-Type: %s

        %s
        --b--
        """.formatted(reportType, partType, fields).replace("\n", "\r\n")));
  }

  /** The report part of the DSN James 3.8.1 (DSNBounce) sent when RemoteDelivery gave up, captured from RelayFailureTest. */
  private static final String JAMES_BOUNCE = "Reporting-MTA: dns; 127.0.0.1\nReceived-From-MTA: dns; localhost\n\n"
      + "Final-Recipient: rfc822; kine@cabinet.test\nAction: failed\n"
      + "Status: Too many retries failure. Bouncing after 2 retries.\n"
      + "Diagnostic-Code: X-James; Too many retries failure. Bouncing after 2 retries.\n"
      + "Last-Attempt-Date: Mon, 23 Nov 2026 00:30:47 +0000\n";

  @Test
  void jamesOwnBounceWithFreeTextStatusIsAFailureWithItsDiagnostic() {
    assertThat(parse("delivery-status", "message/delivery-status", JAMES_BOUNCE)).get()
        .isInstanceOfSatisfying(Notification.Dsn.class, d -> assertThat(d.recipients()).singleElement().satisfies(r -> {
          assertThat(r.finalRecipient()).isEqualTo("kine@cabinet.test");
          assertThat(r.action()).isEqualTo(Action.FAILED);
          assertThat(r.status()).isEqualTo(new StatusCode(5, 0, 0));
          assertThat(r.diagnosticCode()).contains("X-James; Too many retries failure. Bouncing after 2 retries.");
        }));
    // Without a Diagnostic-Code the free text is kept as the diagnostic; a delay stays transient.
    assertThat(parse("delivery-status", "message/delivery-status", "Reporting-MTA: dns; x.test\n\n"
        + "Final-Recipient: rfc822;a@b.test\nAction: delayed\nStatus: Connection refused\n")).get()
        .isInstanceOfSatisfying(Notification.Dsn.class, d -> assertThat(d.recipients()).singleElement().satisfies(r -> {
          assertThat(r.status()).isEqualTo(new StatusCode(4, 0, 0));
          assertThat(r.diagnosticCode()).contains("Connection refused");
        }));
  }

  @Test
  void aDsnReturningALargeOriginalMessageIsReadFromItsHeaders() {
    String big = "x".repeat(998) + "\r\n";
    Notification n = NotificationParser.parse(Samples.parse(("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
        + "--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n"
        + "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.test\r\n\r\n"
        + "Final-Recipient: rfc822;a@b.test\r\nAction: failed\r\nStatus: 5.2.2\r\n\r\n"
        + "--b\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: <big@hopital.test>\r\nSubject: big\r\n\r\n"
        + big.repeat(1000) + "--b--\r\n"))).orElseThrow();

    assertThat(n).isInstanceOfSatisfying(Notification.Dsn.class, d -> assertThat(d.originalMessageId()).contains("<big@hopital.test>"));
  }

  @Test
  void aSignedMdnIsReadFromItsSignedContentAndNeverAnswered() throws Exception {
    MimeMessage mdn = MdnBuilder.of("<orig-9@hopital.test>", "dr.durand@hopital.test").from("dr.martin@cabinet.test").build();
    MimeMultipart report = new MimeMultipart(Samples.reread(mdn).getDataHandler().getDataSource());
    MimeBodyPart inner = new MimeBodyPart();
    inner.setContent(report);
    MimeBodyPart signature = new MimeBodyPart();
    signature.setContent(new byte[] {1, 2, 3}, "application/octet-stream");
    signature.setHeader("Content-Type", "application/pkcs7-signature; name=smime.p7s");
    MimeMultipart signed = new MimeMultipart("signed");
    signed.addBodyPart(inner);
    signed.addBodyPart(signature);
    MimeMessage message = new MimeMessage(Samples.SESSION);
    message.setContent(signed);
    message.saveChanges();
    MimeMessage received = Samples.reread(message);

    assertThat(NotificationParser.parse(received)).get().isInstanceOfSatisfying(Notification.Mdn.class,
        m -> assertThat(m.originalMessageId()).contains("<orig-9@hopital.test>"));
    assertThat(LoopPrevention.mayNotify(received)).isFalse();
  }

  @Nested
  class MalformedReports {
    @Test
    void anMdnWithoutDispositionIsUnparseableWithTheReason() {
      assertThat(parse("disposition-notification", "message/disposition-notification", "Final-Recipient: rfc822;a@b.test"))
          .get().isInstanceOfSatisfying(Notification.Unparseable.class, u -> {
            assertThat(u.reason()).contains("no Disposition field");
            assertThat(u.messageId()).contains("<bad@x.test>");
          });
    }

    @Test
    void anUnknownDispositionTypeIsUnparseable() {
      assertThat(parse("disposition-notification", "message/disposition-notification",
          "Disposition: automatic-action/MDN-sent-automatically; exploded"))
          .get().isInstanceOfSatisfying(Notification.Unparseable.class, u -> assertThat(u.reason()).contains("exploded"));
    }

    @Test
    void aDsnWithoutRecipientBlockIsUnparseable() {
      assertThat(parse("delivery-status", "message/delivery-status", "Reporting-MTA: dns; x.test"))
          .get().isInstanceOfSatisfying(Notification.Unparseable.class, u -> assertThat(u.reason()).contains("per-recipient"));
    }

    @Test
    void aDsnWithAnUnknownActionIsUnparseable() {
      assertThat(parse("delivery-status", "message/delivery-status",
          "Reporting-MTA: dns; x.test\r\n\r\nFinal-Recipient: rfc822;a@b.test\r\nAction: vanished\r\nStatus: 5.0.0"))
          .get().isInstanceOfSatisfying(Notification.Unparseable.class, u -> assertThat(u.reason()).contains("vanished"));
    }

    @Test
    void aReportWithoutItsReportPartIsUnparseable() {
      assertThat(parse("delivery-status", "text/plain", "nothing here"))
          .get().isInstanceOfSatisfying(Notification.Unparseable.class, u -> assertThat(u.reason()).contains("no message/delivery-status part"));
    }

    @Test
    void aBrokenMultipartIsUnparseableNotAnException() {
      Optional<Notification> n = NotificationParser.parse(Samples.parse(
          "Content-Type: multipart/report; report-type=delivery-status\r\n\r\nno boundary at all\r\n"));
      assertThat(n).get().isInstanceOf(Notification.Unparseable.class);
    }
  }
}
