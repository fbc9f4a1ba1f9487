package org.pont.gateway.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pont.certs.TestPki;

class DirectoryIndexTest {
  static final Path CSV = resource("directory/extraction-correspondance-mssante.txt");
  static final Path FHIR = resource("directory/annuaire-bundle.json");

  private DirectoryIndex index;

  @BeforeEach
  void importBothFixtures() throws Exception {
    index = DirectoryIndex.inMemory();
    index.put(new ExtractionCorrespondanceReader().read(CSV).entries());
    index.put(new FhirDirectoryReader().read(FHIR).entries());
  }

  @AfterEach
  void close() throws Exception {
    index.close();
  }

  @Test
  void theBulkExtractionImportsOneEntryPerIdentifierWithItsMailboxesMerged() throws Exception {
    DirectoryImport imported = new ExtractionCorrespondanceReader().read(CSV);

    assertThat(imported.entries()).hasSize(7);
    assertThat(imported.mailboxCount()).isEqualTo(8);
    assertThat(imported.skipped()).singleElement().asString().contains("line 10").contains("no mailbox address");
    DirectoryEntry helene = imported.entries().get(0);
    assertThat(helene.id()).isEqualTo(new Identifier(Identifier.Kind.RPPS, "10000000001"));
    assertThat(helene.givenName()).isEqualTo("Hélène");
    assertThat(helene.city()).isEqualTo("Brest");
    assertThat(helene.address()).isEqualTo("12 Rue de Siam");
    assertThat(helene.mailboxes()).extracting(Mailbox::address)
        .containsExactly("helene.dupont@cabinet-brest.test", "helene.dupont@chu-exemple.test");
    assertThat(imported.entries()).filteredOn(e -> e.kind() == DirectoryEntry.Kind.ORGANISATION)
        .extracting(e -> e.mailboxes().get(0).type()).containsExactly(Mailbox.Type.ORG, Mailbox.Type.APP);
  }

  @Test
  void theBulkExtractionIsParsedByHeaderNameWhateverTheColumnNamingAndTakesTheCityFromTheRoutingLine() throws Exception {
    DirectoryImport imported = new ExtractionCorrespondanceReader().read(resource("directory/extraction-correspondance-snake-case.txt"));

    assertThat(imported.skipped()).isEmpty();
    assertThat(imported.entries()).hasSize(2);
    DirectoryEntry yves = imported.entries().get(0);
    assertThat(yves.displayName()).isEqualTo("Yves TANGUY");
    assertThat(yves.profession()).isEqualTo("Pharmacien");
    assertThat(yves.organisation()).isEqualTo("Pharmacie du Steir");
    assertThat(yves.address()).isEqualTo("2 quai du Steir");
    assertThat(yves.postcode()).isEqualTo("29000");
    assertThat(yves.city()).isEqualTo("QUIMPER");
    assertThat(yves.mailboxes().get(0).service()).isEqualTo("Officine");
    DirectoryEntry ssiad = imported.entries().get(1);
    assertThat(ssiad.id()).isEqualTo(new Identifier(Identifier.Kind.FINESS, "1290000301"));
    assertThat(ssiad.postcode()).isEqualTo("29000");
    assertThat(ssiad.mailboxes().get(0).type()).isEqualTo(Mailbox.Type.ORG);
  }

  @Test
  void theFhirBundleImportsPractitionersWithTheirRolesAndOrganisations() throws Exception {
    DirectoryImport imported = new FhirDirectoryReader().read(FHIR);

    assertThat(imported.entries()).hasSize(4);
    assertThat(imported.mailboxCount()).isEqualTo(5);
    assertThat(imported.skipped()).singleElement().asString().contains("Patient/not-here");
    DirectoryEntry anais = imported.entries().stream().filter(e -> e.familyName().equals("Le Goff")).findFirst().orElseThrow();
    assertThat(anais.profession()).isEqualTo("Infirmier");
    assertThat(anais.specialty()).isEqualTo("Soins infirmiers à domicile");
    assertThat(anais.organisation()).isEqualTo("Centre de santé des Remparts");
    assertThat(anais.city()).isEqualTo("Vannes");
    assertThat(anais.mailboxes()).singleElement().extracting(Mailbox::address, Mailbox::type)
        .containsExactly("anais.legoff@cds-remparts.test", Mailbox.Type.PER);
    DirectoryEntry cds = imported.entries().stream().filter(e -> e.kind() == DirectoryEntry.Kind.ORGANISATION).findFirst().orElseThrow();
    assertThat(cds.id()).isEqualTo(new Identifier(Identifier.Kind.FINESS, "560000001"));
    assertThat(cds.mailboxes().get(0).description()).isEqualTo("Accueil du centre de santé");
    assertThat(cds.mailboxes().get(0).service()).isEqualTo("Accueil");
  }

  @Test
  void searchIsAccentInsensitiveBothWays() throws Exception {
    assertThat(names(index.search(DirectoryQuery.text("helene")))).containsExactly("Hélène DUPONT");
    assertThat(names(index.search(DirectoryQuery.text("LEFEVRE")))).containsExactly("Jérôme LEFÈVRE");
    assertThat(names(index.search(DirectoryQuery.text("Anaïs")))).containsExactly("Anaïs Le Goff");
    assertThat(names(index.search(DirectoryQuery.text("anais")))).containsExactly("Anaïs Le Goff");
  }

  @Test
  void searchToleratesTypos() throws Exception {
    assertThat(names(index.search(DirectoryQuery.text("Dupond")))).containsExactly("Hélène DUPONT");
    assertThat(names(index.search(DirectoryQuery.text("kerouak")))).containsExactly("Maëlle KEROUAC");
  }

  @Test
  void searchFindsSocialAndMedicoSocialActorsByProfessionAndPlace() throws Exception {
    assertThat(names(index.search(DirectoryQuery.text("").withProfession("éducateur spécialisé"))))
        .containsExactly("Maëlle KEROUAC");
    assertThat(names(index.search(DirectoryQuery.text("assistant social")))).containsExactly("Jérôme LEFÈVRE");
    assertThat(names(index.search(DirectoryQuery.text("").withProfession("aide-soignant").withCity("concarneau"))))
        .containsExactly("Sophie GARNIER");
    assertThat(names(index.search(DirectoryQuery.text("").withCity("29200")))).hasSize(3);
  }

  @Test
  void searchByMailboxAddressOrDomain() throws Exception {
    assertThat(names(index.search(DirectoryQuery.text("").withMailbox("Helene.Dupont@CHU-exemple.test"))))
        .containsExactly("Hélène DUPONT");
    assertThat(names(index.search(DirectoryQuery.text("").withMailbox("@cds-remparts.test"))))
        .containsExactlyInAnyOrder("Anaïs Le Goff", "Centre de santé des Remparts");
  }

  @Test
  void listeRougeEntriesAndMailboxesAreNeverReturnedNorExported() throws Exception {
    assertThat(index.search(DirectoryQuery.text("Camille")).entries()).isEmpty();
    assertThat(index.search(DirectoryQuery.text("SECRET")).entries()).extracting(DirectoryEntry::displayName)
        .containsExactly("CHU Exemple"); // its "Secrétariat de cardiologie", not Dr SECRET
    assertThat(index.search(DirectoryQuery.text("psychiatre")).entries()).isEmpty();
    assertThat(index.search(DirectoryQuery.text("Discret")).entries()).isEmpty();
    assertThat(index.search(DirectoryQuery.text("").withMailbox("yann.discret@cds-remparts.test")).total()).isZero();
    assertThat(index.search(DirectoryQuery.text("").withMailbox("erwan.perso@kine-vannes.test")).total()).isZero();
    DirectoryEntry erwan = index.search(DirectoryQuery.text("Morvan")).entries().get(0);
    assertThat(erwan.mailboxes()).extracting(Mailbox::address).containsExactly("erwan.morvan@kine-vannes.test");

    List<DirectoryEntry> exported = index.published();
    assertThat(exported).hasSize(9);
    assertThat(exported).extracting(DirectoryEntry::familyName).doesNotContain("SECRET", "Discret");
    assertThat(exported).flatMap(DirectoryEntry::mailboxes).noneMatch(Mailbox::listeRouge);
    assertThat(index.size()).isEqualTo(11);
  }

  @Test
  void resultsArePagedAndCounted() throws Exception {
    DirectoryPage first = index.search(DirectoryQuery.text("").page(0, 4));
    DirectoryPage third = index.search(DirectoryQuery.text("").page(2, 4));

    assertThat(first.total()).isEqualTo(9);
    assertThat(first.entries()).hasSize(4);
    assertThat(third.entries()).hasSize(1);
    assertThat(index.search(DirectoryQuery.text("").page(5, 4)).entries()).isEmpty();
  }

  @Test
  void certificateLookupReturnsOnlyValidCertificatesAndSaysWhyOthersAreExcluded() throws Exception {
    TestPki pki = TestPki.builder().person("dr.x@cabinet.test").build();
    X509Certificate valid = pki.person("dr.x@cabinet.test").encryption().certificate();
    X509Certificate expired = pki.expired().certificate();
    index.put(List.of(new DirectoryEntry(new Identifier(Identifier.Kind.RPPS, "10000000500"),
        DirectoryEntry.Kind.PROFESSIONAL, "X", "Docteur", "", "Médecin", "", "", "", "", false,
        List.of(new Mailbox("dr.x@cabinet.test", Mailbox.Type.PER, "", "", false, List.of(pem(valid), pem(expired)))))));

    CertificateLookup lookup = index.encryptionCertificates("DR.X@cabinet.test");

    assertThat(lookup.valid()).containsExactly(valid);
    assertThat(lookup.excluded()).singleElement().satisfies(e -> {
      assertThat(e.certificate()).isEqualTo(expired);
      assertThat(e.reason()).startsWith("expired on ");
    });
    assertThat(index.encryptionCertificates("nobody@cabinet.test").isEmpty()).isTrue();
  }

  @Test
  void aListeRougeMailboxStillHasItsCertificateFoundByExactAddress() throws Exception {
    TestPki pki = TestPki.builder().person("secret@cabinet.test").build();
    X509Certificate cert = pki.person("secret@cabinet.test").encryption().certificate();
    index.put(List.of(new DirectoryEntry(new Identifier(Identifier.Kind.RPPS, "10000000501"),
        DirectoryEntry.Kind.PROFESSIONAL, "Cache", "Dominique", "", "Médecin", "", "", "", "", true,
        List.of(new Mailbox("secret@cabinet.test", Mailbox.Type.PER, "", "", true, List.of(pem(cert)))))));

    assertThat(index.encryptionCertificates("secret@cabinet.test").valid()).containsExactly(cert);
    assertThat(index.search(DirectoryQuery.text("Cache")).entries()).isEmpty();
  }

  static String pem(X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static List<String> names(DirectoryPage page) {
    return page.entries().stream().map(DirectoryEntry::displayName).toList();
  }

  static Path resource(String name) {
    try {
      return Path.of(DirectoryIndexTest.class.getClassLoader().getResource(name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aReaderSeesWhatAnotherInstanceImportsIntoTheSameFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    try (DirectoryIndex gateway = DirectoryIndex.open(dir); DirectoryIndex cli = DirectoryIndex.open(dir)) {
      assertThat(gateway.search(DirectoryQuery.text("helene")).total()).isZero(); // no index yet
      cli.put(new ExtractionCorrespondanceReader().read(CSV).entries());
      assertThat(names(gateway.search(DirectoryQuery.text("helene")))).containsExactly("Hélène DUPONT");
      cli.put(new FhirDirectoryReader().read(FHIR).entries());
      assertThat(names(gateway.search(DirectoryQuery.text("anais")))).containsExactly("Anaïs Le Goff");
      assertThat(gateway.size()).isEqualTo(11);
    }
  }

  @Test
  void searchFiltersOnThePublishedMailboxType() throws Exception {
    assertThat(index.search(DirectoryQuery.text("").withType(Mailbox.Type.APP)).entries())
        .allSatisfy(e -> assertThat(e.mailboxes()).extracting(Mailbox::type).contains(Mailbox.Type.APP))
        .isNotEmpty();
    assertThat(index.search(DirectoryQuery.text("helene").withType(Mailbox.Type.ORG)).total()).isZero();
    assertThat(names(index.search(DirectoryQuery.text("helene").withType(Mailbox.Type.PER)))).containsExactly("Hélène DUPONT");
  }
}
