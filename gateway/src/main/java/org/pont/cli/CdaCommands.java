package org.pont.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pont.cda.Author;
import org.pont.cda.CdaBody;
import org.pont.cda.CdaCode;
import org.pont.cda.CdaDocument;
import org.pont.cda.CdaException;
import org.pont.cda.CdaPatient;
import org.pont.cda.CdaReader;
import org.pont.cda.CdaValidator;
import org.pont.cda.Organization;
import org.pont.cda.Section;
import org.pont.cda.ValidationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pont cda inspect|validate}: read and check CDA R2 documents over the client library. */
@Command(name = "cda", mixinStandardHelpOptions = true,
    description = "Inspect and validate CDA R2 clinical documents (ANS CI-SIS).",
    subcommands = {CdaCommands.Inspect.class, CdaCommands.Validate.class})
final class CdaCommands {
  static final int INVALID = 1;
  static final int ERROR = 2;
  static final String SCHEMATRONS_ENV = "PONT_CDA_SCHEMATRONS";

  @Command(name = "inspect", mixinStandardHelpOptions = true,
      description = {"Print a CDA document's header and the outline of its body.",
          "Exit status: 0 read, 1 not a readable CDA document, 2 usage or file error."})
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.xml", description = "The CDA document.")
    Path file;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      CdaDocument d;
      try {
        d = new CdaReader().read(Files.readAllBytes(file));
      } catch (IOException e) {
        err.println("pont: cannot read " + file + ": " + e.getMessage());
        return ERROR;
      } catch (CdaException e) {
        err.println("pont: " + e.reason() + ": " + e.getMessage());
        return INVALID;
      }
      try {
        if (json) {
          out.println(SmimeCommands.mapper().writeValueAsString(toMap(d)));
        } else {
          printText(d, out);
        }
      } catch (IOException e) {
        err.println("pont: " + e.getMessage());
        return ERROR;
      }
      out.flush();
      return 0;
    }

    private static void printText(CdaDocument d, PrintWriter out) {
      row(out, "document", code(d.code()));
      row(out, "title", d.title());
      row(out, "id", d.id().toString());
      row(out, "created", d.effectiveTime().toString());
      row(out, "templates", String.join(" ", d.templateIds().stream().map(Object::toString).toList()));
      row(out, "confidentiality", d.confidentiality().code());
      d.languageCode().ifPresent(l -> row(out, "language", l));
      d.setId().ifPresent(s -> row(out, "set", s + d.versionNumber().map(v -> " version " + v).orElse("")));
      CdaPatient p = d.patient();
      // The user asked about their own file: show the identity in full here (never in logs).
      row(out, "patient", p.ins().map(i -> "INS " + i.value() + " (" + i.kind() + ")").orElse("no valid INS")
          + ", " + p.familyName().orElse("?") + " " + String.join(" ", p.givenNames())
          + p.birthDate().map(b -> ", born " + b).orElse("") + ", sex " + p.sex().code());
      for (Author a : d.authors()) {
        row(out, "author", a.name().map(n -> n.display()).orElse("(no person)") + " [" + a.id() + "]"
            + a.specialty().map(s -> ", " + code(s)).orElse("") + a.organization().map(o -> ", " + org(o)).orElse(""));
      }
      row(out, "custodian", org(d.custodian()));
      if (d.body() instanceof CdaBody.NonXmlBody b) {
        row(out, "body", "level 1, " + b.mediaType() + ", " + b.size() + " bytes");
      } else if (d.body() instanceof CdaBody.StructuredBody b) {
        row(out, "body", "level 3, " + b.sections().size() + " sections");
        b.sections().forEach(s -> printSection(out, s, "  "));
      }
    }

    private static void printSection(PrintWriter out, Section s, String indent) {
      out.println(indent + "- " + s.code().map(CdaCode::code).orElse("(no code)") + "  " + s.title().orElse("(no title)")
          + "  [" + s.text().length() + " chars]");
      s.sections().forEach(c -> printSection(out, c, indent + "  "));
    }

    private static Map<String, Object> toMap(CdaDocument d) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", codeMap(d.code()));
      m.put("title", d.title());
      m.put("id", d.id().toString());
      m.put("effectiveTime", d.effectiveTime().toString());
      m.put("templateIds", d.templateIds().stream().map(Object::toString).toList());
      m.put("confidentialityCode", d.confidentiality().code());
      d.languageCode().ifPresent(l -> m.put("languageCode", l));
      d.setId().ifPresent(s -> m.put("setId", s.toString()));
      d.versionNumber().ifPresent(v -> m.put("versionNumber", v));
      Map<String, Object> p = new LinkedHashMap<>();
      d.patient().ins().ifPresent(i -> {
        p.put("ins", i.value());
        p.put("insKind", i.kind().name());
      });
      p.put("ids", d.patient().ids().stream().map(Object::toString).toList());
      d.patient().familyName().ifPresent(f -> p.put("familyName", f));
      p.put("givenNames", d.patient().givenNames());
      d.patient().birthDate().ifPresent(b -> p.put("birthDate", b.toString()));
      p.put("sex", d.patient().sex().code());
      m.put("patient", p);
      List<Map<String, Object>> authors = new ArrayList<>();
      for (Author a : d.authors()) {
        Map<String, Object> am = new LinkedHashMap<>();
        am.put("id", a.id().toString());
        a.name().ifPresent(n -> am.put("name", n.display()));
        a.specialty().ifPresent(s -> am.put("specialty", codeMap(s)));
        a.organization().ifPresent(o -> am.put("organization", Map.of("id", o.id().toString(), "name", o.name())));
        authors.add(am);
      }
      m.put("authors", authors);
      m.put("custodian", Map.of("id", d.custodian().id().toString(), "name", d.custodian().name()));
      Map<String, Object> body = new LinkedHashMap<>();
      if (d.body() instanceof CdaBody.NonXmlBody b) {
        body.put("level", 1);
        body.put("mediaType", b.mediaType());
        body.put("size", b.size());
      } else if (d.body() instanceof CdaBody.StructuredBody b) {
        body.put("level", 3);
        body.put("sections", b.sections().stream().map(Inspect::sectionMap).toList());
      }
      m.put("body", body);
      return m;
    }

    private static Map<String, Object> sectionMap(Section s) {
      Map<String, Object> m = new LinkedHashMap<>();
      s.code().ifPresent(c -> m.put("code", codeMap(c)));
      s.title().ifPresent(t -> m.put("title", t));
      m.put("templateIds", s.templateIds());
      m.put("text", s.text());
      if (!s.sections().isEmpty()) {
        m.put("sections", s.sections().stream().map(Inspect::sectionMap).toList());
      }
      return m;
    }

    private static Map<String, Object> codeMap(CdaCode c) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", c.code());
      m.put("codeSystem", c.codeSystem());
      c.displayName().ifPresent(d -> m.put("displayName", d));
      return m;
    }

    private static String code(CdaCode c) {
      return c.code() + c.displayName().map(d -> " " + d).orElse("") + " (" + c.codeSystem() + ")";
    }

    private static String org(Organization o) {
      return o.name() + " [" + o.id() + "]";
    }

    private static void row(PrintWriter out, String label, String value) {
      out.printf("%-16s %s%n", label, value);
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = {"Validate a CDA document against the ANS CI-SIS schematron of its type, plus Pont's INS rule.",
          "Exit status: 0 valid, 1 invalid (or not a CDA document), 2 usage, file or schematron error."})
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.xml", description = "The CDA document.")
    Path file;

    @Option(names = "--schematrons", paramLabel = "DIR",
        description = "The ANS schematrons folder (with profils/ and CI-SIS_*.sch, value sets in ../jeuxDeValeurs). "
            + "Default: environment variable " + SCHEMATRONS_ENV + ".")
    Path schematrons;

    @Option(names = "--schematron", paramLabel = "FILE",
        description = "Use this schematron instead of the one chosen from the document type.")
    Path schematron;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      byte[] xml;
      try {
        xml = Files.readAllBytes(file);
      } catch (IOException e) {
        err.println("pont: cannot read " + file + ": " + e.getMessage());
        return ERROR;
      }
      Path folder = folder();
      if (folder == null) {
        err.println("pont: no schematron folder: use --schematrons DIR (the ANS 'schematrons' folder) or set " + SCHEMATRONS_ENV);
        return ERROR;
      }
      ValidationReport report;
      try {
        CdaValidator validator = CdaValidator.fromDirectory(folder);
        report = schematron == null ? validator.validate(xml) : validator.validate(xml, schematron.toAbsolutePath());
      } catch (CdaException e) {
        err.println("pont: " + e.reason() + ": " + e.getMessage());
        return switch (e.reason()) {
          case SCHEMATRON_NOT_FOUND, SCHEMATRON_BROKEN -> ERROR;
          default -> INVALID;
        };
      }
      try {
        print(report, out);
      } catch (IOException e) {
        err.println("pont: " + e.getMessage());
        return ERROR;
      }
      out.flush();
      return report.isValid() ? 0 : INVALID;
    }

    /** The given folder, the environment's, or the ANS folder an explicit schematron file sits in. */
    private Path folder() {
      if (schematrons != null) {
        return schematrons;
      }
      String env = System.getenv(SCHEMATRONS_ENV);
      if (env != null && !env.isBlank()) {
        return Path.of(env);
      }
      for (Path p = schematron == null ? null : schematron.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve(CdaValidator.GENERIC_PROFILE))) {
          return p;
        }
      }
      return null;
    }

    private void print(ValidationReport r, PrintWriter out) throws IOException {
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", r.isValid());
        m.put("schematron", r.schematron());
        m.put("firedRules", r.firedRules());
        m.put("elapsedMillis", r.elapsed().toMillis());
        m.put("failures", r.failures().stream().map(f -> {
          Map<String, Object> fm = new LinkedHashMap<>();
          fm.put("severity", f.severity().name());
          fm.put("origin", f.origin().name());
          fm.put("location", f.location());
          fm.put("test", f.test());
          fm.put("message", f.message());
          return fm;
        }).toList());
        out.println(SmimeCommands.mapper().writeValueAsString(m));
        return;
      }
      out.println((r.isValid() ? "VALID" : "INVALID") + "  " + r.schematron() + "  (" + r.errors().size() + " errors, "
          + r.warnings().size() + " warnings, " + r.firedRules() + " rules fired, " + r.elapsed().toMillis() + " ms)");
      for (ValidationReport.Failure f : r.failures()) {
        out.println("  " + f.severity() + "  " + f.location());
        out.println("      " + f.message());
        out.println("      test: " + f.test());
      }
    }
  }
}
