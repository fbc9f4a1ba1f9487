package org.pont.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.pont.gateway.directory.DirectoryEntry;
import org.pont.gateway.directory.DirectoryImport;
import org.pont.gateway.directory.DirectoryIndex;
import org.pont.gateway.directory.DirectoryPage;
import org.pont.gateway.directory.DirectoryQuery;
import org.pont.gateway.directory.ExtractionCorrespondanceReader;
import org.pont.gateway.directory.FhirDirectoryReader;
import org.pont.gateway.directory.Mailbox;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pont directory ...}: the directory (annuaire) kept under {@code DATA/directory}. */
@Command(name = "directory", mixinStandardHelpOptions = true,
    description = "The directory (annuaire): import professionals and organisations, search them.",
    subcommands = {DirectoryCommands.Import.class, DirectoryCommands.Search.class})
final class DirectoryCommands implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: try 'pont directory search TEXT'");
  }

  enum Format { csv, fhir }

  static Path indexFolder(Path data) {
    return data.resolve("directory");
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"Import a national bulk extraction (pipe-delimited 'Extraction Correspondance MSSanté')",
          "or FHIR R4 JSON (Bundle or single Practitioner/PractitionerRole/Organization) into the directory.",
          "Entries already present (same identifier) are replaced. Exit status: 0 imported, 2 input error."})
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The file to import.")
    Path file;

    @Option(names = "--format", paramLabel = "csv|fhir",
        description = "Input format; default: fhir for .json files, csv otherwise.")
    Format format;

    @Option(names = "--data", defaultValue = "data", paramLabel = "DIR",
        description = "The gateway data folder; the index lives in DIR/directory. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!Files.isRegularFile(file)) {
        err.println("pont directory import: no such file: " + file);
        return 2;
      }
      Format f = format != null ? format
          : file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? Format.fhir : Format.csv;
      try {
        DirectoryImport imported = f == Format.fhir ? new FhirDirectoryReader().read(file)
            : new ExtractionCorrespondanceReader().read(file);
        try (DirectoryIndex index = DirectoryIndex.open(indexFolder(data))) {
          index.put(imported.entries());
          out.printf("imported %d entries (%d mailboxes) from %s into %s; the directory now holds %d entries%n",
              imported.entries().size(), imported.mailboxCount(), file, indexFolder(data), index.size());
        }
        for (String s : imported.skipped()) {
          err.println("skipped " + s);
        }
        return 0;
      } catch (IOException | RuntimeException e) {
        err.println("pont directory import: cannot import " + file + ": " + e.getMessage());
        return 2;
      }
    }
  }

  @Command(name = "search", mixinStandardHelpOptions = true,
      description = {"Search the directory by name, profession, place or mailbox (accents and small typos",
          "forgiven). Liste-rouge entries are never shown. Exit status: 0 found, 1 nothing found, 2 error."})
  static final class Search implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Free text: names, organisation, profession, city...")
    List<String> text = new ArrayList<>();

    @Option(names = "--profession", paramLabel = "P", description = "Only this profession or specialty.")
    String profession;

    @Option(names = "--city", paramLabel = "C", description = "Only this city or postcode.")
    String city;

    @Option(names = "--mailbox", paramLabel = "ADDR", description = "Only the entry with this address (or @domain).")
    String mailbox;

    @Option(names = "--type", paramLabel = "PER|ORG|APP|CAB", description = "Only entries with a published mailbox of this type.")
    Mailbox.Type type;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "Results per page (max 200). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--page", defaultValue = "1", paramLabel = "N", description = "Page number, from 1. Default: ${DEFAULT-VALUE}.")
    int page;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--data", defaultValue = "data", paramLabel = "DIR",
        description = "The gateway data folder; the index lives in DIR/directory. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (page < 1 || limit < 1 || limit > DirectoryQuery.MAX_PAGE_SIZE) {
        err.println("pont directory search: --page must be >= 1 and --limit 1.." + DirectoryQuery.MAX_PAGE_SIZE);
        return 2;
      }
      if (!Files.isDirectory(indexFolder(data))) {
        err.println("pont directory search: no directory in " + indexFolder(data) + "; run 'pont directory import FILE' first");
        return 2;
      }
      DirectoryQuery q = DirectoryQuery.text(String.join(" ", text)).withProfession(profession).withCity(city)
          .withMailbox(mailbox).withType(type).page(page - 1, limit);
      try (DirectoryIndex index = DirectoryIndex.open(indexFolder(data))) {
        DirectoryPage result = index.search(q);
        if (json) {
          Map<String, Object> doc = new LinkedHashMap<>();
          doc.put("total", result.total());
          doc.put("page", page);
          doc.put("limit", limit);
          doc.put("entries", result.entries());
          out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
          for (DirectoryEntry e : result.entries()) {
            out.println(line(e));
          }
          out.printf("%d of %d%n", result.entries().size(), result.total());
        }
        return result.total() == 0 ? 1 : 0;
      } catch (IOException | RuntimeException e) {
        err.println("pont directory search: " + e.getMessage());
        return 2;
      }
    }

    private static String line(DirectoryEntry e) {
      List<String> parts = new ArrayList<>();
      parts.add(e.displayName());
      if (!e.profession().isEmpty()) {
        parts.add(e.profession() + (e.specialty().isEmpty() ? "" : " (" + e.specialty() + ")"));
      }
      if (e.kind() == DirectoryEntry.Kind.PROFESSIONAL && !e.organisation().isEmpty()) {
        parts.add(e.organisation());
      }
      String place = (e.postcode() + " " + e.city()).strip();
      if (!place.isEmpty()) {
        parts.add(place);
      }
      parts.add(e.id().kind() + " " + e.id().value());
      String boxes = e.mailboxes().stream().map(Search::mailbox).collect(Collectors.joining(", "));
      return String.join(" · ", parts) + (boxes.isEmpty() ? "" : "\n    " + boxes);
    }

    private static String mailbox(Mailbox m) {
      String detail = String.join(", ", List.of(m.service(), m.description()).stream().filter(s -> !s.isEmpty()).toList());
      return m.address() + " [" + m.type() + (detail.isEmpty() ? "" : ": " + detail) + "]";
    }
  }
}
