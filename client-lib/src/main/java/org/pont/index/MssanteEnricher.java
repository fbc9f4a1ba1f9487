package org.pont.index;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.ByteArrayDataSource;
import java.util.Objects;
import org.pont.cda.CdaBody;
import org.pont.cda.CdaDocument;
import org.pont.cda.Section;
import org.pont.message.DocumentType;
import org.pont.message.Patient;
import org.pont.mssante.MssanteException;
import org.pont.mssante.MssanteMessageReader;
import org.pont.mssante.ReceivedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an opened message as an MSSanté coordination message ({@link MssanteMessageReader}: XDM
 * package, CDA documents) and adds to the index entry the patient (INS, names), the documents' type
 * codes and labels, and their text: the narrative of every section of a structured (level-3) body,
 * the text of the PDF of a level-1 body.
 *
 * <p>A message the reader refuses is still indexed from what the default extractor found (headers,
 * text parts, PDF attachments); the refusal reason is recorded as a warning of the entry. The reader's
 * own warnings are recorded too when the message carries an XDM package.
 */
public final class MssanteEnricher implements DefaultMessageExtractor.Enricher {
  private static final Logger LOG = LoggerFactory.getLogger(MssanteEnricher.class);

  private final MssanteMessageReader reader;
  private final long maxPdfBytes;
  private final int maxTextChars;

  public MssanteEnricher(MssanteMessageReader reader, long maxPdfBytes, int maxTextChars) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.maxPdfBytes = maxPdfBytes;
    this.maxTextChars = maxTextChars;
  }

  /** With the reader's default limits and the default extractor's text limits. */
  public static MssanteEnricher withDefaults() {
    return new MssanteEnricher(MssanteMessageReader.withDefaults(), DefaultMessageExtractor.DEFAULT_MAX_PDF_BYTES,
        DefaultMessageExtractor.DEFAULT_MAX_TEXT_CHARS);
  }

  @Override
  public void enrich(MimeMessage content, IndexableMessage.Builder into) throws MessagingException {
    ReceivedMessage received;
    try {
      received = reader.read(content);
    } catch (MssanteException e) {
      LOG.info("message not read as MSSanté ({}): indexed from its headers and text", e.reason());
      into.warning("MSSanté reader refused the message (" + e.reason() + "): " + e.getMessage());
      return;
    }
    if (received.xdm().isPresent()) {
      received.warnings().forEach(into::warning);
    }
    received.message().patient().ifPresent(p -> patient(p, into));
    for (CdaDocument cda : received.cdaDocuments()) {
      DocumentType type = cda.documentType().orElseGet(() -> new DocumentType(cda.code().code(), cda.code().codeSystem(), "",
          cda.code().displayName().orElse(cda.title())));
      into.documentType(type);
      StringBuilder text = new StringBuilder(cda.title());
      if (cda.body() instanceof CdaBody.StructuredBody s) {
        for (Section section : s.allSections()) {
          section.title().ifPresent(t -> text.append('\n').append(t));
          text.append('\n').append(section.text());
          if (text.length() >= maxTextChars) {
            break;
          }
        }
      } else if (cda.body() instanceof CdaBody.NonXmlBody n && n.mediaType().equalsIgnoreCase("application/pdf")) {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(n.content(), "application/pdf")));
        PdfText.extract(part, maxPdfBytes, maxTextChars).ifPresent(t -> text.append('\n').append(t));
      }
      into.documentText(text.length() > maxTextChars ? text.substring(0, maxTextChars) : text.toString());
    }
  }

  private static void patient(Patient p, IndexableMessage.Builder into) {
    into.patientIns(p.ins());
    into.patientName((p.familyName() + " " + String.join(" ", p.givenNames())).strip());
  }
}
