package org.pont.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * One clinical document a message carries: a CDA R2 document ({@code text/xml}) or a readable
 * copy such as a PDF. The structured-document layer (CDA, XDM) reads and builds the bytes.
 */
public record ClinicalDocument(DocumentType type, String title, String mediaType, String fileName, byte[] content) {

  public static final String CDA_MEDIA_TYPE = "text/xml";
  public static final String PDF_MEDIA_TYPE = "application/pdf";

  public ClinicalDocument {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(fileName, "fileName");
    content = Objects.requireNonNull(content, "content").clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  public int size() {
    return content.length;
  }

  public boolean isCda() {
    return CDA_MEDIA_TYPE.equals(mediaType);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClinicalDocument d
        && type.equals(d.type) && title.equals(d.title) && mediaType.equals(d.mediaType)
        && fileName.equals(d.fileName) && Arrays.equals(content, d.content);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, title, mediaType, fileName, Arrays.hashCode(content));
  }

  @Override
  public String toString() {
    return "ClinicalDocument[" + type.code() + " " + mediaType + " " + content.length + " bytes]";
  }
}
