package org.pont.cda;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The body of a CDA document: an embedded file (level 1) or structured sections (level 3). */
public sealed interface CdaBody {

  /** Level 1: one embedded file ({@code nonXMLBody}), typically a PDF, decoded from base64. */
  record NonXmlBody(String mediaType, byte[] content) implements CdaBody {
    public NonXmlBody {
      Objects.requireNonNull(mediaType, "mediaType");
      content = Objects.requireNonNull(content, "content").clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    public int size() {
      return content.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NonXmlBody b && mediaType.equals(b.mediaType) && Arrays.equals(content, b.content);
    }

    @Override
    public int hashCode() {
      return 31 * mediaType.hashCode() + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
      return "NonXmlBody[" + mediaType + ", " + content.length + " bytes]";
    }
  }

  /** Level 2/3: sections with narrative (and possibly coded entries, not modelled here). */
  record StructuredBody(List<Section> sections) implements CdaBody {
    public StructuredBody {
      sections = List.copyOf(sections);
    }

    /** All sections, depth first, nested ones after their parent. */
    public List<Section> allSections() {
      List<Section> out = new java.util.ArrayList<>();
      sections.forEach(s -> addAll(s, out));
      return out;
    }

    private static void addAll(Section s, List<Section> out) {
      out.add(s);
      s.sections().forEach(c -> addAll(c, out));
    }
  }
}
