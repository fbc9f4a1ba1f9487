package org.pont.cda;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.pont.message.Patient;
import org.pont.message.Sex;
import org.pont.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes CDA R2 with DOM (so text is always escaped) and serialises it as UTF-8. Holds one
 * document under construction; not thread-safe, one instance per document.
 */
final class CdaWriter {
  static final String CI_SIS_HL7_FRANCE = "2.16.840.1.113883.2.8.2.1";
  static final String CI_SIS = "1.2.250.1.213.1.1.1.1";
  static final String LOINC = "2.16.840.1.113883.6.1";

  final Document doc;
  final Element root;

  CdaWriter() {
    doc = SecureXml.newDocumentBuilder().newDocument();
    doc.setXmlStandalone(true); // no standalone="no" in the declaration: CDA has no DTD to stand apart from
    root = doc.createElementNS(CdaXml.HL7, "ClinicalDocument");
    root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:xsi", CdaXml.XSI);
    doc.appendChild(root);
  }

  Element add(Element parent, String name) {
    Element e = doc.createElementNS(CdaXml.HL7, name);
    parent.appendChild(e);
    return e;
  }

  Element add(Element parent, String name, String text) {
    Element e = add(parent, name);
    e.setTextContent(text);
    return e;
  }

  Element attrs(Element e, String... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      e.setAttribute(namesAndValues[i], namesAndValues[i + 1]);
    }
    return e;
  }

  Element id(Element parent, String name, InstanceId id) {
    Element e = attrs(add(parent, name), "root", id.root());
    id.extension().ifPresent(x -> e.setAttribute("extension", x));
    return e;
  }

  Element code(Element parent, String name, CdaCode code) {
    Element e = attrs(add(parent, name), "code", code.code());
    code.displayName().ifPresent(d -> e.setAttribute("displayName", d));
    e.setAttribute("codeSystem", code.codeSystem());
    return e;
  }

  void templateId(Element parent, String root) {
    attrs(add(parent, "templateId"), "root", root);
  }

  void time(Element parent, String name, OffsetDateTime t) {
    attrs(add(parent, name), "value", Hl7Time.format(t));
  }

  void range(Element parent, String name, TimeRange r) {
    Element e = add(parent, name);
    time(e, "low", r.start());
    r.end().ifPresent(end -> time(e, "high", end));
  }

  /** The CI-SIS header, in CDA schema order, up to (not including) the body. */
  void header(CdaHeader h, List<InstanceId> templateIds) {
    attrs(add(root, "realmCode"), "code", "FR");
    attrs(add(root, "typeId"), "root", "2.16.840.1.113883.1.3", "extension", "POCD_HD000040");
    templateIds.forEach(t -> id(root, "templateId", t));
    id(root, "id", h.id());
    code(root, "code", CdaCode.of(h.type()));
    add(root, "title", h.title());
    time(root, "effectiveTime", h.effectiveTime());
    code(root, "confidentialityCode", h.confidentiality());
    attrs(add(root, "languageCode"), "code", h.languageCode());
    id(root, "setId", h.setId());
    attrs(add(root, "versionNumber"), "value", Integer.toString(h.versionNumber()));
    recordTarget(h.patient());

    Element author = add(root, "author");
    time(author, "time", h.effectiveTime());
    Element assigned = add(author, "assignedAuthor");
    id(assigned, "id", h.author().id());
    h.author().specialty().ifPresent(c -> code(assigned, "code", c));
    person(add(assigned, "assignedPerson"), h.author().name().orElseThrow());
    h.author().organization().ifPresent(o -> organization(assigned, "representedOrganization", o));

    Element custodian = add(add(add(root, "custodian"), "assignedCustodian"), "representedCustodianOrganization");
    id(custodian, "id", h.custodian().id());
    add(custodian, "name", h.custodian().name());

    // The author signs: Pont builds documents for the professional who is responsible for them.
    Element legal = add(root, "legalAuthenticator");
    time(legal, "time", h.effectiveTime());
    attrs(add(legal, "signatureCode"), "code", "S");
    Element entity = add(legal, "assignedEntity");
    id(entity, "id", h.author().id());
    person(add(entity, "assignedPerson"), h.author().name().orElseThrow());
    h.author().organization().ifPresent(o -> organization(entity, "representedOrganization", o));

    Element event = add(add(root, "documentationOf"), "serviceEvent");
    serviceEventCode(h).ifPresent(c -> code(event, "code", c));
    range(event, "effectiveTime", h.careperiod());
    Element performer = attrs(add(event, "performer"), "typeCode", "PRF");
    Element performerEntity = add(performer, "assignedEntity");
    id(performerEntity, "id", h.author().id());
    person(add(performerEntity, "assignedPerson"), h.author().name().orElseThrow());
    Element setting = add(performerEntity, "representedOrganization");
    add(setting, "name", h.author().organization().orElse(h.custodian()).name());
    code(setting, "standardIndustryClassCode", h.practiceSetting());

    Element encounter = add(add(root, "componentOf"), "encompassingEncounter");
    range(encounter, "effectiveTime", h.careperiod());
    Element facility = add(add(encounter, "location"), "healthCareFacility");
    code(facility, "code", h.healthcareFacilityType());
  }

  private static Optional<CdaCode> serviceEventCode(CdaHeader h) {
    // A discharge letter documents a hospital stay (HL7 ActCode IMP), as the ANS example does.
    if (h.type().equals(org.pont.message.DocumentType.DISCHARGE_LETTER)) {
      return Optional.of(CdaCode.of("IMP", "2.16.840.1.113883.5.4", "Hospitalisation (établissement, y compris HAD)"));
    }
    return Optional.empty();
  }

  private void recordTarget(Patient p) {
    Element role = add(add(root, "recordTarget"), "patientRole");
    attrs(add(role, "id"), "root", p.ins().kind().oid(), "extension", p.ins().value());
    Element patient = attrs(add(role, "patient"), "classCode", "PSN");
    Element name = add(patient, "name");
    // INS identity traits (CI-SIS): birth family name, all birth given names, then the first one.
    attrs(add(name, "family", p.familyName()), "qualifier", "BR");
    if (!p.givenNames().isEmpty()) {
      add(name, "given", String.join(" ", p.givenNames()));
      attrs(add(name, "given", p.firstGivenName()), "qualifier", "BR");
    }
    code(patient, "administrativeGenderCode", gender(p.sex()));
    attrs(add(patient, "birthTime"), "value", Hl7Time.format(p.birthDate()));
  }

  private static CdaCode gender(Sex sex) {
    // JDV_J143: unknown is "UN" in CDA (XDM and Pont's model say "U").
    return switch (sex) {
      case FEMALE -> CdaCode.of("F", "2.16.840.1.113883.5.1", "Féminin");
      case MALE -> CdaCode.of("M", "2.16.840.1.113883.5.1", "Masculin");
      case UNKNOWN -> CdaCode.of("UN", "2.16.840.1.113883.5.1", "Inconnu");
    };
  }

  private void person(Element parent, PersonName n) {
    Element name = add(parent, "name");
    n.prefix().ifPresent(p -> add(name, "prefix", p));
    n.givenNames().forEach(g -> add(name, "given", g));
    add(name, "family", n.familyName());
    n.suffix().ifPresent(s -> add(name, "suffix", s));
  }

  private void organization(Element parent, String name, Organization o) {
    Element org = add(parent, name);
    id(org, "id", o.id());
    add(org, "name", o.name());
  }

  /** Narrative text: one paragraph per line the caller wrote (DOM escapes every character). */
  void narrative(Element text, String plain) {
    for (String line : plain.strip().split("\\R")) {
      if (!line.isBlank()) {
        add(text, "paragraph", line.strip());
      }
    }
  }

  byte[] toBytes() {
    try {
      TransformerFactory f = TransformerFactory.newDefaultInstance();
      f.setAttribute(javax.xml.XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(javax.xml.XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
      Transformer t = f.newTransformer();
      t.setOutputProperty(OutputKeys.ENCODING, StandardCharsets.UTF_8.name());
      t.setOutputProperty(OutputKeys.INDENT, "yes");
      t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      t.transform(new DOMSource(doc), new StreamResult(out));
      return out.toByteArray();
    } catch (TransformerException e) {
      throw new IllegalStateException("the JDK could not serialise an in-memory DOM", e);
    }
  }
}
