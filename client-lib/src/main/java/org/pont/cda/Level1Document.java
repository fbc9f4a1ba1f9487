package org.pont.cda;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * A CDA R2 level-1 document (IHE XDS-SD): the CI-SIS header and one embedded file, typically the
 * PDF of a hospital stay report, a referral letter or a prescription for which no structured
 * model exists (PRESC-KINE) or is not used.
 */
public record Level1Document(CdaHeader header, String mediaType, byte[] content) implements BuiltCda {

  /** IHE XDS-SD: scanned / non-structured document. */
  public static final String XDS_SD_TEMPLATE = "1.3.6.1.4.1.19376.1.2.20";
  /** Media types a CI-SIS nonXMLBody may carry. */
  public static final Set<String> MEDIA_TYPES = Set.of("application/pdf", "text/plain", "text/rtf", "image/jpeg", "image/tiff");

  public Level1Document {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(mediaType, "mediaType");
    content = Objects.requireNonNull(content, "content").clone();
  }

  /** A level-1 document wrapping a PDF; refuses bytes that are not a PDF, so a wrong file is caught before sending. */
  public static Level1Document pdf(CdaHeader header, byte[] pdf) throws CdaException {
    return of(header, "application/pdf", pdf);
  }

  public static Level1Document of(CdaHeader header, String mediaType, byte[] content) throws CdaException {
    if (!MEDIA_TYPES.contains(mediaType)) {
      throw new CdaException(CdaException.Reason.INVALID_INPUT,
          "a CI-SIS level-1 document embeds one of " + MEDIA_TYPES + ", not " + mediaType);
    }
    if (content.length == 0) {
      throw new CdaException(CdaException.Reason.INVALID_INPUT, "the embedded file is empty");
    }
    if (mediaType.equals("application/pdf")
        && !new String(content, 0, Math.min(5, content.length), StandardCharsets.US_ASCII).equals("%PDF-")) {
      throw new CdaException(CdaException.Reason.INVALID_INPUT, "the embedded file is declared application/pdf but does not start with %PDF-");
    }
    return new Level1Document(header, mediaType, content);
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** The document as UTF-8 XML bytes. */
  public byte[] toXml() {
    CdaWriter w = new CdaWriter();
    w.header(header, List.of(InstanceId.of(CdaWriter.CI_SIS_HL7_FRANCE), InstanceId.of(CdaWriter.CI_SIS),
        InstanceId.of(XDS_SD_TEMPLATE)));
    Element text = w.add(w.add(w.add(w.root, "component"), "nonXMLBody"), "text");
    w.attrs(text, "mediaType", mediaType, "representation", "B64");
    text.setTextContent(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(content));
    return w.toBytes();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Level1Document d && header.equals(d.header) && mediaType.equals(d.mediaType)
        && Arrays.equals(content, d.content);
  }

  @Override
  public int hashCode() {
    return Objects.hash(header, mediaType, Arrays.hashCode(content));
  }

  @Override
  public String toString() {
    return "Level1Document[" + header.type().code() + ", " + mediaType + ", " + content.length + " bytes]";
  }
}
