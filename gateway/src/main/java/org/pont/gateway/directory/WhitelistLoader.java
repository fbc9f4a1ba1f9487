package org.pont.gateway.directory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.pont.gateway.directory.WhitelistException.Reason;
import org.pont.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Loads the ANS whitelist XML from a file, bytes or an http(s) URL, verifying the published
 * SHA-256 {@code checksum} first when one is given.
 *
 * <p>Truncation: the published file has been seen without its closing
 * {@code </ListeBlancheMSSante>} while its checksum matched. Such a document fails strict XML
 * parsing. When, and only when, the checksum was verified, the loader keeps the complete
 * {@code <Domaine>} elements (everything up to the last {@code </Domaine>}), closes the document
 * itself, parses that strictly, and records a warning in {@link Whitelist#warnings()}. Without a
 * verified checksum a truncated document is refused as {@link Reason#MALFORMED}: we cannot tell
 * a publisher's bug from a cut download. See ADR 0007.
 */
public final class WhitelistLoader {
  public static final String NAMESPACE = "https://listeblanche.mssante.fr/schema";
  private static final String ROOT = "ListeBlancheMSSante";

  private final HttpClient http;

  public WhitelistLoader() {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL).build());
  }

  public WhitelistLoader(HttpClient http) {
    this.http = http;
  }

  /** Loads {@code xml}; when {@code checksum} is present its SHA-256 must match first. */
  public Whitelist load(Path xml, Optional<Path> checksum) throws WhitelistException {
    byte[] bytes = read(xml);
    Optional<String> expected = checksum.isEmpty() ? Optional.empty()
        : Optional.of(new String(read(checksum.get()), StandardCharsets.US_ASCII));
    return parse(bytes, expected);
  }

  /** Fetches {@code xml} over http(s); when {@code checksum} is present its SHA-256 must match first. */
  public Whitelist load(URI xml, Optional<URI> checksum) throws WhitelistException {
    byte[] bytes = fetch(xml);
    Optional<String> expected = checksum.isEmpty() ? Optional.empty()
        : Optional.of(new String(fetch(checksum.get()), StandardCharsets.US_ASCII));
    return parse(bytes, expected);
  }

  /**
   * Parses {@code xml}; {@code expectedSha256} is the content of the published checksum file
   * (hex digest, optionally followed by a file name as {@code sha256sum} writes it).
   */
  public Whitelist parse(byte[] xml, Optional<String> expectedSha256) throws WhitelistException {
    boolean verified = false;
    if (expectedSha256.isPresent()) {
      String expected = expectedSha256.get().strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
      String actual = sha256(xml);
      if (!expected.equals(actual)) {
        throw new WhitelistException(Reason.CHECKSUM_MISMATCH,
            "whitelist SHA-256 is " + actual + " but the published checksum says " + expected);
      }
      verified = true;
    }
    List<String> warnings = new ArrayList<>();
    Document doc;
    try {
      doc = SecureXml.parse(new ByteArrayInputStream(xml));
    } catch (SAXException e) {
      refuseDoctype(e);
      Optional<byte[]> recovered = verified ? recoverTruncated(xml) : Optional.empty();
      if (recovered.isEmpty()) {
        throw new WhitelistException(Reason.MALFORMED, "whitelist is not well-formed XML"
            + (verified ? "" : " (a truncated file is recovered only when its checksum is verified)")
            + ": " + e.getMessage(), e);
      }
      try {
        doc = SecureXml.parse(new ByteArrayInputStream(recovered.get()));
      } catch (SAXException | IOException again) {
        throw new WhitelistException(Reason.MALFORMED, "whitelist is not well-formed XML: " + e.getMessage(), e);
      }
      warnings.add("whitelist is truncated (" + e.getMessage() + "); its checksum matched, so the complete"
          + " <Domaine> elements were kept and the document closed by Pont");
    } catch (IOException e) {
      throw new WhitelistException(Reason.UNREADABLE, "cannot read whitelist: " + e.getMessage(), e);
    }
    try {
      return fromDocument(doc, warnings);
    } catch (IllegalArgumentException e) {
      throw new WhitelistException(Reason.MALFORMED, "whitelist: " + e.getMessage(), e);
    }
  }

  private static void refuseDoctype(SAXException e) throws WhitelistException {
    String m = String.valueOf(e.getMessage());
    if (m.contains("DOCTYPE") || m.contains("external entity")) {
      throw new WhitelistException(Reason.DTD_REFUSED, "whitelist declares a DOCTYPE, which Pont refuses: " + m, e);
    }
  }

  /** The document cut after its last complete {@code </Domaine>} and closed; empty if it cannot be. */
  private static Optional<byte[]> recoverTruncated(byte[] xml) {
    String text = new String(xml, StandardCharsets.UTF_8);
    if (text.contains("</" + ROOT + ">")) {
      return Optional.empty(); // complete yet malformed: nothing to recover
    }
    int last = text.lastIndexOf("</Domaine>");
    if (last < 0) {
      return Optional.empty();
    }
    String closed = text.substring(0, last + "</Domaine>".length()) + "</ListeDomaines></" + ROOT + ">";
    return Optional.of(closed.getBytes(StandardCharsets.UTF_8));
  }

  private static Whitelist fromDocument(Document doc, List<String> warnings) throws WhitelistException {
    Element root = doc.getDocumentElement();
    if (!ROOT.equals(root.getLocalName()) || !NAMESPACE.equals(root.getNamespaceURI())) {
      throw new WhitelistException(Reason.MALFORMED, "whitelist root must be {" + NAMESPACE + "}" + ROOT
          + ", found {" + root.getNamespaceURI() + "}" + root.getLocalName());
    }
    Instant generated = text(root, "DateDeGeneration").map(s -> instant(s, "DateDeGeneration"))
        .orElseThrow(() -> new WhitelistException(Reason.MALFORMED, "whitelist lacks DateDeGeneration"));
    NodeList nodes = root.getElementsByTagNameNS(NAMESPACE, "Domaine");
    List<WhitelistDomain> domains = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      Element d = (Element) nodes.item(i);
      String name = text(d, "Nom").orElseThrow(() ->
          new WhitelistException(Reason.MALFORMED, "whitelist domain lacks Nom"));
      String dn = text(d, "DNCertificatOperateur").orElseThrow(() ->
          new WhitelistException(Reason.MALFORMED, "whitelist domain " + name + " lacks DNCertificatOperateur"));
      X500Principal principal;
      try {
        principal = new X500Principal(dn);
      } catch (IllegalArgumentException e) {
        throw new WhitelistException(Reason.MALFORMED, "whitelist domain " + name + " has an invalid DN: " + dn, e);
      }
      domains.add(new WhitelistDomain(name.toLowerCase(Locale.ROOT), text(d, "Description").orElse(""),
          principal, text(d, "ResponsableContact").orElse(""), text(d, "SupportContact").orElse(""),
          text(d, "DateMAJ").map(s -> instant(s, "DateMAJ"))));
    }
    if (domains.isEmpty()) {
      throw new WhitelistException(Reason.EMPTY, "whitelist lists no domain; refusing it rather than refusing all mail");
    }
    return new Whitelist(generated, domains, warnings);
  }

  private static Instant instant(String s, String field) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " is not an ISO instant: " + s, e);
    }
  }

  private static Optional<String> text(Element parent, String local) {
    NodeList l = parent.getElementsByTagNameNS(NAMESPACE, local);
    if (l.getLength() == 0) {
      return Optional.empty();
    }
    String t = l.item(0).getTextContent().strip();
    return t.isEmpty() ? Optional.empty() : Optional.of(t);
  }

  private static byte[] read(Path p) throws WhitelistException {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new WhitelistException(Reason.UNREADABLE, "cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private byte[] fetch(URI uri) throws WhitelistException {
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new WhitelistException(Reason.UNREADABLE, "whitelist URL must be http(s): " + uri);
    }
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new WhitelistException(Reason.UNREADABLE, "GET " + uri + " answered HTTP " + r.statusCode());
      }
      return r.body();
    } catch (IOException e) {
      throw new WhitelistException(Reason.UNREADABLE, "cannot fetch " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WhitelistException(Reason.UNREADABLE, "interrupted while fetching " + uri, e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
