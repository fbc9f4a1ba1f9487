package org.pont.xdm;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.pont.xdm.XdmException.Reason;
import org.pont.xml.SecureXml;
import org.xml.sax.SAXException;

/**
 * Reads an IHE XDM zip (ITI-32) into an {@link XdmPackage}, or refuses it with an
 * {@link XdmException} whose reason says why.
 *
 * <p>Every entry is inflated once, through the {@link XdmLimits} checks (size per entry, total
 * size, compression ratio), counting the bytes that actually come out of the inflater: the sizes
 * the zip headers announce are never trusted. Names are checked before anything is read (no
 * "..", absolute paths, backslashes or drive letters; no duplicates, ignoring case). METADATA.XML is
 * parsed by {@link SecureXml} (no DTD). Each document's SHA-1 and size are checked against the
 * metadata. A second, streaming pass checks that the zip's local headers show the same entries and
 * bytes as its central directory. Nothing is written to disk except, for {@link #read(InputStream)}, a private temporary
 * copy of the zip that is deleted before returning.
 *
 * <p>Thread-safe: a reader holds only its limits.
 */
public final class XdmReader {
  private static final Pattern METADATA = Pattern.compile("ihe_xdm/([^/]+)/metadata\\.xml");
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

  private final XdmLimits limits;

  private XdmReader(XdmLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public static XdmReader withDefaults() {
    return new XdmReader(XdmLimits.DEFAULTS);
  }

  public static XdmReader withLimits(XdmLimits limits) {
    return new XdmReader(limits);
  }

  public XdmLimits limits() {
    return limits;
  }

  /**
   * Reads a package from a stream (e.g. a mail attachment). The zip format needs random access to
   * its central directory, so the stream is first copied, up to {@link XdmLimits#maxTotalBytes()},
   * into a temporary file readable by this user only. {@code in} is read to its end, not closed.
   */
  public XdmPackage read(InputStream in) throws IOException, XdmException {
    Path tmp;
    try {
      tmp = Files.createTempFile("pont-xdm-", ".zip", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      tmp = Files.createTempFile("pont-xdm-", ".zip");
    }
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
          total += n;
          if (total > limits.maxTotalBytes()) {
            throw new XdmException(Reason.TOO_LARGE, "the package is larger than " + limits.maxTotalBytes() + " bytes");
          }
          out.write(buffer, 0, n);
        }
      }
      return read(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads the package in {@code zip}. An unreadable file is an {@link IOException}; a bad package an {@link XdmException}. */
  public XdmPackage read(Path zip) throws IOException, XdmException {
    byte[] magic = new byte[4];
    int got;
    try (InputStream in = Files.newInputStream(zip)) {
      got = in.readNBytes(magic, 0, 4);
    }
    if (got < 4 || magic[0] != 'P' || magic[1] != 'K') {
      throw new XdmException(Reason.NOT_A_ZIP, zip.getFileName() + " is not a zip file (an XDM package is a zip)");
    }
    ZipFile file;
    try {
      file = new ZipFile(zip.toFile());
    } catch (ZipException e) {
      throw corrupt(zip.getFileName() + " is a damaged or truncated zip", e);
    }
    XdmPackage p;
    Map<String, Stored> seen = new HashMap<>();
    try (file) {
      p = read(file, seen);
    }
    checkLocalHeaders(zip, seen);
    return p;
  }

  /**
   * Reads the zip a second time the way streaming readers do (local headers, in file order) and
   * checks they see exactly the entries, and bytes, that the central directory gave: a zip whose
   * two views differ could show another tool a file this reader never checked. Each entry may
   * inflate no more than its central-directory twin did, so this pass is bounded by the first.
   */
  private static void checkLocalHeaders(Path zip, Map<String, Stored> central) throws IOException, XdmException {
    Map<String, Stored> unseen = new HashMap<>(central);
    try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(zip)))) {
      byte[] chunk = new byte[64 * 1024];
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        Stored twin = unseen.remove(e.getName());
        if (twin == null) {
          throw new XdmException(Reason.CORRUPT_ZIP, "the zip's local headers hold '" + printable(e.getName())
              + "', which its central directory does not list (once): tools would disagree on what it contains");
        }
        MessageDigest sha1 = XdmWriter.sha1();
        long count = 0;
        for (int n; (n = in.read(chunk)) != -1; ) {
          count += n;
          if (count > twin.bytes.length) {
            break;
          }
          sha1.update(chunk, 0, n);
        }
        if (count != twin.bytes.length || !HexFormat.of().formatHex(sha1.digest()).equals(twin.sha1)) {
          throw new XdmException(Reason.CORRUPT_ZIP, "'" + twin.name + "' has different content in the zip's local header and "
              + "central directory: tools would disagree on what it contains");
        }
      }
    } catch (ZipException | java.io.EOFException e) {
      throw corrupt("the zip cannot be read entry by entry", e);
    }
    if (!unseen.isEmpty()) {
      throw new XdmException(Reason.CORRUPT_ZIP, "the zip's central directory lists '" + unseen.values().iterator().next().name
          + "', which its local headers do not hold: tools would disagree on what it contains");
    }
  }

  private XdmPackage read(ZipFile file, Map<String, Stored> seen) throws IOException, XdmException {
    if (file.size() > limits.maxEntries()) {
      throw new XdmException(Reason.TOO_MANY_ENTRIES, "the zip has " + file.size() + " entries; at most " + limits.maxEntries() + " are accepted");
    }
    List<ZipEntry> entries = new ArrayList<>();
    Map<String, String> folded = new HashMap<>();
    for (Enumeration<? extends ZipEntry> en = file.entries(); en.hasMoreElements(); ) {
      ZipEntry e = en.nextElement();
      if (entries.size() >= limits.maxEntries()) {
        throw new XdmException(Reason.TOO_MANY_ENTRIES, "the zip has more than " + limits.maxEntries() + " entries");
      }
      checkName(e.getName(), "zip entry");
      String key = fold(e.getName());
      String previous = folded.putIfAbsent(key, e.getName());
      if (previous != null && !e.isDirectory()) {
        throw new XdmException(Reason.DUPLICATE_ENTRY, "the zip holds '" + previous + "' and '" + e.getName()
            + "': two entries with the same name (ignoring case), so readers may not see the same document");
      }
      entries.add(e);
    }

    // Inflate everything once, under the limits, so that no entry of an accepted package is a bomb.
    Map<String, Stored> files = new LinkedHashMap<>();
    long[] total = {0};
    for (ZipEntry e : entries) {
      Stored s = inflate(file, e, total);
      seen.put(e.getName(), s);
      if (!e.isDirectory()) {
        files.put(fold(e.getName()), s);
      }
    }

    List<String> warnings = new ArrayList<>();
    String metadataKey = metadataEntry(files);
    Stored metadataFile = files.get(metadataKey);
    String subset = metadataFile.name.substring(0, metadataFile.name.length() - "METADATA.XML".length());
    XdmMetadata metadata = MetadataReader.read(metadataFile.bytes, metadataFile.name, warnings);

    List<DocumentEntry> read = new ArrayList<>();
    Map<String, DocumentContent> documents = new HashMap<>();
    List<String> used = new ArrayList<>(List.of(metadataKey));
    for (DocumentEntry e : metadata.entries()) {
      String uri = e.uri().orElseThrow();
      checkName(uri, "document URI of " + e.uniqueId());
      String key = fold(subset + uri);
      Stored doc = files.get(key);
      if (doc == null && files.containsKey(fold(uri))) {
        key = fold(uri);
        doc = files.get(key);
        warnings.add("document " + e.uniqueId() + ": URI '" + uri + "' is relative to the zip root, not to " + subset);
      }
      if (doc == null) {
        throw new XdmException(Reason.MISSING_DOCUMENT, "METADATA.XML describes document " + e.uniqueId() + " as '" + subset + uri
            + "', but the zip has no such file");
      }
      if (e.hash().isPresent() && !e.hash().get().equals(doc.sha1)) {
        throw new XdmException(Reason.HASH_MISMATCH, doc.name + " does not match its metadata: SHA-1 " + doc.sha1
            + ", METADATA.XML says " + e.hash().get() + "; the document was altered or the metadata is wrong");
      }
      if (e.size().isPresent() && e.size().getAsLong() != doc.bytes.length) {
        throw new XdmException(Reason.SIZE_MISMATCH, doc.name + " is " + doc.bytes.length + " bytes, METADATA.XML says "
            + e.size().getAsLong());
      }
      if (e.hash().isEmpty() || e.size().isEmpty()) {
        warnings.add("document " + e.uniqueId() + ": METADATA.XML gives no " + (e.hash().isEmpty() ? "hash" : "size")
            + "; the document could not be checked against it");
      }
      if (documents.containsKey(e.entryUuid())) {
        throw new XdmException(Reason.MALFORMED_METADATA, "two document entries share the id " + e.entryUuid());
      }
      used.add(key);
      DocumentEntry located = e.located(uri, doc.sha1, doc.bytes.length);
      read.add(located);
      documents.put(e.entryUuid(), new DocumentContent(doc.bytes, doc.sha1));
    }
    checkOnePatient(metadata.submissionSet(), read);
    conventions(files, used, warnings);
    return new XdmPackage(metadata.submissionSet(), read, documents, warnings);
  }

  private String metadataEntry(Map<String, Stored> files) throws XdmException {
    List<String> found = new ArrayList<>();
    for (String key : files.keySet()) {
      Matcher m = METADATA.matcher(key);
      if (m.matches()) {
        found.add(key);
      }
    }
    if (found.size() > 1) {
      throw new XdmException(Reason.MULTIPLE_SUBMISSION_SETS, "the zip holds " + found.size() + " submission sets ("
          + String.join(", ", found.stream().map(k -> files.get(k).name).toList())
          + "); Pont reads packages with one (MSSanté: one patient per message)");
    }
    if (found.isEmpty()) {
      List<String> nearMisses = files.values().stream().map(s -> s.name)
          .filter(n -> fold(n).contains("metadata.xml")).toList();
      throw new XdmException(Reason.NO_METADATA, "not an XDM package: no IHE_XDM/SUBSETnn/METADATA.XML"
          + (nearMisses.isEmpty() ? "" : "; found " + nearMisses
              + ", which is not inside a folder of IHE_XDM/ (a '/' missing after the subset folder name?)"));
    }
    return found.get(0);
  }

  private static void checkOnePatient(SubmissionSet ss, List<DocumentEntry> entries) throws XdmException {
    Optional<PatientId> set = ss.patientId();
    for (DocumentEntry e : entries) {
      if (set.isPresent() && e.patientId().isPresent() && !same(set.get(), e.patientId().get())) {
        throw new XdmException(Reason.PATIENT_MISMATCH, "document " + e.uniqueId()
            + " is about another patient than its submission set (MSSanté: one patient per message)");
      }
    }
  }

  private static boolean same(PatientId a, PatientId b) {
    return a.id().equals(b.id()) && a.assigningAuthority().equals(b.assigningAuthority());
  }

  /** ITI-32 asks for README.TXT and INDEX.HTM; their absence or flaws harm no document, so they are warnings. */
  private static void conventions(Map<String, Stored> files, List<String> used, List<String> warnings) {
    Stored readme = files.get("readme.txt");
    Stored index = files.get("index.htm");
    if (readme == null) {
      warnings.add("README.TXT is missing at the root of the zip (IHE ITI-32 asks for one)");
    }
    if (index == null) {
      warnings.add("INDEX.HTM is missing at the root of the zip (IHE ITI-32 asks for one)");
    } else {
      try {
        SecureXml.parse(new ByteArrayInputStream(index.bytes));
      } catch (SAXException e) {
        String m = String.valueOf(e.getMessage());
        warnings.add(m.contains("DOCTYPE")
            ? "INDEX.HTM declares a DOCTYPE, so it was not checked as XHTML"
            : "INDEX.HTM is not well-formed XHTML (" + m + "); it is only an index for people, the documents were read from METADATA.XML");
      } catch (IOException e) {
        warnings.add("INDEX.HTM cannot be read: " + e.getMessage());
      }
    }
    for (Map.Entry<String, Stored> f : files.entrySet()) {
      if (!used.contains(f.getKey()) && f.getValue() != readme && f.getValue() != index) {
        warnings.add(f.getValue().name + " is not described by METADATA.XML; ignored");
      }
    }
  }

  /** Inflates one entry, enforcing the limits on the bytes as they come out of the inflater. */
  private Stored inflate(ZipFile file, ZipEntry e, long[] total) throws XdmException {
    String name = e.getName();
    // The JDK reads at most the central directory's compressed size for an entry, so it bounds the real ratio.
    long compressed = Math.max(e.getCompressedSize(), 1);
    // Header sizes only size the first buffer (capped by what the compressed size can honestly
    // inflate to, so a lying header cannot make us allocate); the limits below count real bytes.
    long ratio = limits.maxCompressionRatio();
    long plausible = Math.min(limits.maxEntryBytes(), compressed > Long.MAX_VALUE / ratio ? Long.MAX_VALUE : compressed * ratio);
    int hint = (int) Math.min(Math.max(e.getSize(), 0), Math.min(plausible, Integer.MAX_VALUE - 8));
    Buffer out = new Buffer(hint);
    MessageDigest sha1 = XdmWriter.sha1();
    // METADATA.XML becomes a DOM (several times its size in memory): it has its own, smaller limit.
    boolean metadata = METADATA.matcher(fold(name)).matches();
    long max = metadata ? Math.min(limits.maxMetadataBytes(), limits.maxEntryBytes()) : limits.maxEntryBytes();
    long count = 0;
    try (InputStream in = file.getInputStream(e)) {
      byte[] chunk = new byte[64 * 1024];
      for (int n; (n = in.read(chunk)) != -1; ) {
        count += n;
        total[0] += n;
        if (count > max) {
          throw new XdmException(Reason.TOO_LARGE, name + " inflates to more than " + max + " bytes, the most accepted for "
              + (metadata ? "metadata" : "one file"));
        }
        if (total[0] > limits.maxTotalBytes()) {
          throw new XdmException(Reason.TOO_LARGE, "the package inflates to more than " + limits.maxTotalBytes()
              + " bytes in total, the most accepted");
        }
        if (count > XdmLimits.RATIO_CHECK_FLOOR && count / compressed > limits.maxCompressionRatio()) {
          throw new XdmException(Reason.ZIP_BOMB, name + " inflates more than " + limits.maxCompressionRatio()
              + " times its compressed size (" + compressed + " bytes): refused as a zip bomb");
        }
        sha1.update(chunk, 0, n);
        out.write(chunk, 0, n);
      }
    } catch (ZipException | java.io.EOFException ex) {
      throw corrupt(name + " is damaged in the zip", ex);
    } catch (IOException ex) {
      throw new XdmException(Reason.CORRUPT_ZIP, name + " cannot be inflated (" + ex.getMessage() + ")", ex);
    }
    return new Stored(name, out.toArray(), HexFormat.of().formatHex(sha1.digest()));
  }

  private static XdmException corrupt(String what, IOException e) {
    if (String.valueOf(e.getMessage()).contains("encrypted")) {
      return new XdmException(Reason.CORRUPT_ZIP, "the zip has password-encrypted entries, which Pont cannot read; "
          + "XDM packages are not encrypted inside the zip (S/MIME protects the whole message)", e);
    }
    return new XdmException(Reason.CORRUPT_ZIP, what + " (" + e.getMessage() + "); ask the sender to send it again", e);
  }

  /** Refuses names that could escape a folder they are extracted to, or mean different files on different systems. */
  static void checkName(String name, String what) throws XdmException {
    String problem = null;
    if (name.isEmpty()) {
      problem = "is empty";
    } else if (name.indexOf('\\') >= 0) {
      problem = "uses backslashes (zip names use '/'; '\\' can escape the folder on Windows)";
    } else if (name.startsWith("/")) {
      problem = "is an absolute path";
    } else if (DRIVE.matcher(name).matches()) {
      problem = "starts with a drive letter";
    } else if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      problem = "contains control characters";
    } else {
      String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
      for (String segment : trimmed.split("/", -1)) {
        if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
          problem = "has a '" + segment + "' path segment";
          break;
        }
      }
      if (problem == null && name.contains(":")) {
        problem = "contains ':' (a URL or a Windows stream name, not a path inside the package)";
      }
    }
    if (problem != null) {
      throw new XdmException(Reason.PATH_TRAVERSAL, what + " '" + printable(name) + "' " + problem + "; refused");
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(200).forEach(c -> b.append(c < 0x20 || c == 0x7f ? "?" : Character.toString(c)));
    return b.toString();
  }

  private static String fold(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private record Stored(String name, byte[] bytes, String sha1) {}

  /** A byte buffer that hands over its array without a copy when the size hint was right. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(Math.max(size, 32));
    }

    byte[] toArray() {
      return count == buf.length ? buf : Arrays.copyOf(buf, count);
    }
  }
}
