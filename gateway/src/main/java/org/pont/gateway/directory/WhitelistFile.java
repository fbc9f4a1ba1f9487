package org.pont.gateway.directory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.pont.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Writes a local whitelist in the ANS format ({@code ListeBlancheMSSante}), for a trust space
 * of one's own: the gateway's first start writes one naming its own domain, and
 * {@code pont whitelist add} appends a peer operator. The file is what {@link WhitelistLoader}
 * reads; a real ANS snapshot can replace it as is.
 */
public final class WhitelistFile {

  private WhitelistFile() {}

  /** Writes a new whitelist holding one domain, unless {@code file} exists; true if written. */
  public static boolean createIfAbsent(Path file, String domain, X500Principal operatorDn, String description)
      throws IOException {
    if (Files.exists(file)) {
      return false;
    }
    Document doc = SecureXml.newDocumentBuilder().newDocument();
    Element root = doc.createElementNS(WhitelistLoader.NAMESPACE, "ListeBlancheMSSante");
    doc.appendChild(root);
    child(doc, root, "DateDeGeneration", now());
    root.appendChild(doc.createElementNS(WhitelistLoader.NAMESPACE, "ListeDomaines"));
    appendDomain(doc, domain, operatorDn, description);
    write(doc, file);
    return true;
  }

  /**
   * Adds {@code domain} served by the operator whose certificate subject is {@code operatorDn}
   * (a domain may have several operators). Returns false if that pair is already listed.
   */
  public static boolean add(Path file, String domain, X500Principal operatorDn, String description)
      throws IOException, WhitelistException {
    String d = domain.strip().toLowerCase(Locale.ROOT);
    Whitelist current = new WhitelistLoader().load(file, java.util.Optional.empty());
    if (current.isOperatorOf(d, operatorDn)) {
      return false;
    }
    Document doc;
    try {
      doc = SecureXml.parse(new ByteArrayInputStream(Files.readAllBytes(file)));
    } catch (SAXException e) {
      throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
    }
    NodeList generated = doc.getDocumentElement().getElementsByTagNameNS(WhitelistLoader.NAMESPACE, "DateDeGeneration");
    if (generated.getLength() > 0) {
      generated.item(0).setTextContent(now());
    }
    appendDomain(doc, d, operatorDn, description);
    write(doc, file);
    return true;
  }

  /**
   * Removes the entries of {@code domain}: all of them, or only the one of {@code operatorDn}
   * when given. Returns how many were removed (0 if none matched; the file is then untouched).
   */
  public static int remove(Path file, String domain, java.util.Optional<X500Principal> operatorDn) throws IOException {
    String d = domain.strip().toLowerCase(Locale.ROOT);
    Document doc;
    try {
      doc = SecureXml.parse(new ByteArrayInputStream(Files.readAllBytes(file)));
    } catch (SAXException e) {
      throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
    }
    NodeList entries = doc.getDocumentElement().getElementsByTagNameNS(WhitelistLoader.NAMESPACE, "Domaine");
    java.util.List<Element> gone = new java.util.ArrayList<>();
    for (int i = 0; i < entries.getLength(); i++) {
      Element e = (Element) entries.item(i);
      if (text(e, "Nom").strip().toLowerCase(Locale.ROOT).equals(d)
          && operatorDn.map(dn -> sameDn(text(e, "DNCertificatOperateur"), dn)).orElse(true)) {
        gone.add(e);
      }
    }
    if (gone.isEmpty()) {
      return 0;
    }
    gone.forEach(e -> e.getParentNode().removeChild(e));
    NodeList generated = doc.getDocumentElement().getElementsByTagNameNS(WhitelistLoader.NAMESPACE, "DateDeGeneration");
    if (generated.getLength() > 0) {
      generated.item(0).setTextContent(now());
    }
    write(doc, file);
    return gone.size();
  }

  private static String text(Element parent, String name) {
    NodeList n = parent.getElementsByTagNameNS(WhitelistLoader.NAMESPACE, name);
    return n.getLength() == 0 ? "" : n.item(0).getTextContent();
  }

  private static boolean sameDn(String written, X500Principal dn) {
    try {
      // X500Principal equality compares canonical forms: spacing and case of the text do not matter.
      return new X500Principal(written.strip()).equals(dn);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void appendDomain(Document doc, String domain, X500Principal dn, String description) {
    NodeList lists = doc.getDocumentElement().getElementsByTagNameNS(WhitelistLoader.NAMESPACE, "ListeDomaines");
    Element list = (Element) lists.item(0);
    Element d = doc.createElementNS(WhitelistLoader.NAMESPACE, "Domaine");
    child(doc, d, "Nom", domain.strip().toLowerCase(Locale.ROOT));
    child(doc, d, "Description", description);
    // RFC 2253 form: what the ANS file carries (CN=...,OU=...,O=...,C=FR).
    child(doc, d, "DNCertificatOperateur", dn.getName(X500Principal.RFC2253));
    child(doc, d, "DateMAJ", now());
    list.appendChild(d);
  }

  private static void child(Document doc, Element parent, String name, String text) {
    Element e = doc.createElementNS(WhitelistLoader.NAMESPACE, name);
    e.setTextContent(text);
    parent.appendChild(e);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static void write(Document doc, Path file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Transformer t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.INDENT, "yes");
      t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      t.transform(new DOMSource(doc), new StreamResult(out));
    } catch (TransformerException e) {
      throw new IOException("cannot write the whitelist " + file, e);
    }
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    Files.write(tmp, out.toByteArray());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
