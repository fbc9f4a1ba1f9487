package org.pont.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pont.xdm.Author;
import org.pont.xdm.Code;
import org.pont.xdm.DocumentEntry;
import org.pont.xdm.PatientId;
import org.pont.xdm.SubmissionSet;
import org.pont.xdm.XdmException;
import org.pont.xdm.XdmPackage;
import org.pont.xdm.XdmReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pont xdm ...}: IHE XDM packages (the IHE_XDM.ZIP attached to MSSanté messages). */
@Command(name = "xdm", mixinStandardHelpOptions = true,
    description = "IHE XDM packages (IHE_XDM.ZIP): pack CDA documents, inspect what a package holds.",
    subcommands = {XdmCommands.Pack.class, XdmCommands.Inspect.class})
final class XdmCommands implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: try 'pont xdm inspect FILE.zip'");
  }

  @Command(name = "pack", mixinStandardHelpOptions = true,
      description = {"Pack CDA documents into an XDM zip whose metadata (patient INS, class/type/format codes, dates,",
          "authors, confidentiality, hash, size) comes from their headers. One patient per package.",
          "Exit status: 0 written, 1 refused (the reason is printed), 2 usage or input error."})
  static final class Pack implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "CDA.xml", description = "The CDA R2 documents to pack.")
    List<Path> documents = new ArrayList<>();

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.zip", description = "Where to write the package.")
    Path out;

    @Option(names = "--from", required = true, paramLabel = "ADDRESS", description = "The sender's MSSanté address (author telecom, README contact).")
    String from;

    @Option(names = "--to", paramLabel = "ADDRESS", description = "An intended recipient's address (repeatable).")
    List<String> to = new ArrayList<>();

    @Option(names = "--source-id", defaultValue = "1.2.250.1.999.1", paramLabel = "OID",
        description = "The OID of the sending system (XDS sourceId); default: a test OID.")
    String sourceId;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      List<byte[]> cdas = new ArrayList<>();
      try {
        for (Path p : documents) {
          cdas.add(Files.readAllBytes(p));
        }
      } catch (java.io.IOException e) {
        err.println("pont: cannot read " + e.getMessage());
        return SmimeCommands.ERROR;
      }
      Path tmp = out.resolveSibling(out.getFileName() + ".part");
      try (var os = Files.newOutputStream(tmp)) {
        var packed = org.pont.mssante.XdmPackager.of(sourceId).pack(cdas, org.pont.message.Party.of(from),
            to.stream().map(org.pont.message.Party::of).toList(), os);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        spec.commandLine().getOut().printf("%s: %d document(s), %s%n", out, packed.metadata().entries().size(),
            packed.metadata().entries().stream().map(e -> e.typeCode().map(Code::code).orElse("?")).toList());
        return 0;
      } catch (org.pont.mssante.MssanteException e) {
        Files.deleteIfExists(tmp);
        spec.commandLine().getOut().println("REFUSED  " + e.reason() + "  " + e.getMessage());
        return SmimeCommands.INVALID;
      } catch (IllegalArgumentException e) {
        Files.deleteIfExists(tmp);
        err.println("pont: " + e.getMessage());
        return SmimeCommands.ERROR;
      }
    }
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true,
      description = {"Read an XDM zip, check it (limits, paths, metadata, document hashes) and print its submission set and documents.",
          "Exit status: 0 valid, 1 refused (the reason is printed), 2 usage or input error."})
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.zip", description = "The XDM package.")
    Path file;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--show-patient", description = "Print patient identifiers in full (masked by default).")
    boolean showPatient;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      XdmPackage p;
      try {
        if (!Files.isRegularFile(file)) {
          throw new NoSuchFileException(file.toString());
        }
        p = XdmReader.withDefaults().read(file);
      } catch (XdmException e) {
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("valid", false);
          m.put("reason", e.reason().name());
          m.put("message", e.getMessage());
          out.println(SmimeCommands.mapper().writeValueAsString(m));
        } else {
          out.println("REFUSED  " + e.reason() + "  " + e.getMessage());
        }
        out.flush();
        return SmimeCommands.INVALID;
      } catch (NoSuchFileException e) {
        err.println("pont: no such file: " + e.getMessage());
        return SmimeCommands.ERROR;
      } catch (java.io.IOException e) {
        err.println("pont: cannot read " + file + ": " + e.getMessage());
        return SmimeCommands.ERROR;
      }
      if (json) {
        out.println(SmimeCommands.mapper().writeValueAsString(toJson(p)));
      } else {
        print(p, out);
      }
      out.flush();
      return 0;
    }

    private void print(XdmPackage p, PrintWriter out) {
      SubmissionSet ss = p.submissionSet();
      out.println("VALID  XDM package with " + p.entries().size() + " document(s)" + (p.warnings().isEmpty() ? "" : ", " + p.warnings().size() + " warning(s)"));
      out.println("Submission set");
      line(out, "uniqueId", ss.uniqueId());
      line(out, "sourceId", ss.sourceId());
      line(out, "submissionTime", ss.submissionTime().toString());
      line(out, "patientId", patient(ss.patientId()) + note(ss.patientId()));
      line(out, "contentTypeCode", code(ss.contentTypeCode()));
      ss.authors().forEach(a -> line(out, "author", author(a)));
      ss.intendedRecipients().forEach(r -> line(out, "intendedRecipient", r));
      ss.title().ifPresent(t -> line(out, "title", t));
      int i = 0;
      for (DocumentEntry e : p.entries()) {
        out.println("Document " + ++i + ": " + e.uri().orElse("?"));
        line(out, "uniqueId", e.uniqueId());
        line(out, "mimeType", e.mimeType());
        e.title().ifPresent(t -> line(out, "title", t));
        line(out, "typeCode", code(e.typeCode()));
        line(out, "classCode", code(e.classCode()));
        line(out, "formatCode", code(e.formatCode()));
        e.confidentialityCodes().forEach(c -> line(out, "confidentiality", code(Optional.of(c))));
        line(out, "facilityType", code(e.healthcareFacilityTypeCode()));
        line(out, "practiceSetting", code(e.practiceSettingCode()));
        line(out, "patientId", patient(e.patientId()) + note(e.patientId()));
        line(out, "creationTime", e.creationTime().map(Object::toString).orElse("-"));
        line(out, "languageCode", e.languageCode().orElse("-"));
        e.authors().forEach(a -> line(out, "author", author(a)));
        line(out, "size", e.size().isPresent() ? e.size().getAsLong() + " bytes" : "-");
        line(out, "sha1", e.hash().orElse("-"));
      }
      if (!p.warnings().isEmpty()) {
        out.println("Warnings");
        p.warnings().forEach(w -> out.println("  - " + w));
      }
    }

    private static void line(PrintWriter out, String label, String value) {
      out.printf("  %-18s %s%n", label + ":", value);
    }

    private Map<String, Object> toJson(XdmPackage p) {
      SubmissionSet ss = p.submissionSet();
      Map<String, Object> set = new LinkedHashMap<>();
      set.put("entryUuid", ss.entryUuid());
      set.put("uniqueId", ss.uniqueId());
      set.put("sourceId", ss.sourceId());
      set.put("submissionTime", ss.submissionTime().toString());
      ss.patientId().ifPresent(id -> set.put("patientId", patient(Optional.of(id))));
      ss.contentTypeCode().ifPresent(c -> set.put("contentTypeCode", code(c)));
      set.put("authors", ss.authors().stream().map(Inspect::author).toList());
      set.put("intendedRecipients", ss.intendedRecipients());
      ss.title().ifPresent(t -> set.put("title", t));
      List<Map<String, Object>> docs = new ArrayList<>();
      for (DocumentEntry e : p.entries()) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("entryUuid", e.entryUuid());
        d.put("uniqueId", e.uniqueId());
        d.put("mimeType", e.mimeType());
        e.uri().ifPresent(u -> d.put("uri", u));
        e.hash().ifPresent(h -> d.put("sha1", h));
        if (e.size().isPresent()) {
          d.put("size", e.size().getAsLong());
        }
        e.title().ifPresent(t -> d.put("title", t));
        e.typeCode().ifPresent(c -> d.put("typeCode", code(c)));
        e.classCode().ifPresent(c -> d.put("classCode", code(c)));
        e.formatCode().ifPresent(c -> d.put("formatCode", code(c)));
        d.put("confidentialityCodes", e.confidentialityCodes().stream().map(Inspect::code).toList());
        e.healthcareFacilityTypeCode().ifPresent(c -> d.put("healthcareFacilityTypeCode", code(c)));
        e.practiceSettingCode().ifPresent(c -> d.put("practiceSettingCode", code(c)));
        e.patientId().ifPresent(id -> d.put("patientId", patient(Optional.of(id))));
        e.creationTime().ifPresent(t -> d.put("creationTime", t.toString()));
        e.languageCode().ifPresent(l -> d.put("languageCode", l));
        d.put("authors", e.authors().stream().map(Inspect::author).toList());
        docs.add(d);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("valid", true);
      m.put("patientIdsMasked", !showPatient);
      m.put("submissionSet", set);
      m.put("documents", docs);
      m.put("warnings", p.warnings());
      return m;
    }

    private String patient(Optional<PatientId> id) {
      if (id.isEmpty()) {
        return "-";
      }
      PatientId p = id.get();
      if (showPatient) {
        return p.cx();
      }
      String v = p.id();
      String masked = v.length() <= 4 ? "*".repeat(v.length()) : v.charAt(0) + "*".repeat(v.length() - 3) + v.substring(v.length() - 2);
      return masked + "^^^&" + p.assigningAuthority() + "&ISO" + p.identifierTypeCode().map(t -> "^" + t).orElse("");
    }

    private String note(Optional<PatientId> id) {
      return id.isPresent() && !showPatient ? "  (masked; --show-patient shows it)" : "";
    }

    private static String code(Optional<Code> c) {
      return c.map(Inspect::code).orElse("-");
    }

    private static String code(Code c) {
      return c.code() + " (" + c.scheme() + ")" + c.displayName().map(n -> " " + n).orElse("");
    }

    private static String author(Author a) {
      List<String> parts = new ArrayList<>();
      a.person().ifPresent(parts::add);
      parts.addAll(a.institutions());
      parts.addAll(a.roles());
      parts.addAll(a.specialties());
      parts.addAll(a.telecommunications());
      return String.join(" | ", parts);
    }
  }
}
