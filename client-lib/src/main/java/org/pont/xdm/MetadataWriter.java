package org.pont.xdm;

import static org.pont.xdm.Ebrim.*;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Builds METADATA.XML: an ebRIM 3.0 {@code lcm:SubmitObjectsRequest} with the submission set
 * (RegistryPackage classified as XDSSubmissionSet), one ExtrinsicObject per document and the
 * HasMember associations, laid out as ITI TF-3 4.2.3 and the ITI-41 examples do.
 */
final class MetadataWriter {
  private final Document doc = XmlOut.newDocument();
  private final AtomicInteger ids = new AtomicInteger();

  static Document build(XdmMetadata metadata) {
    return new MetadataWriter().document(metadata);
  }

  private Document document(XdmMetadata m) {
    Element root = doc.createElementNS(LCM, "lcm:SubmitObjectsRequest");
    root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:rim", RIM);
    doc.appendChild(root);
    Element list = rim(root, "RegistryObjectList");
    SubmissionSet ss = m.submissionSet();
    submissionSet(list, ss);
    Element node = rim(list, "Classification");
    node.setAttribute("id", "cl" + ids.incrementAndGet());
    node.setAttribute("objectType", OT_CLASSIFICATION);
    node.setAttribute("classifiedObject", ss.entryUuid());
    node.setAttribute("classificationNode", SUBMISSION_SET);
    for (DocumentEntry e : m.entries()) {
      documentEntry(list, e);
    }
    for (DocumentEntry e : m.entries()) {
      Element a = rim(list, "Association");
      a.setAttribute("id", "as" + ids.incrementAndGet());
      a.setAttribute("objectType", OT_ASSOCIATION);
      a.setAttribute("associationType", HAS_MEMBER);
      a.setAttribute("sourceObject", ss.entryUuid());
      a.setAttribute("targetObject", e.entryUuid());
      slot(a, "SubmissionSetStatus", List.of("Original"));
    }
    return doc;
  }

  private void submissionSet(Element list, SubmissionSet ss) {
    Element p = rim(list, "RegistryPackage");
    p.setAttribute("id", ss.entryUuid());
    p.setAttribute("objectType", OT_REGISTRY_PACKAGE);
    slot(p, "submissionTime", List.of(XdsTime.format(ss.submissionTime())));
    if (!ss.intendedRecipients().isEmpty()) {
      slot(p, "intendedRecipient", ss.intendedRecipients());
    }
    name(p, ss.title());
    for (Author a : ss.authors()) {
      author(p, ss.entryUuid(), SS_AUTHOR, a);
    }
    ss.contentTypeCode().ifPresent(c -> code(p, ss.entryUuid(), SS_CONTENT_TYPE_CODE, c));
    ss.patientId().ifPresent(pid -> externalId(p, ss.entryUuid(), SS_PATIENT_ID, pid.cx(), "XDSSubmissionSet.patientId"));
    externalId(p, ss.entryUuid(), SS_SOURCE_ID, ss.sourceId(), "XDSSubmissionSet.sourceId");
    externalId(p, ss.entryUuid(), SS_UNIQUE_ID, ss.uniqueId(), "XDSSubmissionSet.uniqueId");
  }

  private void documentEntry(Element list, DocumentEntry e) {
    String id = e.entryUuid();
    Element o = rim(list, "ExtrinsicObject");
    o.setAttribute("id", id);
    o.setAttribute("mimeType", e.mimeType());
    o.setAttribute("objectType", DOCUMENT_ENTRY);
    e.creationTime().ifPresent(t -> slot(o, "creationTime", List.of(XdsTime.format(t))));
    e.hash().ifPresent(h -> slot(o, "hash", List.of(h)));
    e.languageCode().ifPresent(l -> slot(o, "languageCode", List.of(l)));
    if (e.size().isPresent()) {
      slot(o, "size", List.of(Long.toString(e.size().getAsLong())));
    }
    e.sourcePatientId().ifPresent(p -> slot(o, "sourcePatientId", List.of(p.cx())));
    if (!e.sourcePatientInfo().isEmpty()) {
      slot(o, "sourcePatientInfo", e.sourcePatientInfo());
    }
    e.uri().ifPresent(u -> slot(o, "URI", List.of(u)));
    name(o, e.title());
    for (Author a : e.authors()) {
      author(o, id, DE_AUTHOR, a);
    }
    e.classCode().ifPresent(c -> code(o, id, DE_CLASS_CODE, c));
    e.confidentialityCodes().forEach(c -> code(o, id, DE_CONFIDENTIALITY_CODE, c));
    e.eventCodes().forEach(c -> code(o, id, DE_EVENT_CODE, c));
    e.formatCode().ifPresent(c -> code(o, id, DE_FORMAT_CODE, c));
    e.healthcareFacilityTypeCode().ifPresent(c -> code(o, id, DE_HEALTHCARE_FACILITY_TYPE_CODE, c));
    e.practiceSettingCode().ifPresent(c -> code(o, id, DE_PRACTICE_SETTING_CODE, c));
    e.typeCode().ifPresent(c -> code(o, id, DE_TYPE_CODE, c));
    e.patientId().ifPresent(p -> externalId(o, id, DE_PATIENT_ID, p.cx(), "XDSDocumentEntry.patientId"));
    externalId(o, id, DE_UNIQUE_ID, e.uniqueId(), "XDSDocumentEntry.uniqueId");
  }

  private void author(Element parent, String classified, String scheme, Author a) {
    Element c = classification(parent, classified, scheme, "");
    a.person().ifPresent(p -> slot(c, "authorPerson", List.of(p)));
    if (!a.institutions().isEmpty()) {
      slot(c, "authorInstitution", a.institutions());
    }
    if (!a.roles().isEmpty()) {
      slot(c, "authorRole", a.roles());
    }
    if (!a.specialties().isEmpty()) {
      slot(c, "authorSpecialty", a.specialties());
    }
    if (!a.telecommunications().isEmpty()) {
      slot(c, "authorTelecommunication", a.telecommunications());
    }
  }

  private void code(Element parent, String classified, String scheme, Code code) {
    checkLength(code.code(), LONG_NAME, "code " + code.code().substring(0, Math.min(20, code.code().length())));
    Element c = classification(parent, classified, scheme, code.code());
    slot(c, "codingScheme", List.of(code.scheme()));
    name(c, code.displayName());
  }

  private Element classification(Element parent, String classified, String scheme, String nodeRepresentation) {
    Element c = rim(parent, "Classification");
    c.setAttribute("id", "cl" + ids.incrementAndGet());
    c.setAttribute("objectType", OT_CLASSIFICATION);
    c.setAttribute("classificationScheme", scheme);
    c.setAttribute("classifiedObject", classified);
    c.setAttribute("nodeRepresentation", nodeRepresentation);
    return c;
  }

  private void externalId(Element parent, String registryObject, String scheme, String value, String label) {
    checkLength(value, LONG_NAME, label);
    Element x = rim(parent, "ExternalIdentifier");
    x.setAttribute("id", "ei" + ids.incrementAndGet());
    x.setAttribute("objectType", OT_EXTERNAL_IDENTIFIER);
    x.setAttribute("identificationScheme", scheme);
    x.setAttribute("registryObject", registryObject);
    x.setAttribute("value", value);
    name(x, Optional.of(label));
  }

  // ebRIM 3.0 (rim.xsd) caps slot values, identifiers and codes (LongName) and names (FreeFormText).
  static final int LONG_NAME = 256;
  static final int FREE_FORM_TEXT = 1024;

  private void slot(Element parent, String name, List<String> values) {
    values.forEach(v -> checkLength(v, LONG_NAME, "slot " + name));
    Element s = rim(parent, "Slot");
    s.setAttribute("name", name);
    Element list = rim(s, "ValueList");
    for (String v : values) {
      rim(list, "Value").setTextContent(v);
    }
  }

  private static void checkLength(String value, int max, String what) {
    if (value.length() > max) {
      // The value itself is not quoted: it may be patient data.
      throw new IllegalArgumentException(what + " is " + value.length() + " characters long; ebRIM allows " + max);
    }
  }

  private void name(Element parent, Optional<String> value) {
    value.ifPresent(v -> checkLength(v, FREE_FORM_TEXT, "a title or display name"));
    value.ifPresent(v -> {
      Element ls = rim(rim(parent, "Name"), "LocalizedString");
      ls.setAttribute("value", v);
      ls.setAttribute("charset", "UTF-8");
    });
  }

  private Element rim(Element parent, String local) {
    Element e = doc.createElementNS(RIM, "rim:" + local);
    parent.appendChild(e);
    return e;
  }
}
