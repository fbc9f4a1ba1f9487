package org.pont.mssante;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.pont.cda.CdaBody;
import org.pont.cda.CdaDocument;
import org.pont.message.ClinicalDocument;
import org.pont.message.CoordinationMessage;
import org.pont.message.Party;
import org.pont.message.Patient;

/**
 * Turns a {@link CoordinationMessage} into the MIME message MSSanté receivers expect: a text body;
 * the CDA documents packed in {@code IHE_XDM.ZIP} with metadata from their headers; a readable PDF
 * copy (the caller's, or the PDF a level-1 CDA wraps); the subject
 * {@code XDM/1.0/DDM+<label> <NAME> <firstname> <birth date>}; and the {@code X-MSS-*} headers.
 * The result is unsigned and in clear: sign and encrypt it with {@code SecureMessaging}.
 */
public final class MssanteMessageWriter {
  private static final DateTimeFormatter BIRTH_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

  private final String softwareId;
  private final XdmPackager packager;

  private MssanteMessageWriter(String softwareId, XdmPackager packager) {
    this.softwareId = softwareId;
    this.packager = packager;
  }

  /**
   * @param softwareId what {@code X-MSS-NIL} says, e.g. {@code "Pont/0.1"} or the embedding software's name and version
   * @param sourceId the OID of the sending system, written as the XDM sourceId
   */
  public static MssanteMessageWriter of(String softwareId, String sourceId) {
    if (Objects.requireNonNull(softwareId, "softwareId").isBlank()) {
      throw new IllegalArgumentException("softwareId (X-MSS-NIL) must not be blank");
    }
    return new MssanteMessageWriter(softwareId.strip(), XdmPackager.of(sourceId));
  }

  public MssanteMessageWriter withClock(Clock clock) {
    return new MssanteMessageWriter(softwareId, packager.withClock(clock));
  }

  /**
   * Builds the MIME message.
   *
   * @throws MssanteException if the CDA documents cannot be read, name no INS, or are not about the message's patient
   */
  public MimeMessage write(CoordinationMessage message, Session session) throws MssanteException {
    List<byte[]> cdas = new ArrayList<>();
    List<ClinicalDocument> others = new ArrayList<>();
    for (ClinicalDocument d : message.documents()) {
      if (d.isCda()) {
        cdas.add(d.content());
      } else {
        others.add(d);
      }
    }
    try {
      MimeMessage mime = new MimeMessage(session);
      mime.setFrom(address(message.sender()));
      for (Party r : message.recipients()) {
        mime.addRecipient(MimeMessage.RecipientType.TO, address(r));
      }
      mime.setHeader(MssanteHeaders.SOFTWARE, softwareId);
      MimeMultipart mixed = new MimeMultipart("mixed");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(message.body(), "UTF-8", "plain");
      mixed.addBodyPart(text);
      String subject = message.subject();
      if (!cdas.isEmpty()) {
        Patient patient = message.patient().orElseThrow(); // the model refuses documents without a patient
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        XdmPackager.Packed packed = packager.pack(cdas, message.sender(), message.recipients(), zip);
        if (!packed.ins().value().equals(patient.ins().value())) {
          throw new MssanteException(MssanteException.Reason.PATIENT_MISMATCH,
              "the CDA documents are about another patient (INS) than the message says: check the documents attached");
        }
        for (CdaDocument d : packed.documents()) {
          mime.addHeader(MssanteHeaders.CODE_CDA, d.code().code());
        }
        mime.setHeader(MssanteHeaders.INS, MssanteHeaders.INS_PRESENT);
        subject = xdmSubject(XdmPackager.label(packed.documents().get(0)), patient);
        mixed.addBodyPart(attachment(zip.toByteArray(), "application/zip", MssanteHeaders.XDM_FILE_NAME));
        if (others.isEmpty()) {
          // The readable copy receivers without a CDA viewer open: the PDF a level-1 document wraps.
          for (CdaDocument d : packed.documents()) {
            if (d.body() instanceof CdaBody.NonXmlBody body && body.mediaType().equalsIgnoreCase("application/pdf")) {
              mixed.addBodyPart(attachment(body.content(), "application/pdf", fileName(d.title()) + ".pdf"));
            }
          }
        }
      }
      for (ClinicalDocument d : others) {
        mixed.addBodyPart(attachment(d.content(), d.mediaType(), d.fileName()));
      }
      mime.setSubject(subject, "UTF-8");
      mime.setContent(mixed);
      mime.saveChanges();
      return mime;
    } catch (MessagingException | IOException e) {
      throw new MssanteException(MssanteException.Reason.MALFORMED_MIME, "cannot assemble the message: " + e.getMessage(), e);
    }
  }

  /** {@code XDM/1.0/DDM+<label> <NAME> <firstname> <birth date>}. */
  static String xdmSubject(String label, Patient patient) {
    return MssanteHeaders.XDM_SUBJECT_PREFIX + "+" + label + " " + patient.familyName().toUpperCase(Locale.FRENCH)
        + " " + patient.firstGivenName() + " " + BIRTH_DATE.format(patient.birthDate());
  }

  private static InternetAddress address(Party p) throws UnsupportedEncodingException {
    return new InternetAddress(p.address(), p.displayName().orElse(null), "UTF-8");
  }

  private static MimeBodyPart attachment(byte[] content, String mediaType, String fileName) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setDataHandler(new DataHandler(new ByteArrayDataSource(content, mediaType)));
    part.setFileName(fileName);
    part.setDisposition(MimeBodyPart.ATTACHMENT);
    part.setHeader("Content-Transfer-Encoding", "base64");
    return part;
  }

  private static String fileName(String title) {
    String s = title.replaceAll("[^\\p{L}\\p{N} _-]", "").strip().replace(' ', '_');
    return s.isEmpty() ? "document" : s;
  }
}
