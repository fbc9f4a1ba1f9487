package org.pont.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/** The parser each thread reuses stays as hardened after any parse, good or refused, as a new one. */
class SecureXmlTest {

  private static Document parse(String xml) throws Exception {
    return SecureXml.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void everyDoctypeIsRefusedBeforeAndAfterGoodAndBadDocumentsOnTheSameThread(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "patient data");
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><r>&x;</r>";
    String laughs = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><r>&b;</r>";
    for (int round = 0; round < 3; round++) {
      assertThat(parse("<r xmlns=\"urn:hl7-org:v3\"><t>ok</t></r>").getDocumentElement().getNamespaceURI())
          .isEqualTo("urn:hl7-org:v3");
      assertThatThrownBy(() -> parse(xxe)).isInstanceOf(SAXException.class).hasMessageContaining("DOCTYPE");
      assertThatThrownBy(() -> parse("<r><unclosed></r>")).isInstanceOf(SAXException.class);
      assertThatThrownBy(() -> parse(laughs)).isInstanceOf(SAXException.class).hasMessageContaining("DOCTYPE");
    }
  }
}
