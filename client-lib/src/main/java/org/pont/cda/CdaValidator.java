package org.pont.cda;

import com.helger.commons.io.resource.FileSystemResource;
import com.helger.schematron.sch.SchematronProviderXSLTFromSCH;
import com.helger.schematron.sch.TransformerCustomizerSCH;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.transform.ErrorListener;
import javax.xml.transform.Source;
import javax.xml.transform.Templates;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import net.sf.saxon.om.NodeInfo;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import org.pont.cda.ValidationReport.Failure;
import org.pont.cda.ValidationReport.Origin;
import org.pont.cda.ValidationReport.Severity;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.message.InvalidInsException;
import org.pont.xml.SecureXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Validates CDA documents against the ANS CI-SIS schematrons (ISO Schematron, XSLT 2 binding),
 * plus Pont's own rule that the patient is identified by a valid INS.
 *
 * <p>Built from the ANS {@code schematrons/} folder (published by ANS next to its value sets in
 * {@code jeuxDeValeurs/}). Each schematron is compiled once — ph-schematron turns it into XSLT,
 * Saxon-HE compiles that — and the compiled form is reused: compilation takes seconds, a run
 * takes milliseconds. The compiled stylesheet keeps the schematron file as its base URI, so the
 * value-set paths the ANS files use ({@code '../jeuxDeValeurs/JDV_....xml'}) resolve against the
 * schematron's own folder, not the working directory. Thread-safe.
 */
public final class CdaValidator {
  private static final Logger LOG = LoggerFactory.getLogger(CdaValidator.class);
  private static final String SVRL = "http://purl.oclc.org/dsdl/svrl";

  /** The profile every CI-SIS document must meet; the only one for level-1 (PDF body) documents. */
  public static final String GENERIC_PROFILE = "profils/CI-SIS_ModelesDeContenusCDA.sch";

  /** Document templateId root → ANS content model ("volet") whose schematron checks it. */
  private static final Map<String, String> VOLETS = Map.of(
      "1.2.250.1.213.1.1.1.29", "LDL-SES",
      "1.2.250.1.213.1.1.1.21", "LDL-EES",
      "1.2.250.1.213.1.1.1.39", "EP-MED-DM",
      "1.2.250.1.213.1.1.1.45", "IMG-CR-IMG");
  /** The schematron version used when a document's templateId carries no (known) version. */
  private static final Map<String, String> DEFAULT_VERSIONS = Map.of(
      "LDL-SES", "2022.01", "LDL-EES", "2022.01", "EP-MED-DM", "2024.01", "IMG-CR-IMG", "2024.01");

  /** Errors surface as CdaException with Saxon's message; nothing is printed to standard error. */
  private static final ErrorListener QUIET = new ErrorListener() {
    @Override
    public void warning(TransformerException e) {
      LOG.debug("schematron warning: {}", e.getMessage());
    }

    @Override
    public void error(TransformerException e) throws TransformerException {
      throw e;
    }

    @Override
    public void fatalError(TransformerException e) throws TransformerException {
      throw e;
    }
  };

  private final Path folder;
  private final Map<Path, Templates> compiled = new ConcurrentHashMap<>();
  // Saxon explicitly: the JDK's XSLT 1 processor cannot run the XSLT 2 binding ANS uses.
  private final net.sf.saxon.TransformerFactoryImpl saxon = new net.sf.saxon.TransformerFactoryImpl();
  private final Processor processor = new Processor(saxon.getConfiguration());
  /** Value sets read by document(): parsed once, shared by every run (they are read-only). */
  private final Map<String, NodeInfo> valueSets = new ConcurrentHashMap<>();

  private CdaValidator(Path folder) {
    this.folder = folder;
    saxon.setErrorListener(QUIET);
  }

  /**
   * A validator over an ANS schematron folder (the one holding {@code profils/} and the
   * {@code CI-SIS_*.sch} files). Nothing is compiled until first use; see {@link #precompile}.
   */
  public static CdaValidator fromDirectory(Path schematronFolder) throws CdaException {
    Path dir = schematronFolder.toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve(GENERIC_PROFILE))) {
      throw new CdaException(CdaException.Reason.SCHEMATRON_NOT_FOUND, dir + " is not an ANS schematron folder (no "
          + GENERIC_PROFILE + "): download the CI-SIS schematrons and value sets from ANS and point to their schematrons/ folder");
    }
    return new CdaValidator(dir);
  }

  public Path folder() {
    return folder;
  }

  /** Compiles the given schematrons now (e.g. at start-up) so the first validation is fast. */
  public void precompile(Path... schematrons) throws CdaException {
    for (Path p : schematrons) {
      templates(resolve(p));
    }
  }

  /** Validates with the schematron of the document's type (see {@link #schematronFor(byte[])}). */
  public ValidationReport validate(byte[] cda) throws CdaException {
    Document doc = CdaXml.parseCda(cda);
    return run(doc, schematronFor(doc));
  }

  /** Validates with an explicit schematron, absolute or relative to the schematron folder. */
  public ValidationReport validate(byte[] cda, Path schematron) throws CdaException {
    Document doc = CdaXml.parseCda(cda);
    return run(doc, resolve(schematron));
  }

  /** The schematron that checks this document's type; the generic profile when none is specific. */
  public Path schematronFor(byte[] cda) throws CdaException {
    return schematronFor(CdaXml.parseCda(cda));
  }

  private Path schematronFor(Document doc) {
    for (Element t : CdaXml.children(doc.getDocumentElement(), "templateId")) {
      String volet = VOLETS.get(t.getAttribute("root"));
      if (volet == null) {
        continue;
      }
      Optional<String> version = CdaXml.attr(t, "extension");
      if (version.isPresent()) {
        Path p = folder.resolve("CI-SIS_" + volet + "_" + version.get() + ".sch");
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
      Path p = folder.resolve("CI-SIS_" + volet + "_" + DEFAULT_VERSIONS.get(volet) + ".sch");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    // Level 1 (nonXMLBody) and structured types without a specific schematron: the common profile.
    return folder.resolve(GENERIC_PROFILE);
  }

  private Path resolve(Path schematron) throws CdaException {
    Path p = folder.resolve(schematron).toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new CdaException(CdaException.Reason.SCHEMATRON_NOT_FOUND, "no schematron at " + p);
    }
    return p;
  }

  private ValidationReport run(Document doc, Path schematron) throws CdaException {
    Templates templates = templates(schematron);
    long start = System.nanoTime();
    DOMResult result = new DOMResult();
    try {
      // Saxon runs much faster on its own tree than through a DOM wrapper: copy the checked DOM once.
      XdmNode tree = processor.newDocumentBuilder().build(new DOMSource(doc, "urn:pont:validated-document"));
      Transformer transformer = templates.newTransformer();
      transformer.setURIResolver(this::resolveValueSet);
      transformer.setErrorListener(QUIET);
      transformer.transform(tree.asSource(), result);
    } catch (TransformerException | SaxonApiException e) {
      throw new CdaException(CdaException.Reason.SCHEMATRON_BROKEN,
          "schematron " + folder.relativize(schematron) + " failed while running: " + e.getMessage(), e);
    }
    List<Failure> failures = new ArrayList<>();
    int fired = collect(result.getNode(), failures);
    pontRules(doc, failures);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    String name = schematron.startsWith(folder) ? folder.relativize(schematron).toString() : schematron.toString();
    LOG.debug("validated a CDA document with {} in {} ms: {} failures", name, elapsed.toMillis(), failures.size());
    return new ValidationReport(name, failures, fired, elapsed);
  }

  private Templates templates(Path schematron) throws CdaException {
    Templates t = compiled.get(schematron);
    if (t != null) {
      return t;
    }
    synchronized (compiled) {
      t = compiled.get(schematron);
      if (t == null) {
        t = compile(schematron);
        compiled.put(schematron, t);
      }
      return t;
    }
  }

  private Templates compile(Path schematron) throws CdaException {
    long start = System.nanoTime();
    Document xslt;
    try {
      xslt = SchematronProviderXSLTFromSCH.createSchematronXSLT(new FileSystemResource(schematron.toFile()),
          new TransformerCustomizerSCH());
    } catch (TransformerException | RuntimeException e) {
      throw new CdaException(CdaException.Reason.SCHEMATRON_BROKEN,
          "schematron " + schematron + " does not compile: " + e.getMessage(), e);
    }
    if (xslt == null) {
      throw new CdaException(CdaException.Reason.SCHEMATRON_BROKEN,
          "schematron " + schematron + " does not compile (a missing include or an invalid file); see the log for details");
    }
    try {
      // The base URI is the schematron file, so document('../jeuxDeValeurs/...') reads the ANS value sets.
      Templates templates = saxon.newTemplates(new DOMSource(xslt, schematron.toUri().toString()));
      LOG.info("compiled schematron {} in {} ms", schematron.getFileName(), Duration.ofNanos(System.nanoTime() - start).toMillis());
      return templates;
    } catch (TransformerConfigurationException e) {
      throw new CdaException(CdaException.Reason.SCHEMATRON_BROKEN,
          "schematron " + schematron + " produced an XSLT that does not compile: " + e.getMessageAndLocation(), e);
    }
  }

  /**
   * Resolves document() calls of the schematrons. Value sets are parsed once and kept; only local
   * files are read, so a schematron cannot make the validator fetch from the network.
   */
  private Source resolveValueSet(String href, String base) throws TransformerException {
    URI uri;
    try {
      uri = (base == null || base.isEmpty() ? new URI(href) : new URI(base).resolve(href)).normalize();
    } catch (URISyntaxException e) {
      throw new TransformerException("not a URI: " + href, e);
    }
    if (!"file".equals(uri.getScheme())) {
      throw new TransformerException("schematron tried to read " + uri + ": only local value-set files are allowed");
    }
    NodeInfo cached = valueSets.get(uri.toString());
    if (cached != null) {
      return cached;
    }
    try (InputStream in = Files.newInputStream(Path.of(uri))) {
      Document parsed = SecureXml.parse(in);
      NodeInfo node = processor.newDocumentBuilder().build(new DOMSource(parsed, uri.toString())).getUnderlyingNode();
      valueSets.putIfAbsent(uri.toString(), node);
      return node;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new TransformerException("value set " + uri + " is missing: the schematron folder is incomplete", e);
    } catch (IOException | SAXException | SaxonApiException e) {
      throw new TransformerException("cannot read value set " + uri + ": " + e.getMessage(), e);
    }
  }

  /** Reads SVRL failed-asserts and successful-reports; returns the number of fired rules. */
  private static int collect(Node svrl, List<Failure> into) {
    int fired = 0;
    for (Node n = svrl.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && SVRL.equals(e.getNamespaceURI())) {
        switch (e.getLocalName()) {
          case "fired-rule" -> fired++;
          case "failed-assert" -> into.add(failure(e, Severity.ERROR));
          case "successful-report" -> into.add(failure(e, Severity.WARNING));
          default -> fired += collect(e, into);
        }
      } else if (n.hasChildNodes()) {
        fired += collect(n, into);
      }
    }
    return fired;
  }

  private static Failure failure(Element e, Severity byDefault) {
    String role = e.getAttribute("role").isBlank() ? e.getAttribute("flag") : e.getAttribute("role");
    Severity severity = switch (role.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "error", "fatal" -> Severity.ERROR;
      case "warning", "warn" -> Severity.WARNING;
      case "info", "information" -> Severity.INFO;
      default -> byDefault;
    };
    StringBuilder text = new StringBuilder();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element t && SVRL.equals(t.getNamespaceURI()) && "text".equals(t.getLocalName())) {
        text.append(t.getTextContent());
      }
    }
    // SVRL spells HL7 steps as *:name[namespace-uri()='urn:hl7-org:v3']: show them as plain names.
    String location = e.getAttribute("location").replace("[namespace-uri()='" + CdaXml.HL7 + "']", "").replace("*:", "");
    return new Failure(severity, Origin.SCHEMATRON, location, e.getAttribute("test"),
        text.toString().replaceAll("\\s+", " ").strip());
  }

  /** Pont's own rules: MSSanté needs the patient identified by INS, which some ANS schematrons do not check. */
  private static void pontRules(Document doc, List<Failure> into) {
    String location = "/ClinicalDocument/recordTarget/patientRole";
    Optional<Element> role = CdaXml.path(doc.getDocumentElement(), "recordTarget", "patientRole");
    List<Element> insIds = role.map(r -> CdaXml.children(r, "id")).orElse(List.of()).stream()
        .filter(id -> InsKind.fromOid(id.getAttribute("root")).isPresent())
        .toList();
    if (insIds.isEmpty()) {
      into.add(new Failure(Severity.ERROR, Origin.PONT, location, "pont:patient-has-ins",
          "the patient has no INS (an id whose root is an INS OID: " + insOids()
              + "); MSSanté documents must identify the patient by INS"));
      return;
    }
    for (Element id : insIds) {
      try {
        Ins.parse(id.getAttribute("extension"), id.getAttribute("root"));
      } catch (InvalidInsException e) {
        into.add(new Failure(Severity.ERROR, Origin.PONT, location + "/id", "pont:ins-valid",
            "the patient's INS is invalid (" + e.reason() + "): " + e.getMessage()));
      }
    }
  }

  private static List<String> insOids() {
    return java.util.Arrays.stream(InsKind.values()).map(InsKind::oid).toList();
  }

  @Override
  public String toString() {
    return "CdaValidator[" + folder + ", " + compiled.size() + " compiled]";
  }

}
