package org.pont.mssante;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.pont.cda.Author;
import org.pont.cda.CdaBody;
import org.pont.cda.CdaCode;
import org.pont.cda.CdaDocument;
import org.pont.cda.CdaException;
import org.pont.cda.CdaReader;
import org.pont.cda.InstanceId;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.Party;
import org.pont.xdm.Code;
import org.pont.xdm.DocumentEntry;
import org.pont.xdm.DocumentSource;
import org.pont.xdm.PatientId;
import org.pont.xdm.SubmissionSet;
import org.pont.xdm.XdmException;
import org.pont.xdm.XdmMetadata;
import org.pont.xdm.XdmWriter;

/**
 * Packs CDA documents into an IHE XDM zip whose metadata is derived from their headers: patientId
 * in CX with the INS OID, classCode and typeCode from the ANS value sets, formatCode, dates,
 * authors, confidentiality; hash and size computed by the writer. One patient per package.
 */
public final class XdmPackager {
  /** TRE_A03 ClasseDocument, the XDS classCode system of the CI-SIS. */
  public static final String CLASS_CODE_SYSTEM = "1.2.250.1.213.1.1.4.1";
  private static final String IHE_FORMAT_SYSTEM = "1.3.6.1.4.1.19376.1.2.3";
  // [?] The CI-SIS generic structured-document format code; no ANS source here confirms it (JDV_J10 is not
  // in the shared value sets). Level-1 documents use the IHE XDS-SD codes, which are certain.
  private static final Code STRUCTURED_FORMAT = Code.of("urn:asip:ci-sis:2010", "1.2.250.1.213.1.1.4.2.282", "Document à corps structuré CI-SIS");
  private static final DateTimeFormatter HL7_DATE = DateTimeFormatter.BASIC_ISO_DATE;

  private final String sourceId;
  private final Clock clock;
  private final CdaReader reader = new CdaReader();

  private XdmPackager(String sourceId, Clock clock) {
    this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param sourceId the OID of the sending system (XDS sourceId), e.g. the organisation's OID arc
   */
  public static XdmPackager of(String sourceId) {
    return new XdmPackager(sourceId, Clock.systemUTC());
  }

  public XdmPackager withClock(Clock clock) {
    return new XdmPackager(sourceId, clock);
  }

  /** What was packed: the metadata written and the patient it is about. */
  public record Packed(XdmMetadata metadata, Ins ins, List<CdaDocument> documents) {}

  /**
   * Writes the zip for {@code cdaDocuments} (raw XML each) sent by {@code sender} to {@code recipients}.
   *
   * @throws MssanteException if a document cannot be read, names no INS, or the documents are about several patients
   */
  public Packed pack(List<byte[]> cdaDocuments, Party sender, List<Party> recipients, OutputStream out)
      throws MssanteException, IOException {
    if (cdaDocuments.isEmpty()) {
      throw new IllegalArgumentException("an XDM package needs at least one CDA document");
    }
    List<CdaDocument> parsed = new ArrayList<>();
    for (int i = 0; i < cdaDocuments.size(); i++) {
      try {
        parsed.add(reader.read(cdaDocuments.get(i)));
      } catch (CdaException e) {
        throw new MssanteException(MssanteException.Reason.INVALID_CDA, "CDA document " + (i + 1) + " cannot be read: " + e.getMessage(), e);
      }
    }
    Ins ins = onePatient(parsed);
    PatientId patientId = PatientId.ofIns(ins);
    SubmissionSet.Builder set = SubmissionSet.builder()
        .sourceId(sourceId)
        .submissionTime(clock.instant())
        .patientId(patientId)
        .title(parsed.get(0).title());
    authorOf(parsed.get(0), sender).ifPresent(set::author);
    recipients.forEach(r -> set.intendedRecipientAddress(r.address()));
    XdmWriter writer = XdmWriter.of(set.build()).contact(sender.address());
    for (int i = 0; i < parsed.size(); i++) {
      writer.add(entry(parsed.get(i), patientId, sender), DocumentSource.of(cdaDocuments.get(i)));
    }
    try {
      return new Packed(writer.writeTo(out), ins, List.copyOf(parsed));
    } catch (IllegalArgumentException e) {
      // The writer refuses entries missing what XDS requires (e.g. no healthcareFacilityTypeCode in the CDA).
      throw new MssanteException(MssanteException.Reason.INVALID_CDA, "the CDA documents lack what XDM metadata needs: " + e.getMessage(), e);
    } catch (XdmException e) {
      throw new MssanteException(MssanteException.Reason.INVALID_XDM, "cannot write the XDM package: " + e.getMessage(), e);
    }
  }

  /** The one INS all documents name; refuses documents without one or about different patients. */
  static Ins onePatient(List<CdaDocument> docs) throws MssanteException {
    Ins ins = null;
    for (CdaDocument d : docs) {
      Ins docIns = d.patient().ins().orElseThrow(() -> new MssanteException(MssanteException.Reason.NO_INS,
          "the CDA document '" + d.title() + "' names no INS for its patient: MSSanté messages identify the patient by INS"));
      if (ins != null && !ins.value().equals(docIns.value())) {
        throw new MssanteException(MssanteException.Reason.SEVERAL_PATIENTS,
            "the documents are about different patients; MSSanté carries one patient per message: send one message each");
      }
      ins = docIns;
    }
    return ins;
  }

  private DocumentEntry entry(CdaDocument d, PatientId patientId, Party sender) {
    DocumentEntry.Builder e = DocumentEntry.builder()
        .uniqueId(uniqueId(d.id()))
        .mimeType("text/xml")
        .typeCode(code(d.code()))
        .formatCode(formatCode(d))
        .confidentialityCode(code(d.confidentiality()))
        .patientId(patientId)
        .sourcePatientId(patientId)
        .creationTime(d.effectiveTime().toInstant())
        .title(d.title());
    d.documentType().ifPresent(t -> e.classCode(Code.of(t.classCode(), CLASS_CODE_SYSTEM)));
    d.languageCode().ifPresent(e::languageCode);
    d.healthcareFacilityType().map(XdmPackager::code).ifPresent(e::healthcareFacilityTypeCode);
    d.practiceSetting().map(XdmPackager::code).ifPresent(e::practiceSettingCode);
    d.patient().familyName().ifPresent(family ->
        e.sourcePatientInfo("PID-5|" + family + "^" + String.join(" ", d.patient().givenNames()) + "^^^^^L"));
    d.patient().birthDate().ifPresent(b -> e.sourcePatientInfo("PID-7|" + HL7_DATE.format(b)));
    e.sourcePatientInfo("PID-8|" + d.patient().sex().code());
    authorOf(d, sender).ifPresent(e::author);
    return e.build();
  }

  /** XDS uniqueId of a CDA id: {@code root^extension}, or the root alone. */
  static String uniqueId(InstanceId id) {
    return id.extension().map(x -> id.root() + "^" + x).orElse(id.root());
  }

  private static Code code(CdaCode c) {
    return c.displayName().map(n -> Code.of(c.code(), c.codeSystem(), n)).orElseGet(() -> Code.of(c.code(), c.codeSystem()));
  }

  private static Code formatCode(CdaDocument d) {
    if (d.body() instanceof CdaBody.NonXmlBody body) {
      String media = body.mediaType().toLowerCase(Locale.ROOT);
      return media.equals("application/pdf") ? Code.of("urn:ihe:iti:xds-sd:pdf:2008", IHE_FORMAT_SYSTEM, "Document à corps non structuré en Pdf/A-1")
          : Code.of("urn:ihe:iti:xds-sd:text:2008", IHE_FORMAT_SYSTEM, "Document à corps non structuré en texte");
    }
    return STRUCTURED_FORMAT;
  }

  /** XDS author from the CDA's first author: XCN person, XON institution, specialty; the sender's mail address. */
  private static Optional<org.pont.xdm.Author> authorOf(CdaDocument d, Party sender) {
    if (d.authors().isEmpty()) {
      return Optional.empty();
    }
    Author a = d.authors().get(0);
    org.pont.xdm.Author.Builder b = org.pont.xdm.Author.builder();
    String idPart = a.id().extension().orElse("");
    a.name().ifPresent(n -> b.person(idPart + "^" + n.familyName() + "^" + String.join(" ", n.givenNames())
        + "^^^^^^&" + a.id().root() + "&ISO"));
    a.organization().ifPresent(o -> b.institution(o.name() + "^^^^^&" + o.id().root() + "&ISO^IDNST^^^"
        + o.id().extension().orElse("")));
    a.specialty().ifPresent(s -> b.specialty(s.code() + "^" + s.displayName().orElse("") + "^" + s.codeSystem()));
    b.telecommunication("^^Internet^" + sender.address());
    return Optional.of(b.build());
  }

  /** The label MSSanté puts in the subject for a document type (its own label, or the CDA title). */
  static String label(CdaDocument d) {
    return d.documentType().map(DocumentType::label).orElse(d.title());
  }
}
