package org.pont.tracking;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * The MIME shape shared by MDNs and DSNs (RFC 6522 multipart/report): a human-readable part, the
 * machine-readable report, and optionally the original headers. Built with Jakarta Mail's own
 * classes; the report and header parts carry their bytes through a data source, so writing them
 * needs no activation content handler (see ADR 0006 for why Angus's separate {@code dsn} artifact
 * is not used).
 */
final class ReportMime {
  private ReportMime() {}

  /** A multipart/report with its {@code report-type} parameter. */
  private static final class ReportMultipart extends MimeMultipart {
    ReportMultipart(String reportType) throws MessagingException {
      super("report");
      ContentType ct = new ContentType(contentType);
      ct.setParameter("report-type", reportType);
      contentType = ct.toString();
    }
  }

  /** Field lines {@code Name: value} joined with CRLF, one block. */
  static String block(List<Map.Entry<String, String>> fields) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> f : fields) {
      String value = f.getValue();
      if (value.contains("\r") || value.contains("\n")) {
        throw new IllegalArgumentException("report field " + f.getKey() + " must be one line");
      }
      sb.append(f.getKey()).append(": ").append(value).append("\r\n");
    }
    return sb.toString();
  }

  static SMTPMessage build(Session session, String reportType, String text, String reportContentType, String report,
      MimeMessage original, boolean attachHeaders) throws MessagingException {
    ReportMultipart mp = new ReportMultipart(reportType);
    MimeBodyPart human = new MimeBodyPart();
    human.setText(text, "UTF-8");
    mp.addBodyPart(human);
    mp.addBodyPart(rawPart(report, reportContentType));
    if (attachHeaders && original != null) {
      StringBuilder headers = new StringBuilder();
      Enumeration<String> lines = original.getAllHeaderLines();
      while (lines.hasMoreElements()) {
        headers.append(lines.nextElement()).append("\r\n");
      }
      mp.addBodyPart(rawPart(headers.toString(), "text/rfc822-headers"));
    }
    SMTPMessage message = new SMTPMessage(session);
    message.setContent(mp);
    message.setHeader("Auto-Submitted", "auto-replied");
    // RFC 3464 §2 and RFC 8098 §3: notifications are sent with a null envelope sender, so that
    // nobody answers them. Angus writes MAIL FROM:<> for "<>".
    message.setEnvelopeFrom("<>");
    return message;
  }

  private static MimeBodyPart rawPart(String content, String type) throws MessagingException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    MimeBodyPart part = new MimeBodyPart();
    part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type)));
    part.setHeader("Content-Type", type);
    // report parts are read as field blocks, never base64 (Python and most MUAs do not decode them)
    part.setHeader("Content-Transfer-Encoding", isAscii(bytes) ? "7bit" : "8bit");
    return part;
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  static String header(MimeMessage m, String name) throws MessagingException {
    String v = m.getHeader(name, null);
    return v == null ? null : v.strip();
  }

}
