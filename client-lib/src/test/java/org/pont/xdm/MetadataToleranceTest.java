package org.pont.xdm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid packages written differently from Pont's own: read, with warnings where ITI-32 is bent. */
class MetadataToleranceTest {
  private static final byte[] DOC = "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>".getBytes(StandardCharsets.UTF_8);
  private static final String LONG_NAME = "A".repeat(120) + ".XML";

  @TempDir Path dir;

  /** Symbolic ids, no SubmissionSet classification, a URI split over two values, an offset time, a code without scheme. */
  private static String metadata(String sha1) {
    return """
        <SubmitObjectsRequest xmlns="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0">
         <RegistryObjectList xmlns="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
          <RegistryPackage id="SS01">
           <Slot name="submissionTime"><ValueList><Value>20261122101530+0100</Value></ValueList></Slot>
           <ExternalIdentifier registryObject="SS01" identificationScheme="urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8" value="1.2.3.4"/>
           <ExternalIdentifier registryObject="SS01" identificationScheme="urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832" value="1.2.3"/>
          </RegistryPackage>
          <ExtrinsicObject id="Doc1" mimeType="text/xml" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">
           <Slot name="URI"><ValueList><Value>2|%s</Value><Value>1|%s</Value></ValueList></Slot>
           <Slot name="hash"><ValueList><Value>%s</Value></ValueList></Slot>
           <Classification classificationScheme="urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a" nodeRepresentation="11"/>
          </ExtrinsicObject>
          <ExternalIdentifier registryObject="Doc1" identificationScheme="urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab" value="1.2.3.4.5"/>
          <Classification classifiedObject="Doc1" classificationScheme="urn:uuid:f0306f51-975f-434e-a61c-c59651d33983" nodeRepresentation="11490-0">
           <Slot name="codingScheme"><ValueList><Value>2.16.840.1.113883.6.1</Value></ValueList></Slot>
          </Classification>
         </RegistryObjectList>
        </SubmitObjectsRequest>
        """.formatted(LONG_NAME.substring(64), LONG_NAME.substring(0, 64), sha1);
  }

  @Test
  void metadataWrittenDifferentlyIsReadWithWarnings() throws Exception {
    String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(DOC));
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("IHE_XDM/SUBSET01/METADATA.XML", metadata(sha1.toUpperCase()).getBytes(StandardCharsets.UTF_8));
    entries.put("IHE_XDM/SUBSET01/" + LONG_NAME.toLowerCase(), DOC);
    entries.put("README.TXT", "hello".getBytes(StandardCharsets.UTF_8));
    entries.put("INDEX.HTM", "<html/>".getBytes(StandardCharsets.UTF_8));

    XdmPackage p = XdmReader.withDefaults().read(Fixtures.write(dir, Fixtures.zip(entries)));

    assertThat(p.submissionSet().entryUuid()).isEqualTo("SS01");
    assertThat(p.submissionSet().submissionTime()).isEqualTo(Instant.parse("2026-11-22T09:15:30Z"));
    DocumentEntry e = p.entries().get(0);
    assertThat(e.uri()).contains(LONG_NAME);
    assertThat(e.hash()).contains(sha1);
    assertThat(e.size()).hasValue(DOC.length);
    assertThat(e.typeCode()).contains(Code.of("11490-0", "2.16.840.1.113883.6.1"));
    assertThat(e.classCode()).isEmpty();
    assertThat(p.content(e).bytes()).isEqualTo(DOC);
    assertThat(p.warnings()).satisfiesExactlyInAnyOrder(
        w -> assertThat(w).contains("not classified as XDSSubmissionSet"),
        w -> assertThat(w).contains("classCode ignored").contains("codingScheme"),
        w -> assertThat(w).contains("gives no size"));
  }

  @Test
  void aDocumentUriRelativeToTheZipRootIsFoundWithAWarning() throws Exception {
    Map<String, byte[]> entries = Fixtures.unzip(Fixtures.validPackage());
    Fixtures.replaceMetadata(entries, Fixtures.metadataOf(entries).replace(">DOC0001.XML<", ">IHE_XDM/SUBSET01/DOC0001.XML<"));

    XdmPackage p = XdmReader.withDefaults().read(Fixtures.write(dir, Fixtures.zip(entries)));

    assertThat(p.entries()).hasSize(2);
    assertThat(p.warnings()).singleElement().asString().contains("relative to the zip root");
  }

  @Test
  void filesTheMetadataDoesNotDescribeAreReportedButNotReturned() throws Exception {
    Map<String, byte[]> entries = Fixtures.unzip(Fixtures.validPackage());
    entries.put("IHE_XDM/SUBSET01/EXTRA.BIN", new byte[] {1, 2, 3});

    XdmPackage p = XdmReader.withDefaults().read(Fixtures.write(dir, Fixtures.zip(entries)));

    assertThat(p.documents()).hasSize(2);
    assertThat(p.warnings()).singleElement().asString().contains("EXTRA.BIN is not described by METADATA.XML");
  }
}
