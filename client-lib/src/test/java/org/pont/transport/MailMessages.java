package org.pont.transport;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;

/** Messages as practice software and hospitals send them. */
final class MailMessages {
  private MailMessages() {}

  static Session session() {
    return Session.getInstance(new Properties());
  }

  static MimeMessage text(String from, String to, String subject, String body) throws Exception {
    return text(from, to, subject, body, Instant.parse("2026-11-20T10:00:00Z"));
  }

  static MimeMessage text(String from, String to, String subject, String body, Instant date) throws Exception {
    MimeMessage m = new MimeMessage(session());
    m.setFrom(new InternetAddress(from));
    m.setRecipients(MimeMessage.RecipientType.TO, to);
    m.setSubject(subject, "UTF-8");
    m.setText(body, "UTF-8");
    m.setSentDate(Date.from(date));
    m.saveChanges();
    return m;
  }

  /** A message with a text part and a random binary attachment of {@code size} bytes. */
  static MimeMessage withAttachment(String from, String to, String subject, int size) throws Exception {
    MimeMessage m = new MimeMessage(session());
    m.setFrom(new InternetAddress(from));
    m.setRecipients(MimeMessage.RecipientType.TO, to);
    m.setSubject(subject, "UTF-8");
    MimeMultipart mp = new MimeMultipart();
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Veuillez trouver ci-joint l'imagerie du genou.", "UTF-8");
    mp.addBodyPart(text);
    MimeBodyPart file = new MimeBodyPart();
    byte[] data = new byte[size];
    new java.util.Random(7).nextBytes(data);
    file.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(data, "application/octet-stream")));
    file.setFileName("imagerie.dcm");
    mp.addBodyPart(file);
    m.setContent(mp);
    m.setSentDate(new Date());
    m.saveChanges();
    return m;
  }
}
