package org.pont.cda;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A section of a structured (level-3) body: its code, templates, title and narrative as plain
 * text (tables and lists flattened, for reading and search indexing), with nested sections.
 */
public record Section(Optional<CdaCode> code, List<String> templateIds, Optional<String> title, String text, List<Section> sections) {

  public Section {
    Objects.requireNonNull(code, "code");
    templateIds = List.copyOf(templateIds);
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
    sections = List.copyOf(sections);
  }

  @Override
  public String toString() {
    // Narrative text is patient data: not in logs.
    return "Section[" + code.map(CdaCode::code).orElse("no code") + ", " + text.length() + " chars, " + sections.size() + " subsections]";
  }
}
