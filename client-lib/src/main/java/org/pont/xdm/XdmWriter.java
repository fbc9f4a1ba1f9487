package org.pont.xdm;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.xml.transform.TransformerException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes an IHE XDM package (ITI-32 zip): {@code README.TXT}, {@code INDEX.HTM}, then
 * {@code IHE_XDM/SUBSET01/DOC0001.XML, DOC0002.PDF...} streamed from their sources, then
 * {@code IHE_XDM/SUBSET01/METADATA.XML}. Each document's SHA-1, size and URI are computed while
 * it streams, which is why METADATA.XML comes last (zip readers find entries by name, not order).
 *
 * <pre>{@code
 * XdmMetadata written = XdmWriter.of(submissionSet)
 *     .add(cdaEntry, DocumentSource.of(cdaBytes))
 *     .add(pdfEntry, DocumentSource.of(pdfPath))
 *     .writeTo(out);
 * }</pre>
 *
 * <p>Not thread-safe; one writer per package.
 */
public final class XdmWriter {
  static final String SUBSET = "IHE_XDM/SUBSET01/";

  private final SubmissionSet submissionSet;
  private final List<DocumentEntry> entries = new ArrayList<>();
  private final List<DocumentSource> sources = new ArrayList<>();
  private XdmLimits limits = XdmLimits.DEFAULTS;
  private String contact = "";

  private XdmWriter(SubmissionSet submissionSet) {
    this.submissionSet = Objects.requireNonNull(submissionSet, "submissionSet");
  }

  public static XdmWriter of(SubmissionSet submissionSet) {
    return new XdmWriter(submissionSet);
  }

  /** Adds a document; its entry's uri, hash and size are ignored and computed from the content. */
  public XdmWriter add(DocumentEntry entry, DocumentSource content) {
    entries.add(Objects.requireNonNull(entry, "entry"));
    sources.add(Objects.requireNonNull(content, "content"));
    return this;
  }

  /** Refuses documents larger than receivers accept (default: {@link XdmLimits#DEFAULTS}). */
  public XdmWriter limits(XdmLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /** Who to contact about this package (ITI-32 asks README.TXT to say), e.g. an organisation and a mail address. */
  public XdmWriter contact(String contact) {
    this.contact = Objects.requireNonNull(contact, "contact").strip();
    return this;
  }

  /** Writes the zip to a file; on failure the file is deleted rather than left half-written. */
  public XdmMetadata writeTo(Path zip) throws IOException, XdmException {
    boolean done = false;
    try (OutputStream out = Files.newOutputStream(zip)) {
      XdmMetadata metadata = writeTo(out);
      done = true;
      return metadata;
    } finally {
      if (!done) {
        Files.deleteIfExists(zip);
      }
    }
  }

  /**
   * Writes the zip to {@code out} (left open) and returns the metadata it holds, with each entry's
   * computed URI, hash and size. On failure {@code out} holds an incomplete zip: discard it.
   *
   * @throws XdmException TOO_LARGE when a document exceeds {@link XdmLimits#maxEntryBytes()}
   * @throws IllegalArgumentException when metadata MSSanté receivers need is missing
   */
  public XdmMetadata writeTo(OutputStream out) throws IOException, XdmException {
    checkMetadata();
    List<String> names = new ArrayList<>();
    List<DocumentEntry> placeholders = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      names.add(String.format(Locale.ROOT, "DOC%04d.%s", i + 1, extension(entries.get(i).mimeType())));
      placeholders.add(entries.get(i).located(names.get(i), "0".repeat(40), 0));
    }
    // Build the metadata once before streaming anything, so that a value ebRIM cannot hold fails
    // here rather than after 25 MB have been written.
    MetadataWriter.build(new XdmMetadata(submissionSet, placeholders));
    LocalDateTime time = LocalDateTime.ofInstant(submissionSet.submissionTime(), ZoneOffset.UTC);
    ZipOutputStream zip = new ZipOutputStream(new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush(); // the caller owns out
      }
    }, StandardCharsets.UTF_8);
    try (zip) {
      directory(zip, "IHE_XDM/", time);
      directory(zip, SUBSET, time);
      put(zip, "README.TXT", time, readme(names).getBytes(StandardCharsets.UTF_8));
      put(zip, "INDEX.HTM", time, xml(index(names)));
      List<DocumentEntry> written = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        ZipEntry ze = new ZipEntry(SUBSET + names.get(i));
        ze.setTimeLocal(time);
        if (alreadyCompressed(entries.get(i).mimeType())) {
          // PDFs and images do not deflate: store them. A stored entry needs its CRC and size up
          // front, so the source is read twice (a CRC pass, then the copy); if its bytes change in
          // between, ZipOutputStream refuses the entry.
          stored(ze, sources.get(i), i);
        }
        zip.putNextEntry(ze);
        MessageDigest sha1 = sha1();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = sources.get(i).open()) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            size += n;
            if (size > limits.maxEntryBytes()) {
              throw tooLarge(i);
            }
            sha1.update(buffer, 0, n);
            zip.write(buffer, 0, n);
          }
        }
        zip.closeEntry();
        written.add(entries.get(i).located(names.get(i), HexFormat.of().formatHex(sha1.digest()), size));
      }
      XdmMetadata metadata = new XdmMetadata(submissionSet, written);
      put(zip, SUBSET + "METADATA.XML", time, xml(MetadataWriter.build(metadata)));
      zip.finish();
      return metadata;
    }
  }

  private void checkMetadata() {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("an XDM package needs at least one document");
    }
    PatientId patient = submissionSet.patientId()
        .orElseThrow(() -> new IllegalArgumentException("the submission set has no patientId (MSSanté: one patient per message)"));
    Set<String> uuids = new HashSet<>();
    Set<String> uniqueIds = new HashSet<>();
    uuids.add(submissionSet.entryUuid());
    for (int i = 0; i < entries.size(); i++) {
      DocumentEntry e = entries.get(i);
      List<String> missing = new ArrayList<>();
      if (e.patientId().isEmpty()) missing.add("patientId");
      if (e.classCode().isEmpty()) missing.add("classCode");
      if (e.typeCode().isEmpty()) missing.add("typeCode");
      if (e.formatCode().isEmpty()) missing.add("formatCode");
      if (e.confidentialityCodes().isEmpty()) missing.add("confidentialityCode");
      if (e.creationTime().isEmpty()) missing.add("creationTime");
      if (e.healthcareFacilityTypeCode().isEmpty()) missing.add("healthcareFacilityTypeCode");
      if (e.practiceSettingCode().isEmpty()) missing.add("practiceSettingCode");
      if (e.languageCode().isEmpty()) missing.add("languageCode");
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("document " + (i + 1) + " (" + e.uniqueId() + ") lacks " + String.join(", ", missing));
      }
      if (!e.patientId().get().equals(patient)) {
        throw new IllegalArgumentException("document " + (i + 1) + " is about another patient than the submission set");
      }
      if (!uuids.add(e.entryUuid()) || !uniqueIds.add(e.uniqueId())) {
        throw new IllegalArgumentException("document " + (i + 1) + " repeats the entryUuid or uniqueId of another");
      }
    }
  }

  private void stored(ZipEntry ze, DocumentSource source, int i) throws IOException, XdmException {
    CRC32 crc = new CRC32();
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = source.open()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        size += n;
        if (size > limits.maxEntryBytes()) {
          throw tooLarge(i);
        }
        crc.update(buffer, 0, n);
      }
    }
    ze.setMethod(ZipEntry.STORED);
    ze.setSize(size);
    ze.setCompressedSize(size);
    ze.setCrc(crc.getValue());
  }

  private XdmException tooLarge(int i) {
    return new XdmException(XdmException.Reason.TOO_LARGE, "document " + (i + 1) + " (" + entries.get(i).mimeType()
        + ") is larger than " + limits.maxEntryBytes() + " bytes, the most receivers accept");
  }

  private static boolean alreadyCompressed(String mimeType) {
    String m = mimeType.toLowerCase(Locale.ROOT);
    return m.equals("application/pdf") || m.startsWith("image/") || m.startsWith("video/") || m.startsWith("audio/") || m.endsWith("zip");
  }

  static String extension(String mimeType) {
    String m = mimeType.toLowerCase(Locale.ROOT);
    if (m.equals("text/xml") || m.equals("application/xml") || m.endsWith("+xml")) return "XML";
    if (m.equals("application/pdf")) return "PDF";
    if (m.equals("text/plain")) return "TXT";
    if (m.equals("text/html")) return "HTM";
    if (m.equals("image/jpeg")) return "JPG";
    if (m.equals("image/png")) return "PNG";
    if (m.equals("image/tiff")) return "TIF";
    return "BIN";
  }

  private String readme(List<String> names) {
    StringBuilder s = new StringBuilder();
    s.append("IHE XDM package (IHE ITI-32), written by Pont.\r\n\r\n");
    if (!contact.isEmpty()) {
      s.append("Contact: ").append(contact).append("\r\n");
    }
    s.append("Sending system (sourceId): ").append(submissionSet.sourceId()).append("\r\n");
    s.append("Created (UTC): ").append(submissionSet.submissionTime()).append("\r\n\r\n");
    s.append("Contents:\r\n");
    s.append("  README.TXT                      this file\r\n");
    s.append("  INDEX.HTM                       index of the documents, for a web browser\r\n");
    s.append("  IHE_XDM/SUBSET01/METADATA.XML   XDS metadata (ebRIM 3.0 SubmitObjectsRequest)\r\n");
    for (int i = 0; i < names.size(); i++) {
      s.append(String.format(Locale.ROOT, "  %-31s %s\r\n", SUBSET + names.get(i), entries.get(i).mimeType()));
    }
    return s.toString();
  }

  /** A small XHTML page linking each document; built as DOM so every title is escaped. */
  private Document index(List<String> names) {
    String xhtml = "http://www.w3.org/1999/xhtml";
    Document doc = XmlOut.newDocument();
    Element html = doc.createElementNS(xhtml, "html");
    doc.appendChild(html);
    Element head = child(html, "head");
    child(head, "title").setTextContent("XDM package");
    Element body = child(html, "body");
    child(body, "h1").setTextContent(submissionSet.title().orElse("XDM package"));
    child(body, "p").setTextContent("Documents sent by " + submissionSet.sourceId() + " on " + submissionSet.submissionTime() + " (UTC).");
    Element ul = child(body, "ul");
    for (int i = 0; i < names.size(); i++) {
      DocumentEntry e = entries.get(i);
      Element a = child(child(ul, "li"), "a");
      a.setAttribute("href", SUBSET + names.get(i));
      a.setTextContent(e.title().orElse(names.get(i)) + " (" + e.mimeType() + ")");
    }
    Element p = child(body, "p");
    Element meta = child(p, "a");
    meta.setAttribute("href", SUBSET + "METADATA.XML");
    meta.setTextContent("Metadata (METADATA.XML)");
    Element readme = child(child(body, "p"), "a");
    readme.setAttribute("href", "README.TXT");
    readme.setTextContent("About this package (README.TXT)");
    return doc;
  }

  private static Element child(Element parent, String name) {
    Element e = parent.getOwnerDocument().createElementNS(parent.getNamespaceURI(), name);
    parent.appendChild(e);
    return e;
  }

  private static byte[] xml(Document doc) {
    var out = new java.io.ByteArrayOutputStream();
    try {
      XmlOut.write(doc, out);
    } catch (TransformerException e) {
      throw new IllegalStateException("cannot serialise generated XML", e);
    }
    return out.toByteArray();
  }

  private static void directory(ZipOutputStream zip, String name, LocalDateTime time) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setTimeLocal(time);
    zip.putNextEntry(e);
    zip.closeEntry();
  }

  private static void put(ZipOutputStream zip, String name, LocalDateTime time, byte[] content) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setTimeLocal(time);
    zip.putNextEntry(e);
    zip.write(content);
    zip.closeEntry();
  }

  static MessageDigest sha1() {
    try {
      // SHA-1 because XDS metadata defines the hash slot as SHA-1; it checks integrity, not authenticity.
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }
}
