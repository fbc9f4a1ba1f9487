package org.pont.xdm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The public XDM samples in the shared test data: ONC ETT (onc-healthit/ett @ 629cf56) and the
 * Direct Project Java RI (DirectProjectJavaRI/xd @ 016473f).
 */
class XdmRealPackagesTest {
  private final XdmReader reader = XdmReader.withDefaults();

  @Test
  void theEttMinimalMetadataPackageReadsWithItsSubmissionSetAndDocument() throws Exception {
    XdmPackage p = reader.read(Fixtures.xdm("XDM_LIM.ZIP"));

    SubmissionSet ss = p.submissionSet();
    assertThat(ss.entryUuid()).isEqualTo("SubmissionSet");
    assertThat(ss.uniqueId()).isEqualTo("1.2.840.114350.1.13.252.1.7.2.688879.2004.634308739192149557");
    assertThat(ss.sourceId()).isEqualTo("1.2.840.114350.1.13.252.1.7.2.688879");
    assertThat(ss.submissionTime()).isEqualTo(Instant.parse("2011-01-17T21:11:59Z"));
    assertThat(ss.patientId()).contains(PatientId.of("1", "2.16.840.1.113883.4.6"));
    assertThat(ss.contentTypeCode()).isEmpty();
    assertThat(ss.authors()).singleElement().satisfies(a -> {
      assertThat(a.institutions()).containsExactly("Lucy Personal Health Record");
      assertThat(a.person()).contains("7.6^Epic - Version 7.6");
    });

    DocumentEntry e = p.entries().get(0);
    assertThat(p.entries()).hasSize(1);
    assertThat(e.uniqueId()).isEqualTo("1.2.840.114350.1.13.252.1.7.2.688879.02004.634308739192149557.1");
    assertThat(e.mimeType()).isEqualTo("text/xml");
    assertThat(e.uri()).contains("CCDAAMB.XML");
    assertThat(e.typeCode()).contains(Code.of("34096-8", "LOINC", "name"));
    assertThat(e.formatCode()).map(Code::code).contains("2.16.840.1.113883.10.20.1");
    assertThat(e.classCode()).isEmpty();
    assertThat(e.creationTime()).contains(Instant.parse("2012-08-06T00:00:00Z"));
    assertThat(e.hash()).contains("b0bd1f77dca00011cfa4bd7be15cf22aeaba145b");
    assertThat(e.size()).hasValue(120687);
    assertThat(e.sourcePatientInfo()).contains("PID-8|F");
    assertThat(p.content(e).size()).isEqualTo(120687);
    assertThat(p.content(e).sha1()).isEqualTo("b0bd1f77dca00011cfa4bd7be15cf22aeaba145b");
  }

  @Test
  void theEttMinimalPackageIsReadWithAWarningAboutItsHtmlIndexOnly() throws Exception {
    XdmPackage p = reader.read(Fixtures.xdm("XDM_LIM.ZIP"));

    // Its INDEX.HTM leaves a <p> open: HTML, not XHTML. People's browsers do not mind.
    assertThat(p.warnings()).singleElement().asString().startsWith("INDEX.HTM is not well-formed XHTML");
  }

  /**
   * BadXHTML.zip: METADATA.XML is sound and the document matches its hash and size; only the
   * human index is broken ({@code </titel>}, no {@code <head>}, an unclosed {@code </h1}, a link to
   * a file that is not there). The verdict: deliver, and say what is wrong with the index.
   */
  @Test
  void aPackageWithABrokenHtmlIndexIsDeliveredWithAWarning() throws Exception {
    XdmPackage p = reader.read(Fixtures.xdm("BadXHTML.zip"));

    assertThat(p.entries()).singleElement().satisfies(e -> {
      assertThat(e.uri()).contains("TOC_A.XML");
      assertThat(e.hash()).contains("ac858e31fab99a2260ff5f666aca0d3f22c46bfc");
      assertThat(e.typeCode()).map(Code::code).contains("34133-9");
    });
    assertThat(p.submissionSet().submissionTime()).isEqualTo(Instant.parse("2015-06-23T00:00:00Z"));
    assertThat(p.warnings()).anySatisfy(w -> assertThat(w).startsWith("INDEX.HTM is not well-formed XHTML"));
  }

  /**
   * direct-xd-broken-paths.zip was made by a packager that forgot the '/' after the subset folder
   * ({@code IHE_XDM/SUBSET01METADATA.xml}); its metadata also names the patient "null^^^&null&ISO".
   * There is no METADATA.XML where ITI-32 puts it: refused, and the message points at the near miss.
   */
  @Test
  void aPackageWhoseFilesLackTheSubsetFolderIsRefusedAsHavingNoMetadata() {
    XdmException e = catchThrowableOfType(XdmException.class, () -> reader.read(Fixtures.xdm("direct-xd-broken-paths.zip")));

    assertThat(e.reason()).isEqualTo(XdmException.Reason.NO_METADATA);
    assertThat(e.getMessage()).contains("IHE_XDM/SUBSET01METADATA.xml").contains("'/' missing");
  }
}
