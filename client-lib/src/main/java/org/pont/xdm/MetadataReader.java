package org.pont.xdm;

import static org.pont.xdm.Ebrim.*;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.pont.xdm.XdmException.Reason;
import org.pont.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads METADATA.XML (ebRIM 3.0) into the typed model, tolerating what real packages do: ids that
 * are not {@code urn:uuid:}, symbolic ids ("SubmissionSet"), classifications placed inside or
 * beside the object they classify, and the optional attributes of XDM "limited metadata".
 * Tolerated oddities become warnings; missing essentials are refusals.
 */
final class MetadataReader {
  private static final Pattern SHA1_HEX = Pattern.compile("[0-9a-fA-F]{40}");

  private final List<String> warnings;
  private final Map<String, List<Element>> classifications = new HashMap<>();
  private final Map<String, List<Element>> externalIds = new HashMap<>();

  private MetadataReader(List<String> warnings) {
    this.warnings = warnings;
  }

  /** Parses METADATA.XML through {@link SecureXml}; adds tolerated oddities to {@code warnings}. */
  static XdmMetadata read(byte[] xml, String path, List<String> warnings) throws XdmException {
    Document doc;
    try {
      doc = SecureXml.parse(new ByteArrayInputStream(xml));
    } catch (SAXException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("DOCTYPE")) {
        throw new XdmException(Reason.XML_DTD_REFUSED, path + " declares a DOCTYPE; Pont refuses DTDs in metadata "
            + "(they enable external entity and entity expansion attacks) and XDS metadata never needs one", e);
      }
      String where = e instanceof SAXParseException p ? " (line " + p.getLineNumber() + ")" : "";
      throw new XdmException(Reason.MALFORMED_METADATA, path + " is not well-formed XML" + where + ": " + m, e);
    } catch (IOException e) {
      throw new XdmException(Reason.MALFORMED_METADATA, path + " cannot be read: " + e.getMessage(), e);
    }
    return new MetadataReader(warnings).metadata(doc, path);
  }

  private XdmMetadata metadata(Document doc, String path) throws XdmException {
    List<Element> packages = elements(doc, "RegistryPackage");
    List<Element> objects = elements(doc, "ExtrinsicObject");
    if (packages.isEmpty() && objects.isEmpty()) {
      Element root = doc.getDocumentElement();
      throw new XdmException(Reason.MALFORMED_METADATA, path + " holds no ebRIM 3.0 objects (root element "
          + root.getLocalName() + " in namespace " + root.getNamespaceURI() + "); XDM metadata is an ebRIM 3.0 SubmitObjectsRequest");
    }
    for (Element c : elements(doc, "Classification")) {
      classifications.computeIfAbsent(owner(c, "classifiedObject"), k -> new ArrayList<>()).add(c);
    }
    for (Element x : elements(doc, "ExternalIdentifier")) {
      externalIds.computeIfAbsent(owner(x, "registryObject"), k -> new ArrayList<>()).add(x);
    }
    Element set = submissionSetPackage(packages, path);
    SubmissionSet ss = submissionSet(set);
    List<DocumentEntry> entries = new ArrayList<>();
    for (Element o : objects) {
      entries.add(documentEntry(o));
    }
    if (entries.isEmpty()) {
      throw new XdmException(Reason.MALFORMED_METADATA, path + " describes no document (no ExtrinsicObject)");
    }
    return new XdmMetadata(ss, entries);
  }

  private Element submissionSetPackage(List<Element> packages, String path) throws XdmException {
    List<String> ids = new ArrayList<>();
    classifications.values().stream().flatMap(List::stream)
        .filter(c -> SUBMISSION_SET.equals(c.getAttribute("classificationNode")))
        .forEach(c -> ids.add(c.getAttribute("classifiedObject")));
    List<Element> sets = packages.stream().filter(p -> ids.contains(p.getAttribute("id"))).toList();
    if (sets.size() > 1) {
      throw new XdmException(Reason.MULTIPLE_SUBMISSION_SETS, path + " holds " + sets.size() + " submission sets; one is expected");
    }
    if (sets.size() == 1) {
      return sets.get(0);
    }
    List<Element> notFolders = packages.stream()
        .filter(p -> classificationsOf(p).stream().noneMatch(c -> FOLDER.equals(c.getAttribute("classificationNode"))))
        .toList();
    if (notFolders.size() == 1) {
      warnings.add(path + ": the RegistryPackage is not classified as XDSSubmissionSet (" + SUBMISSION_SET + "); read as the submission set");
      return notFolders.get(0);
    }
    throw new XdmException(Reason.MALFORMED_METADATA, path + " has no submission set (a RegistryPackage classified "
        + SUBMISSION_SET + ")");
  }

  private SubmissionSet submissionSet(Element p) throws XdmException {
    String what = "the submission set";
    Map<String, List<String>> slots = slots(p);
    String time = first(slots, "submissionTime")
        .orElseThrow(() -> malformed(what + " has no submissionTime"));
    List<Author> authors = authors(p, SS_AUTHOR, what);
    try {
      return new SubmissionSet(
          p.getAttribute("id"),
          externalId(p, SS_UNIQUE_ID).orElseThrow(() -> malformed(what + " has no uniqueId (ExternalIdentifier " + SS_UNIQUE_ID + ")")),
          externalId(p, SS_SOURCE_ID).orElseThrow(() -> malformed(what + " has no sourceId (ExternalIdentifier " + SS_SOURCE_ID + ")")),
          time(time, what + " submissionTime"),
          code(p, SS_CONTENT_TYPE_CODE, what + " contentTypeCode"),
          patientId(externalId(p, SS_PATIENT_ID), what),
          authors,
          slots.getOrDefault("intendedRecipient", List.of()),
          name(p));
    } catch (IllegalArgumentException e) {
      throw malformed(what + ": " + e.getMessage());
    }
  }

  private DocumentEntry documentEntry(Element o) throws XdmException {
    String id = o.getAttribute("id");
    String objectType = o.getAttribute("objectType");
    if (!DOCUMENT_ENTRY.equals(objectType)) {
      warnings.add("document entry " + id + " has objectType '" + objectType + "', not the XDSDocumentEntry type " + DOCUMENT_ENTRY);
    }
    Optional<String> uniqueId = externalId(o, DE_UNIQUE_ID);
    String what = "document entry " + uniqueId.orElse(id);
    if (uniqueId.isEmpty()) {
      throw malformed(what + " has no uniqueId (ExternalIdentifier " + DE_UNIQUE_ID + ")");
    }
    Map<String, List<String>> slots = slots(o);
    String mimeType = Text.optional(o.getAttribute("mimeType")).orElseThrow(() -> malformed(what + " has no mimeType"));
    String uri = uri(slots.getOrDefault("URI", List.of())).orElseThrow(() -> malformed(what + " has no URI slot naming its file"));
    Optional<String> hash = first(slots, "hash");
    if (hash.isPresent() && !SHA1_HEX.matcher(hash.get()).matches()) {
      throw malformed(what + " hash is not a SHA-1 in hex: '" + hash.get() + "'");
    }
    OptionalLong size = OptionalLong.empty();
    Optional<String> sizeSlot = first(slots, "size");
    if (sizeSlot.isPresent()) {
      try {
        size = OptionalLong.of(Long.parseLong(sizeSlot.get()));
      } catch (NumberFormatException e) {
        throw malformed(what + " size is not a number: '" + sizeSlot.get() + "'");
      }
    }
    Optional<Instant> creation = Optional.empty();
    Optional<String> creationSlot = first(slots, "creationTime");
    if (creationSlot.isPresent()) {
      creation = Optional.of(time(creationSlot.get(), what + " creationTime"));
    }
    Optional<PatientId> sourcePatientId = Optional.empty();
    try {
      sourcePatientId = first(slots, "sourcePatientId").map(PatientId::parse);
    } catch (IllegalArgumentException e) {
      warnings.add(what + ": sourcePatientId ignored, " + e.getMessage());
    }
    try {
      return new DocumentEntry(id, uniqueId.get(), mimeType, Optional.of(uri), hash, size,
          code(o, DE_CLASS_CODE, what + " classCode"),
          code(o, DE_TYPE_CODE, what + " typeCode"),
          code(o, DE_FORMAT_CODE, what + " formatCode"),
          codes(o, DE_CONFIDENTIALITY_CODE, what + " confidentialityCode"),
          codes(o, DE_EVENT_CODE, what + " eventCodeList"),
          code(o, DE_HEALTHCARE_FACILITY_TYPE_CODE, what + " healthcareFacilityTypeCode"),
          code(o, DE_PRACTICE_SETTING_CODE, what + " practiceSettingCode"),
          patientId(externalId(o, DE_PATIENT_ID), what),
          sourcePatientId,
          slots.getOrDefault("sourcePatientInfo", List.of()),
          creation,
          authors(o, DE_AUTHOR, what),
          first(slots, "languageCode"),
          name(o));
    } catch (IllegalArgumentException e) {
      throw malformed(what + ": " + e.getMessage());
    }
  }

  /** XDS splits URIs longer than 128 characters over several values prefixed {@code 1|}, {@code 2|}... */
  private static Optional<String> uri(List<String> values) {
    if (values.size() <= 1) {
      return values.stream().findFirst().flatMap(Text::optional);
    }
    String[] parts = new String[values.size()];
    for (String v : values) {
      int bar = v.indexOf('|');
      try {
        int index = Integer.parseInt(v.substring(0, Math.max(bar, 0))) - 1;
        parts[index] = v.substring(bar + 1);
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    return Text.optional(String.join("", parts));
  }

  private Optional<PatientId> patientId(Optional<String> cx, String what) throws XdmException {
    if (cx.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(PatientId.parse(cx.get()));
    } catch (IllegalArgumentException e) {
      throw malformed(what + " patientId is unusable: " + e.getMessage());
    }
  }

  private List<Author> authors(Element owner, String scheme, String what) {
    List<Author> authors = new ArrayList<>();
    for (Element c : classificationsOf(owner)) {
      if (!scheme.equals(c.getAttribute("classificationScheme"))) {
        continue;
      }
      Map<String, List<String>> s = slots(c);
      try {
        authors.add(new Author(first(s, "authorPerson"), s.getOrDefault("authorInstitution", List.of()),
            s.getOrDefault("authorRole", List.of()), s.getOrDefault("authorSpecialty", List.of()),
            s.getOrDefault("authorTelecommunication", List.of())));
      } catch (IllegalArgumentException e) {
        warnings.add(what + ": an author was ignored, " + e.getMessage());
      }
    }
    return authors;
  }

  private Optional<Code> code(Element owner, String scheme, String what) {
    List<Code> codes = codes(owner, scheme, what);
    if (codes.size() > 1) {
      warnings.add(what + " appears " + codes.size() + " times; the first is kept");
    }
    return codes.stream().findFirst();
  }

  private List<Code> codes(Element owner, String scheme, String what) {
    List<Code> codes = new ArrayList<>();
    for (Element c : classificationsOf(owner)) {
      if (!scheme.equals(c.getAttribute("classificationScheme"))) {
        continue;
      }
      Optional<String> value = Text.optional(c.getAttribute("nodeRepresentation"));
      Optional<String> codingScheme = first(slots(c), "codingScheme");
      if (value.isEmpty() || codingScheme.isEmpty()) {
        warnings.add(what + " ignored: it lacks " + (value.isEmpty() ? "a code (nodeRepresentation)" : "a codingScheme slot"));
        continue;
      }
      codes.add(new Code(value.get(), codingScheme.get(), name(c)));
    }
    return codes;
  }

  private Optional<String> externalId(Element owner, String scheme) {
    return externalIds.getOrDefault(owner.getAttribute("id"), List.of()).stream()
        .filter(x -> scheme.equals(x.getAttribute("identificationScheme")))
        .map(x -> x.getAttribute("value"))
        .flatMap(v -> Text.optional(v).stream())
        .findFirst();
  }

  private List<Element> classificationsOf(Element owner) {
    return classifications.getOrDefault(owner.getAttribute("id"), List.of());
  }

  private Instant time(String value, String what) throws XdmException {
    try {
      return XdsTime.parse(value);
    } catch (IllegalArgumentException e) {
      throw malformed(what + ": " + e.getMessage());
    }
  }

  /** The object a classification or identifier belongs to: its attribute, else the element it sits in. */
  private static String owner(Element e, String attribute) {
    String id = e.getAttribute(attribute);
    if (!id.isEmpty()) {
      return id;
    }
    Node parent = e.getParentNode();
    return parent instanceof Element p ? p.getAttribute("id") : "";
  }

  private static Map<String, List<String>> slots(Element owner) {
    Map<String, List<String>> slots = new HashMap<>();
    for (Element slot : children(owner, "Slot")) {
      List<String> values = new ArrayList<>();
      for (Element list : children(slot, "ValueList")) {
        for (Element v : children(list, "Value")) {
          Text.optional(v.getTextContent()).ifPresent(values::add);
        }
      }
      slots.computeIfAbsent(slot.getAttribute("name"), k -> new ArrayList<>()).addAll(values);
    }
    return slots;
  }

  private static Optional<String> first(Map<String, List<String>> slots, String name) {
    return slots.getOrDefault(name, List.of()).stream().findFirst();
  }

  private static Optional<String> name(Element owner) {
    for (Element n : children(owner, "Name")) {
      for (Element ls : children(n, "LocalizedString")) {
        Optional<String> v = Text.optional(ls.getAttribute("value"));
        if (v.isPresent()) {
          return v;
        }
      }
    }
    return Optional.empty();
  }

  private static List<Element> children(Element parent, String local) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && RIM.equals(e.getNamespaceURI()) && local.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<Element> elements(Document doc, String local) {
    NodeList nodes = doc.getElementsByTagNameNS(RIM, local);
    List<Element> out = new ArrayList<>(nodes.getLength());
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add((Element) nodes.item(i));
    }
    return out;
  }

  private static XdmException malformed(String message) {
    return new XdmException(Reason.MALFORMED_METADATA, message);
  }
}
