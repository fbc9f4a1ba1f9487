package org.pont.mssante;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.pont.cda.CdaDocument;
import org.pont.cda.CdaException;
import org.pont.cda.CdaReader;
import org.pont.message.ClinicalDocument;
import org.pont.message.CoordinationMessage;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.Party;
import org.pont.message.Patient;
import org.pont.mime.DecodedContent;
import org.pont.xdm.DocumentEntry;
import org.pont.xdm.XdmException;
import org.pont.xdm.XdmLimits;
import org.pont.xdm.XdmPackage;
import org.pont.xdm.XdmReader;

/**
 * Reads any received MIME message (in clear: open S/MIME first with {@code SecureMessaging}) into a
 * typed {@link ReceivedMessage}: the XDM attachment is read within limits and its CDA documents
 * parsed, the patient taken from them and checked to be one and the same everywhere. A message
 * with no XDM is still a coordination message (text and attachments, no patient).
 */
public final class MssanteMessageReader {
  private final XdmReader xdmReader;
  private final CdaReader cdaReader = new CdaReader();

  private MssanteMessageReader(XdmReader xdmReader) {
    this.xdmReader = xdmReader;
  }

  public static MssanteMessageReader withDefaults() {
    return new MssanteMessageReader(XdmReader.withDefaults());
  }

  public static MssanteMessageReader withLimits(XdmLimits limits) {
    return new MssanteMessageReader(XdmReader.withLimits(limits));
  }

  /**
   * @throws MssanteException when the structure cannot be read, the XDM is refused, a CDA cannot be
   *     read, or the message is about more than one patient
   */
  public ReceivedMessage read(MimeMessage mime) throws MssanteException {
    try {
      List<String> warnings = new ArrayList<>();
      Parts parts = new Parts();
      collect(mime, parts, 0);
      CoordinationMessage.Builder b = CoordinationMessage.builder().from(party(mime.getFrom(), "From"));
      for (Address a : recipients(mime)) {
        if (a instanceof InternetAddress ia) {
          b.to(recipient(ia));
        }
      }
      b.subject(Optional.ofNullable(mime.getSubject()).orElse("")).body(parts.text == null ? "" : parts.text);

      XdmPackage xdm = null;
      List<CdaDocument> cdas = new ArrayList<>();
      if (parts.xdms.size() > 1) {
        throw new MssanteException(MssanteException.Reason.SEVERAL_PATIENTS,
            "the message carries " + parts.xdms.size() + " XDM packages; MSSanté carries one patient, so one package, per message");
      }
      if (parts.xdms.size() == 1) {
        try (InputStream in = DecodedContent.of(parts.xdms.get(0))) {
          xdm = xdmReader.read(in);
        } catch (XdmException e) {
          throw new MssanteException(MssanteException.Reason.INVALID_XDM, "the IHE_XDM.ZIP attachment is refused (" + e.reason() + "): " + e.getMessage(), e);
        }
        warnings.addAll(xdm.warnings());
        for (DocumentEntry entry : xdm.entries()) {
          if (!isXml(entry.mimeType())) {
            continue;
          }
          byte[] xml = xdm.content(entry).bytes();
          CdaDocument cda;
          try {
            cda = cdaReader.read(xml);
          } catch (CdaException e) {
            throw new MssanteException(MssanteException.Reason.INVALID_CDA,
                "the document '" + entry.title().orElse(entry.uniqueId()) + "' in the XDM package is not a readable CDA: " + e.getMessage(), e);
          }
          cdas.add(cda);
          DocumentType type = cda.documentType().orElseGet(() -> new DocumentType(cda.code().code(), cda.code().codeSystem(), "",
              cda.code().displayName().orElse(cda.title())));
          b.document(new ClinicalDocument(type, cda.title(), ClinicalDocument.CDA_MEDIA_TYPE, fileName(entry), xml));
        }
        Optional<Patient> patient = patientOf(cdas, xdm);
        patient.ifPresent(b::patient);
        if (patient.isEmpty() && !cdas.isEmpty()) {
          throw new MssanteException(MssanteException.Reason.NO_INS,
              "the documents name no INS with their identity traits: the receiver cannot tell which patient they are about");
        }
        if (cdas.isEmpty()) {
          warnings.add("the XDM package holds no CDA document");
        }
      }
      DocumentType readableType = cdas.isEmpty() ? null : cdas.get(0).documentType().orElse(null);
      for (Part p : parts.files) {
        if (readableType != null) {
          b.document(new ClinicalDocument(readableType, Optional.ofNullable(p.getFileName()).orElse("document"),
              baseType(p), Optional.ofNullable(p.getFileName()).orElse("document"), readAll(p)));
        } else {
          warnings.add("attachment '" + p.getFileName() + "' is not described by an XDM package");
        }
      }
      List<String> declared = headerValues(mime, MssanteHeaders.CODE_CDA);
      List<String> actual = cdas.stream().map(c -> c.code().code()).toList();
      if (!declared.isEmpty() && !new java.util.HashSet<>(declared).equals(new java.util.HashSet<>(actual))) {
        warnings.add(MssanteHeaders.CODE_CDA + " says " + declared + " but the documents are " + actual);
      }
      // Null-safe: a message without Subject (found by fuzzing) is readable, only not conventional.
      if (!cdas.isEmpty() && !Optional.ofNullable(mime.getSubject()).orElse("").startsWith(MssanteHeaders.XDM_SUBJECT_PREFIX)) {
        warnings.add("the subject does not start with " + MssanteHeaders.XDM_SUBJECT_PREFIX + " although an XDM is attached");
      }
      CoordinationMessage message;
      try {
        message = b.build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new MssanteException(MssanteException.Reason.MALFORMED_MIME, "the message cannot be read: " + e.getMessage(), e);
      }
      return new ReceivedMessage(message, Optional.ofNullable(mime.getMessageID()), cdas, Optional.ofNullable(xdm), declared,
          Optional.ofNullable(mime.getHeader(MssanteHeaders.SOFTWARE, ",")), warnings);
    } catch (MessagingException | IOException e) {
      throw new MssanteException(MssanteException.Reason.MALFORMED_MIME, "the MIME structure cannot be read: " + e.getMessage(), e);
    }
  }

  /** The patient of the documents: one INS everywhere (CDA headers and XDM patientId), traits from the first CDA. */
  private static Optional<Patient> patientOf(List<CdaDocument> cdas, XdmPackage xdm) throws MssanteException {
    if (cdas.isEmpty()) {
      return Optional.empty();
    }
    Ins ins = XdmPackager.onePatient(cdas);
    List<String> packageIds = new ArrayList<>();
    xdm.submissionSet().patientId().ifPresent(p -> packageIds.add(p.id()));
    xdm.entries().forEach(e -> e.patientId().ifPresent(p -> packageIds.add(p.id())));
    for (String id : packageIds) {
      if (!id.equals(ins.value())) {
        throw new MssanteException(MssanteException.Reason.SEVERAL_PATIENTS,
            "the XDM metadata names another patient than the CDA documents: refusing a message about two patients");
      }
    }
    return cdas.get(0).patient().toPatient();
  }

  private static final int MAX_DEPTH = 20;

  /** The parts that matter, found depth first; nesting is bounded so a hostile message cannot recurse forever. */
  private static final class Parts {
    String text;
    final List<Part> xdms = new ArrayList<>();
    final List<Part> files = new ArrayList<>();
  }

  private static void collect(Part part, Parts out, int depth) throws MessagingException, IOException, MssanteException {
    if (depth > MAX_DEPTH) {
      throw new MssanteException(MssanteException.Reason.MALFORMED_MIME, "MIME parts are nested more than " + MAX_DEPTH + " deep");
    }
    if (part.isMimeType("multipart/*")) {
      Object content = part.getContent();
      if (!(content instanceof Multipart mp)) {
        throw new MssanteException(MssanteException.Reason.MALFORMED_MIME, "a multipart part has no readable parts");
      }
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart child = mp.getBodyPart(i);
        collect(child, out, depth + 1);
      }
      return;
    }
    String name = part.getFileName() == null ? null : MimeUtility.decodeText(part.getFileName());
    if (name != null && name.toUpperCase(Locale.ROOT).endsWith(".ZIP")
        && (name.equalsIgnoreCase(MssanteHeaders.XDM_FILE_NAME) || part.isMimeType("application/zip"))) {
      out.xdms.add(part);
    } else if (name == null && Part.INLINE.equalsIgnoreCase(Optional.ofNullable(part.getDisposition()).orElse(Part.INLINE))
        && part.isMimeType("text/plain") && out.text == null) {
      Object content;
      try {
        content = part.getContent();
      } catch (RuntimeException e) {
        // Found by fuzzing: Angus Mail's text handler throws NullPointerException ("charsetName")
        // on a Content-Type whose charset parameter it cannot parse; that is malformed input, not a bug of ours.
        throw new MssanteException(MssanteException.Reason.MALFORMED_MIME, "the text part cannot be decoded (Content-Type '"
            + part.getContentType() + "')", e);
      }
      String text = content instanceof String s ? s : new String(part.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      // Mail canonicalises line ends to CRLF on the way (and S/MIME signs that form): give callers Java's \n back.
      out.text = text.replace("\r\n", "\n");
    } else if (name != null || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
      out.files.add(part);
    }
  }

  private static byte[] readAll(Part p) throws MessagingException, IOException {
    try (InputStream in = DecodedContent.of(p)) {
      return in.readAllBytes();
    }
  }

  private static Party party(Address[] from, String header) throws MssanteException {
    if (from == null || from.length == 0 || !(from[0] instanceof InternetAddress ia)) {
      throw new MssanteException(MssanteException.Reason.MALFORMED_MIME, "the message has no " + header + " address");
    }
    try {
      return Party.of(ia.getAddress(), ia.getPersonal());
    } catch (IllegalArgumentException e) {
      throw new MssanteException(MssanteException.Reason.MALFORMED_MIME, "the " + header + " address is not usable: " + e.getMessage(), e);
    }
  }

  /** A To/Cc address Jakarta Mail parsed but Pont cannot use (found by fuzzing: 8-bit bytes in the domain). */
  private static Party recipient(InternetAddress ia) throws MssanteException {
    try {
      return Party.of(ia.getAddress(), ia.getPersonal());
    } catch (IllegalArgumentException e) {
      throw new MssanteException(MssanteException.Reason.MALFORMED_MIME, "a To/Cc address is not usable: " + e.getMessage(), e);
    }
  }

  private static List<Address> recipients(MimeMessage mime) throws MessagingException {
    List<Address> out = new ArrayList<>();
    for (Message.RecipientType t : List.of(Message.RecipientType.TO, Message.RecipientType.CC)) {
      Address[] a = mime.getRecipients(t);
      if (a != null) {
        out.addAll(List.of(a));
      }
    }
    return out;
  }

  private static List<String> headerValues(MimeMessage mime, String name) throws MessagingException {
    String[] values = mime.getHeader(name);
    List<String> out = new ArrayList<>();
    if (values != null) {
      for (String v : values) {
        for (String s : v.split(",")) {
          if (!s.isBlank()) {
            out.add(s.strip());
          }
        }
      }
    }
    return out;
  }

  private static boolean isXml(String mimeType) {
    String m = mimeType.toLowerCase(Locale.ROOT);
    return m.equals("text/xml") || m.equals("application/xml") || m.endsWith("+xml");
  }

  private static String baseType(Part p) throws MessagingException {
    String ct = p.getContentType();
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  private static String fileName(DocumentEntry entry) {
    return entry.uri().orElse(entry.uniqueId() + ".xml");
  }
}
