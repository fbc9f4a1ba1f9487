package org.pont.cda;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pont.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** Parsing CDA bytes with {@link SecureXml} and walking HL7 v3 elements; shared by reader and validator. */
final class CdaXml {
  static final String HL7 = "urn:hl7-org:v3";
  static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  private CdaXml() {}

  /** Parses and checks the root is an HL7 v3 ClinicalDocument. */
  static Document parseCda(byte[] xml) throws CdaException {
    Document doc;
    try {
      doc = SecureXml.parse(new ByteArrayInputStream(xml));
    } catch (SAXException e) {
      String why = String.valueOf(e.getMessage());
      if (why.contains("DOCTYPE")) { // entities can only be declared in a DOCTYPE, so this covers XXE and expansion
        throw new CdaException(CdaException.Reason.DOCTYPE_REFUSED,
            "the document declares a DOCTYPE or entities, which CDA documents never need and Pont refuses", e);
      }
      throw new CdaException(CdaException.Reason.MALFORMED_XML, "not well-formed XML: " + why, e);
    } catch (IOException e) {
      throw new CdaException(CdaException.Reason.MALFORMED_XML, "the document could not be read: " + e.getMessage(), e);
    }
    Element root = doc.getDocumentElement();
    if (!HL7.equals(root.getNamespaceURI()) || !"ClinicalDocument".equals(root.getLocalName())) {
      throw new CdaException(CdaException.Reason.NOT_A_CDA, "the root element is {" + root.getNamespaceURI() + "}"
          + root.getLocalName() + ", not a CDA R2 {" + HL7 + "}ClinicalDocument");
    }
    return doc;
  }

  /** HL7 child elements of {@code parent} named {@code name}, in document order. */
  static List<Element> children(Node parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && HL7.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  static Optional<Element> child(Node parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && HL7.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Follows a path of HL7 child names, taking the first match at each step. */
  static Optional<Element> path(Node from, String... names) {
    Optional<Element> at = from instanceof Element e ? Optional.of(e) : Optional.empty();
    for (String name : names) {
      if (at.isEmpty()) {
        return at;
      }
      at = child(at.get(), name);
    }
    return at;
  }

  /** An attribute's value, empty when absent or blank. */
  static Optional<String> attr(Element e, String name) {
    String v = e.getAttribute(name);
    return v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  /** The element's text with runs of whitespace collapsed, as people read it. */
  static String text(Node e) {
    return e.getTextContent().replaceAll("\\s+", " ").strip();
  }
}
