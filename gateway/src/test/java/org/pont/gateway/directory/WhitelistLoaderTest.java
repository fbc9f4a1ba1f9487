package org.pont.gateway.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.pont.gateway.directory.WhitelistException.Reason;

class WhitelistLoaderTest {
  private static final Path DIR = Path.of(System.getProperty("pont.testdata"), "whitelist");
  private static final Path XML = DIR.resolve("listeblanchemssante.xml");
  private static final Path CHECKSUM = DIR.resolve("checksum");
  private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  private static final String DOMAIN = "<Domaine><Nom>Cabinet.Test</Nom><Description>d</Description>"
      + "<DNCertificatOperateur>CN=mx.op.test,O=Op,C=FR</DNCertificatOperateur></Domaine>";

  private final WhitelistLoader loader = new WhitelistLoader();

  @Test
  void theRealSnapshotWithItsChecksumLoadsAll619EntriesFor516DomainsWithAWarningAboutTruncation() throws Exception {
    Whitelist w = loader.load(XML, Optional.of(CHECKSUM));

    assertThat(w.entryCount()).isEqualTo(619);
    assertThat(w.size()).isEqualTo(516);
    assertThat(w.operatorDns("15-20.mssante.fr")).hasSize(5);
    assertThat(w.generated()).isEqualTo(Instant.parse("2025-03-13T14:54:10Z"));
    assertThat(w.isTrusted("apta78.mssante.fr")).isTrue();
    assertThat(w.isTrusted("ADSEA29.mssante.fr.")).isTrue();
    assertThat(w.isTrusted("evil.example")).isFalse();
    assertThat(w.domain("apta78.mssante.fr").orElseThrow().description())
        .isEqualTo("Domaine de messagerie MSSanté géré par le GRADeS SESAN pour l'APTA 78");
    assertThat(w.operatorDns("apta78.mssante.fr")).containsExactly(new X500Principal(
        "CN=smtp-1.sante.santnet.com,OU=341459958900028,O=DEDALUS HEALTHCARE FRANCE,ST=Gironde (33),C=FR"));
    assertThat(w.domain("nddtestasmae.mssante.fr").orElseThrow().updated())
        .contains(Instant.parse("2025-03-14T15:34:10Z"));
    assertThat(w.warnings()).singleElement().asString().contains("truncated");
  }

  @Test
  void operatorDnsAreComparedAsX500NamesNotStrings() throws Exception {
    Whitelist w = loader.load(XML, Optional.of(CHECKSUM));

    assertThat(w.isOperatorOf("apta78.mssante.fr", new X500Principal(
        "cn=SMTP-1.sante.santnet.com, ou=341459958900028, o=DEDALUS HEALTHCARE FRANCE, st=Gironde (33), c=FR"))).isTrue();
    assertThat(w.isOperatorOf("apta78.mssante.fr", new X500Principal("CN=medimail-asip.mipih.fr,C=FR"))).isFalse();
    assertThat(w.isOperatorOf("evil.example", new X500Principal("CN=smtp-1.sante.santnet.com"))).isFalse();
  }

  @Test
  void theTruncatedSnapshotWithoutAChecksumIsRefusedAsMalformed() {
    assertThatThrownBy(() -> loader.load(XML, Optional.empty()))
        .isInstanceOf(WhitelistException.class)
        .extracting(e -> ((WhitelistException) e).reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void aFileCutInsideADomainKeepsOnlyTheCompleteDomainsWhenItsChecksumMatches() throws Exception {
    String text = Files.readString(XML);
    byte[] cut = text.substring(0, text.lastIndexOf("<DNCertificatOperateur>")).getBytes(StandardCharsets.UTF_8);

    Whitelist w = loader.parse(cut, Optional.of(WhitelistLoader.sha256(cut) + "  listeblanchemssante.xml\n"));

    assertThat(w.entryCount()).isEqualTo(618);
    assertThat(w.isTrusted("apta78.mssante.fr")).isFalse();
    assertThat(w.warnings()).hasSize(1);
  }

  @Test
  void aTamperedFileIsRefusedBeforeParsing() throws Exception {
    byte[] bytes = Files.readString(XML).replace("apta78.mssante.fr", "evil.example").getBytes(StandardCharsets.UTF_8);
    String checksum = Files.readString(CHECKSUM);

    assertThatThrownBy(() -> loader.parse(bytes, Optional.of(checksum)))
        .isInstanceOf(WhitelistException.class)
        .hasMessageContaining("checksum")
        .extracting(e -> ((WhitelistException) e).reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
  }

  @Test
  void aDoctypeIsRefusedEvenWithAMatchingChecksum() {
    byte[] xxe = (HEAD + "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        + "<ListeBlancheMSSante xmlns=\"" + WhitelistLoader.NAMESPACE + "\"><DateDeGeneration>&e;</DateDeGeneration>"
        + "<ListeDomaines>" + DOMAIN + "</ListeDomaines></ListeBlancheMSSante>").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> loader.parse(xxe, Optional.of(WhitelistLoader.sha256(xxe))))
        .isInstanceOf(WhitelistException.class)
        .extracting(e -> ((WhitelistException) e).reason()).isEqualTo(Reason.DTD_REFUSED);
  }

  @Test
  void aWhitelistWithoutDomainsIsRefusedAsEmpty() {
    byte[] empty = (HEAD + "<ListeBlancheMSSante xmlns=\"" + WhitelistLoader.NAMESPACE + "\">"
        + "<DateDeGeneration>2026-01-01T00:00:00Z</DateDeGeneration><ListeDomaines/></ListeBlancheMSSante>")
        .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> loader.parse(empty, Optional.empty()))
        .isInstanceOf(WhitelistException.class)
        .extracting(e -> ((WhitelistException) e).reason()).isEqualTo(Reason.EMPTY);
  }

  @Test
  void aDocumentInAnotherNamespaceIsRefusedAsMalformed() {
    byte[] other = (HEAD + "<ListeBlancheMSSante xmlns=\"urn:other\"><DateDeGeneration>2026-01-01T00:00:00Z"
        + "</DateDeGeneration></ListeBlancheMSSante>").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> loader.parse(other, Optional.empty()))
        .isInstanceOf(WhitelistException.class)
        .extracting(e -> ((WhitelistException) e).reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void theWhitelistAndItsChecksumAreFetchedFromAUrl() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serve(server, "/listeblanchemssante.xml", Files.readAllBytes(XML));
    serve(server, "/checksum", Files.readAllBytes(CHECKSUM));
    serve(server, "/bad-checksum", "00".repeat(32).getBytes(StandardCharsets.US_ASCII));
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      Whitelist w = loader.load(URI.create(base + "/listeblanchemssante.xml"), Optional.of(URI.create(base + "/checksum")));
      assertThat(w.entryCount()).isEqualTo(619);

      assertThatThrownBy(() -> loader.load(URI.create(base + "/listeblanchemssante.xml"),
          Optional.of(URI.create(base + "/bad-checksum"))))
          .extracting(e -> ((WhitelistException) e).reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
      assertThatThrownBy(() -> loader.load(URI.create(base + "/missing"), Optional.empty()))
          .extracting(e -> ((WhitelistException) e).reason()).isEqualTo(Reason.UNREADABLE);
    } finally {
      server.stop(0);
    }
  }

  private static void serve(HttpServer server, String path, byte[] body) {
    server.createContext(path, ex -> {
      ex.sendResponseHeaders(200, body.length);
      try (var out = ex.getResponseBody()) {
        out.write(body);
      }
    });
  }
}
