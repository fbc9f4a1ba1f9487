package org.pont.cda;

import static org.pont.cda.CdaXml.attr;
import static org.pont.cda.CdaXml.child;
import static org.pont.cda.CdaXml.children;
import static org.pont.cda.CdaXml.path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.pont.cda.CdaException.Reason;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.message.InvalidInsException;
import org.pont.message.Sex;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads the header and body of any CI-SIS CDA R2 document into a {@link CdaDocument}, with the
 * hardened parser (no DTD, no external entities). It reads; it does not judge conformance — that
 * is {@link CdaValidator}'s job — but refuses documents that lack what every CDA must have.
 * Stateless and thread-safe.
 */
public final class CdaReader {

  public CdaReader() {}

  public CdaDocument read(Path file) throws CdaException, IOException {
    return read(Files.readAllBytes(file));
  }

  public CdaDocument read(InputStream in) throws CdaException, IOException {
    return read(in.readAllBytes());
  }

  public CdaDocument read(byte[] xml) throws CdaException {
    Document doc = CdaXml.parseCda(xml);
    Element root = doc.getDocumentElement();
    // A CDA is about one patient; reading only the first recordTarget would let a second one pass unseen.
    int patients = children(root, "recordTarget").size();
    if (patients > 1) {
      throw new CdaException(Reason.INVALID_VALUE, "the document names " + patients
          + " patients (recordTarget); a CDA document is about exactly one patient");
    }
    return new CdaDocument(
        code(required(root, "code", "document type"), "code"),
        children(root, "templateId").stream().map(CdaReader::idOrNull).filter(java.util.Objects::nonNull).toList(),
        id(required(root, "id", "document id"), "id"),
        child(root, "title").map(CdaXml::text).filter(t -> !t.isEmpty())
            .orElseThrow(() -> missing("title", "document title")),
        time(required(root, "effectiveTime", "creation date"), "effectiveTime"),
        code(required(root, "confidentialityCode", "confidentiality"), "confidentialityCode"),
        child(root, "languageCode").flatMap(e -> attr(e, "code")),
        child(root, "setId").map(CdaReader::idOrNull),
        child(root, "versionNumber").flatMap(e -> attr(e, "value")).flatMap(CdaReader::integer),
        patient(path(root, "recordTarget", "patientRole").orElseThrow(() -> missing("recordTarget/patientRole", "patient"))),
        authors(root),
        custodian(root),
        // What XDS metadata needs (healthcareFacilityTypeCode, practiceSettingCode); CI-SIS puts them here.
        path(root, "componentOf", "encompassingEncounter", "location", "healthCareFacility", "code").flatMap(CdaReader::optionalCode),
        path(root, "documentationOf", "serviceEvent", "performer", "assignedEntity", "representedOrganization",
            "standardIndustryClassCode").flatMap(CdaReader::optionalCode),
        body(root));
  }

  private static CdaPatient patient(Element role) throws CdaException {
    List<InstanceId> ids = new ArrayList<>();
    Optional<Ins> ins = Optional.empty();
    for (Element e : children(role, "id")) {
      InstanceId id = idOrNull(e);
      if (id == null) {
        continue;
      }
      ids.add(id);
      if (ins.isEmpty() && InsKind.fromOid(id.root()).isPresent() && id.extension().isPresent()) {
        try {
          ins = Optional.of(Ins.parse(id.extension().get(), id.root()));
        } catch (InvalidInsException wrongKey) {
          // Kept among the raw ids: the validator reports the bad INS; reading still shows the document.
        }
      }
    }
    if (ids.isEmpty()) {
      throw missing("recordTarget/patientRole/id", "patient identifier");
    }
    Element patient = child(role, "patient").orElseThrow(() -> missing("recordTarget/patientRole/patient", "patient"));
    Optional<Element> name = child(patient, "name");
    Optional<String> family = Optional.empty();
    Optional<String> usedFamily = Optional.empty();
    Optional<String> usedGiven = Optional.empty();
    List<String> birthGiven = new ArrayList<>();
    List<String> firstGiven = new ArrayList<>();
    if (name.isPresent()) {
      for (Element f : children(name.get(), "family")) {
        String q = f.getAttribute("qualifier");
        String v = CdaXml.text(f);
        if ("CL".equals(q)) {
          usedFamily = Optional.of(v).filter(s -> !s.isEmpty());
        } else if (family.isEmpty() || "BR".equals(q)) {
          family = Optional.of(v).filter(s -> !s.isEmpty());
        }
      }
      for (Element g : children(name.get(), "given")) {
        String q = g.getAttribute("qualifier");
        String v = CdaXml.text(g);
        if (v.isEmpty()) {
          continue;
        }
        switch (q) {
          case "CL" -> usedGiven = Optional.of(v);
          case "BR" -> firstGiven.add(v);
          // INS convention: the unqualified given holds every birth given name, space separated.
          default -> birthGiven.addAll(List.of(v.split(" ")));
        }
      }
    }
    List<String> given = birthGiven.isEmpty() ? firstGiven : birthGiven;
    return new CdaPatient(ids, ins, family, given, usedFamily, usedGiven,
        child(patient, "birthTime").flatMap(e -> attr(e, "value")).flatMap(Hl7Time::parseDate),
        child(patient, "administrativeGenderCode").flatMap(e -> attr(e, "code")).map(Sex::fromCode).orElse(Sex.UNKNOWN));
  }

  private static List<Author> authors(Element root) throws CdaException {
    List<Author> out = new ArrayList<>();
    for (Element a : children(root, "author")) {
      Element assigned = child(a, "assignedAuthor").orElseThrow(() -> missing("author/assignedAuthor", "author"));
      InstanceId id = child(assigned, "id").map(CdaReader::idOrNull)
          .orElseThrow(() -> missing("author/assignedAuthor/id", "author identifier (e.g. RPPS)"));
      out.add(new Author(id,
          path(assigned, "assignedPerson", "name").map(CdaReader::personName),
          child(assigned, "code").flatMap(CdaReader::optionalCode),
          child(assigned, "representedOrganization").flatMap(CdaReader::organization)));
    }
    if (out.isEmpty()) {
      throw missing("author", "author");
    }
    return out;
  }

  private static Organization custodian(Element root) throws CdaException {
    Element org = path(root, "custodian", "assignedCustodian", "representedCustodianOrganization")
        .orElseThrow(() -> missing("custodian/assignedCustodian/representedCustodianOrganization", "custodian organisation"));
    return organization(org).orElseThrow(() -> missing("representedCustodianOrganization/id and name", "custodian identity"));
  }

  private static Optional<Organization> organization(Element org) {
    InstanceId id = child(org, "id").map(CdaReader::idOrNull).orElse(null);
    Optional<String> name = child(org, "name").map(CdaXml::text).filter(n -> !n.isEmpty());
    return id == null || name.isEmpty() ? Optional.empty() : Optional.of(new Organization(id, name.get()));
  }

  private static PersonName personName(Element name) {
    List<String> given = children(name, "given").stream().map(CdaXml::text).filter(s -> !s.isEmpty()).toList();
    return new PersonName(
        child(name, "prefix").map(CdaXml::text).filter(s -> !s.isEmpty()),
        given,
        child(name, "family").map(CdaXml::text).orElse(""),
        child(name, "suffix").map(CdaXml::text).filter(s -> !s.isEmpty()));
  }

  /**
   * The base64 text of a non-XML body as bytes, without the XML whitespace that wraps it, in one
   * pass over a text that is megabytes long for a PDF (no regex, no intermediate string). Any
   * other character stays, a non-ASCII one as {@code '!'} (a cast would alias it to a base64
   * letter), so the strict decoder still refuses a body that is not base64.
   */
  static byte[] base64Bytes(String text) {
    byte[] out = new byte[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0B) {
        out[n++] = c < 0x80 ? (byte) c : (byte) '!';
      }
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  private static CdaBody body(Element root) throws CdaException {
    Element component = child(root, "component").orElseThrow(() -> missing("component", "document body"));
    Optional<Element> nonXml = child(component, "nonXMLBody");
    if (nonXml.isPresent()) {
      Element text = child(nonXml.get(), "text").orElseThrow(() -> missing("nonXMLBody/text", "embedded file"));
      if (child(text, "reference").isPresent()) {
        throw new CdaException(Reason.INVALID_VALUE,
            "the nonXMLBody refers to an external file instead of embedding it; only embedded (base64) bodies are supported");
      }
      String mediaType = attr(text, "mediaType").orElse("text/plain");
      String representation = attr(text, "representation").orElse("TXT");
      if (!"B64".equals(representation)) {
        return new CdaBody.NonXmlBody(mediaType, text.getTextContent().getBytes(StandardCharsets.UTF_8));
      }
      try {
        // Strict decoding once line breaks are removed: garbage must not pass as a truncated PDF.
        return new CdaBody.NonXmlBody(mediaType, Base64.getDecoder().decode(base64Bytes(text.getTextContent())));
      } catch (IllegalArgumentException e) {
        throw new CdaException(Reason.INVALID_VALUE, "the nonXMLBody is not valid base64: " + e.getMessage(), e);
      }
    }
    Element structured = child(component, "structuredBody").orElseThrow(() -> new CdaException(Reason.INVALID_VALUE,
        "component holds neither a nonXMLBody (level 1) nor a structuredBody (level 3)"));
    return new CdaBody.StructuredBody(sections(structured));
  }

  private static List<Section> sections(Element parent) {
    List<Section> out = new ArrayList<>();
    for (Element component : children(parent, "component")) {
      child(component, "section").ifPresent(s -> out.add(new Section(
          child(s, "code").flatMap(CdaReader::optionalCode),
          children(s, "templateId").stream().map(t -> t.getAttribute("root")).filter(r -> !r.isBlank()).toList(),
          child(s, "title").map(CdaXml::text).filter(t -> !t.isEmpty()),
          child(s, "text").map(Narrative::plainText).orElse(""),
          sections(s))));
    }
    return out;
  }

  private static Element required(Element parent, String name, String what) throws CdaException {
    return child(parent, name).orElseThrow(() -> missing(name, what));
  }

  private static CdaException missing(String element, String what) {
    return new CdaException(Reason.MISSING_HEADER, "not a complete CDA document: the " + what + " ("
        + element + ") is missing");
  }

  private static CdaCode code(Element e, String element) throws CdaException {
    return optionalCode(e).orElseThrow(() -> new CdaException(Reason.MISSING_HEADER,
        "not a complete CDA document: " + element + " needs @code and @codeSystem"));
  }

  private static Optional<CdaCode> optionalCode(Element e) {
    Optional<String> code = attr(e, "code");
    Optional<String> system = attr(e, "codeSystem");
    if (code.isEmpty() || system.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new CdaCode(code.get(), system.get(), attr(e, "displayName")));
  }

  private static InstanceId id(Element e, String element) throws CdaException {
    InstanceId id = idOrNull(e);
    if (id == null) {
      throw new CdaException(Reason.MISSING_HEADER, "not a complete CDA document: " + element + " needs an OID or UUID @root");
    }
    return id;
  }

  /** Null for nullFlavor ids or roots that are neither OIDs nor UUIDs (kept out of the result). */
  private static InstanceId idOrNull(Element e) {
    Optional<String> root = attr(e, "root");
    if (root.isEmpty()) {
      return null;
    }
    try {
      return new InstanceId(root.get(), attr(e, "extension"));
    } catch (IllegalArgumentException notAnOid) {
      return null;
    }
  }

  private static OffsetDateTime time(Element e, String element) throws CdaException {
    return attr(e, "value").flatMap(Hl7Time::parse).orElseThrow(() -> new CdaException(Reason.INVALID_VALUE,
        element + " is not an HL7 timestamp (yyyyMMddHHmmss+zzzz)"));
  }

  private static Optional<Integer> integer(String s) {
    try {
      return Optional.of(Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Flattens CDA narrative blocks to plain text: one line per paragraph, row or list item. */
  static final class Narrative {
    private static final java.util.Set<String> BLOCKS = java.util.Set.of(
        "paragraph", "tr", "item", "caption", "list", "table", "thead", "tbody", "tfoot", "br");

    private Narrative() {}

    static String plainText(Element text) {
      StringBuilder b = new StringBuilder();
      walk(text, b);
      return b.toString().lines().map(l -> l.replaceAll("\\s+", " ").strip()).filter(l -> !l.isEmpty())
          .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static void walk(Node n, StringBuilder b) {
      for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
        if (c.getNodeType() == Node.TEXT_NODE || c.getNodeType() == Node.CDATA_SECTION_NODE) {
          b.append(c.getNodeValue().replace('\n', ' '));
        } else if (c instanceof Element e) {
          String name = e.getLocalName();
          if ("td".equals(name) || "th".equals(name)) {
            b.append(' ');
          }
          walk(e, b);
          if (BLOCKS.contains(name)) {
            b.append('\n');
          } else if ("td".equals(name) || "th".equals(name)) {
            b.append(' ');
          }
        }
      }
    }
  }
}
