package org.pont.xdm;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An XDM package read by {@link XdmReader}: the submission set, its document entries in
 * METADATA.XML order, each entry's bytes (keyed by the entry's {@code entryUuid}), and the
 * departures from IHE ITI-32 that were tolerated (e.g. a missing README.TXT), for people to read.
 */
public record XdmPackage(
    SubmissionSet submissionSet,
    List<DocumentEntry> entries,
    Map<String, DocumentContent> documents,
    List<String> warnings) {

  public XdmPackage {
    Objects.requireNonNull(submissionSet, "submissionSet");
    entries = List.copyOf(entries);
    documents = Map.copyOf(documents);
    warnings = List.copyOf(warnings);
    for (DocumentEntry e : entries) {
      if (!documents.containsKey(e.entryUuid())) {
        throw new IllegalArgumentException("no content for document entry " + e.uniqueId());
      }
    }
  }

  /** The bytes of one of this package's entries. */
  public DocumentContent content(DocumentEntry entry) {
    DocumentContent c = documents.get(entry.entryUuid());
    if (c == null) {
      throw new IllegalArgumentException("not an entry of this package: " + entry.uniqueId());
    }
    return c;
  }

  public XdmMetadata metadata() {
    return new XdmMetadata(submissionSet, entries);
  }

  @Override
  public String toString() {
    return "XdmPackage[" + submissionSet + ", " + entries.size() + " documents, " + warnings.size() + " warnings]";
  }
}
