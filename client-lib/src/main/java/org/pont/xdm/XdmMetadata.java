package org.pont.xdm;

import java.util.List;
import java.util.Objects;

/** What METADATA.XML says: the submission set and its document entries, in order. */
public record XdmMetadata(SubmissionSet submissionSet, List<DocumentEntry> entries) {
  public XdmMetadata {
    Objects.requireNonNull(submissionSet, "submissionSet");
    entries = List.copyOf(entries);
  }
}
