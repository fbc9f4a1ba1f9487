package org.pont.xdm;

import java.io.OutputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;

/** Building and serialising the XML files Pont writes (no parsing here: input goes through SecureXml). */
final class XmlOut {
  private XmlOut() {}

  // Looked up once: newInstance() scans every jar of the class path for a provider on each call,
  // which was 14 % of the gateway's CPU under load (two XML files per submitted message). JAXP
  // factories are not documented as thread-safe, so creating builders/transformers is serialised;
  // the builders and transformers themselves are used by one thread only.
  private static final DocumentBuilderFactory BUILDERS = builders();
  private static final TransformerFactory TRANSFORMERS = transformers();

  private static DocumentBuilderFactory builders() {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f;
  }

  private static TransformerFactory transformers() {
    TransformerFactory f = TransformerFactory.newInstance();
    try {
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    } catch (javax.xml.transform.TransformerConfigurationException e) {
      throw new IllegalStateException("the XML transformer cannot run in secure-processing mode", e);
    }
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
    return f;
  }

  static Document newDocument() {
    try {
      synchronized (BUILDERS) {
        return BUILDERS.newDocumentBuilder().newDocument();
      }
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK cannot create an XML document", e);
    }
  }

  /** Writes {@code doc} as indented UTF-8 with an XML declaration; does not close {@code out}. */
  static void write(Document doc, OutputStream out) throws TransformerException {
    doc.setXmlStandalone(true); // no DTD, nothing external: say so in the declaration
    Transformer t;
    synchronized (TRANSFORMERS) {
      t = TRANSFORMERS.newTransformer();
    }
    t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
    t.setOutputProperty(OutputKeys.INDENT, "yes");
    t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
    t.transform(new DOMSource(doc), new StreamResult(out));
  }
}
