package org.pont.gateway.directory;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the national bulk extraction "Extraction Correspondance MSSanté" (pipe-delimited text,
 * one line per mailbox, a header line first), published as open data by the ANS on
 * annuaire.sante.fr.
 *
 * <p>Column layout: we could not confirm the exact, current column list of this file from a
 * public source while writing this. The ANS extractions of the same family (e.g.
 * {@code ExtractionMonoTable_CAT18_ToutePopulation}, documented column by column) name their
 * columns "Type d'identifiant PP", "Identifiant PP", "Identification nationale PP", "Nom
 * d'exercice", "Prénom d'exercice", "Libellé profession", "Libellé savoir-faire", "Raison sociale
 * site", "Identifiant structure", "Code postal (coord. structure)", "Libellé commune (coord.
 * structure)"... and the MSSanté one adds "Type de BAL", "Adresse BAL", "Service de
 * rattachement". A third-party open-source downloader of the ANS extractions names the 31 columns
 * of this file, in order: type_bal, adresse_bal, type_identifiant_pp, identifiant_pp,
 * identification_nationale_pp, type_identifiant_structure, identification_structure,
 * service_rattachement, civilite_exercice, nom_exercice, prenom_exercice, cat_profession,
 * libelle_cat_profession, code_profession, libelle_profession, code_savoir_faire,
 * libelle_savoir_faire, dematerialisation, raison_sociale_structure_bal,
 * enseigne_commerciale_structure_bal, complement_localisation_structure_bal,
 * complement_distribution_structure_bal, numero_voie_structure_bal,
 * complement_numero_voie_structure_bal, type_voie_structure_bal, libelle_voie_structure_bal,
 * lieudit_mention_structure_bal, ligne_acheminement_structure_bal, code_postal_structure_bal,
 * departement_structure_bal, pays_structure_bal (no separate city: it is in the "ligne
 * d'acheminement", e.g. "29200 BREST"). That is a reuser's naming, not the ANS's own header, and
 * the layout has changed over the years, so this reader <em>parses by header name, not
 * position</em>: headers are
 * compared accent-, case- and punctuation-insensitively against the aliases below, unknown
 * columns are ignored, and only "Adresse BAL" is required. Optional Pont columns "Liste rouge"
 * (O/N, oui/non, true/false, 1/0) and "Certificat chiffrement" (PEM or base64 DER) carry what the
 * open-data file, which excludes liste-rouge mailboxes and certificates, does not.
 */
public final class ExtractionCorrespondanceReader {
  private static final Pattern PIPE = Pattern.compile("|", Pattern.LITERAL);
  /** "29200 BREST", "75015 PARIS CEDEX 15": postcode then city. */
  private static final Pattern ACHEMINEMENT = Pattern.compile("(\\d{5})\\s+(.+)");

  /** Reads {@code file} (UTF-8, or ISO-8859-1 when it is not valid UTF-8). */
  public DirectoryImport read(Path file) throws IOException {
    return read(Files.readAllBytes(file));
  }

  /** Reads an extraction's bytes (UTF-8, or ISO-8859-1 when they are not valid UTF-8). */
  public DirectoryImport read(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    return read(text);
  }

  /** Reads the extraction held in {@code text}. */
  public DirectoryImport read(String text) {
    String[] lines = text.replace("\uFEFF", "").split("\r?\n");
    if (lines.length == 0 || lines[0].isBlank()) {
      return new DirectoryImport(List.of(), List.of("empty file"));
    }
    Map<String, Integer> columns = new LinkedHashMap<>();
    String[] header = PIPE.split(lines[0], -1);
    for (int i = 0; i < header.length; i++) {
      columns.putIfAbsent(norm(header[i]), i);
    }
    List<DirectoryEntry> rows = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    if (find(columns, "adressebal", "adressemssante", "adressemail", "mailbox").isEmpty()) {
      return new DirectoryImport(List.of(), List.of("no 'Adresse BAL' column in the header: " + lines[0]));
    }
    for (int n = 1; n < lines.length; n++) {
      if (lines[n].isBlank()) {
        continue;
      }
      Row r = new Row(columns, PIPE.split(lines[n], -1));
      try {
        rows.add(entry(r));
      } catch (IllegalArgumentException e) {
        skipped.add("line " + (n + 1) + ": " + e.getMessage());
      }
    }
    return DirectoryImport.merged(rows, skipped);
  }

  private static DirectoryEntry entry(Row r) {
    String address = r.get("adressebal", "adressemssante", "adressemail", "mailbox");
    if (address.isBlank()) {
      throw new IllegalArgumentException("no mailbox address");
    }
    boolean listeRouge = yes(r.get("listerouge"));
    String cert = r.get("certificatchiffrement", "certificat");
    Mailbox box = new Mailbox(address, Mailbox.typeOf(r.get("typedebal", "typebal")),
        r.get("descriptionbal", "description"), r.get("servicederattachement", "servicerattachement", "service"), listeRouge,
        cert.isBlank() ? List.of() : List.of(pem(cert)));
    String ppId = r.get("identifiantpp", "identificationnationalepp");
    String family = r.get("nomdexercice", "nomexercice", "nom");
    String given = r.get("prenomdexercice", "prenomexercice", "prenom");
    String organisation = r.get("raisonsocialestructure", "raisonsocialestructurebal", "raisonsocialesite",
        "raisonsociale", "enseignecommercialestructurebal", "enseignecommercialesite", "denominationstructure");
    String structureId = r.get("identificationstructure", "identifiantstructure", "numerofinesssite",
        "numerosiretsite");
    String street = (r.getPrefix("numerovoie") + " " + r.getPrefix("libelletypedevoie", "typevoie", "typedevoie")
        + " " + r.getPrefix("libellevoie")).strip().replaceAll("\\s+", " ");
    String acheminement = r.getPrefix("lignedacheminement", "ligneacheminement");
    java.util.regex.Matcher m = ACHEMINEMENT.matcher(acheminement);
    boolean routed = m.matches();
    String postcode = first(r.getPrefix("codepostal"), routed ? m.group(1) : "");
    String city = first(r.getPrefix("libellecommune", "commune", "ville"), routed ? m.group(2) : acheminement);
    if (!ppId.isBlank()) {
      Identifier id = new Identifier(Identifier.kindOf(r.get("typedidentifiantpp", "typeidentifiantpp")), ppId);
      return new DirectoryEntry(id, DirectoryEntry.Kind.PROFESSIONAL, family, given, organisation,
          r.get("libelleprofession", "profession"), r.get("libellesavoirfaire", "specialite"),
          street, postcode, city, false, List.of(box));
    }
    Identifier id = !structureId.isBlank() ? new Identifier(structureKind(structureId), structureId)
        : new Identifier(Identifier.Kind.OTHER, box.address());
    if (organisation.isBlank()) {
      organisation = box.description().isBlank() ? box.address() : box.description();
    }
    return new DirectoryEntry(id, DirectoryEntry.Kind.ORGANISATION, "", "", organisation, "", "",
        street, postcode, city, false, List.of(box));
  }

  /** FINESS numbers have 9 characters, SIRET 14 digits, SIREN 9 digits; "1"/"3" prefixes as the ANS writes them. */
  private static Identifier.Kind structureKind(String id) {
    String v = id.strip();
    if (v.matches("[13]\\d{9}")) {
      return Identifier.Kind.FINESS;
    }
    if (v.matches("(5|3)?\\d{14}")) {
      return Identifier.Kind.SIRET;
    }
    if (v.matches("\\d[0-9AB]\\d{7}")) {
      return Identifier.Kind.FINESS;
    }
    return Identifier.Kind.OTHER;
  }

  static String pem(String cert) {
    String c = cert.strip();
    if (c.startsWith("-----BEGIN")) {
      return c.replace("\\n", "\n");
    }
    StringBuilder b = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
    for (int i = 0; i < c.length(); i += 64) {
      b.append(c, i, Math.min(c.length(), i + 64)).append('\n');
    }
    return b.append("-----END CERTIFICATE-----\n").toString();
  }

  private static String first(String a, String b) {
    return a.isBlank() ? b : a;
  }

  private static boolean yes(String v) {
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "o", "oui", "y", "yes", "true", "1", "vrai" -> true;
      default -> false;
    };
  }

  static String norm(String header) {
    String n = Normalizer.normalize(header, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  private static Optional<Integer> find(Map<String, Integer> columns, String... names) {
    for (String n : names) {
      if (columns.containsKey(n)) {
        return Optional.of(columns.get(n));
      }
    }
    return Optional.empty();
  }

  private record Row(Map<String, Integer> columns, String[] cells) {
    String get(String... names) {
      return find(columns, names).map(this::cell).orElse("");
    }

    String getPrefix(String... prefixes) {
      for (String p : prefixes) {
        for (Map.Entry<String, Integer> c : columns.entrySet()) {
          if (c.getKey().startsWith(p)) {
            String v = cell(c.getValue());
            if (!v.isBlank()) {
              return v;
            }
          }
        }
      }
      return "";
    }

    private String cell(int i) {
      return i < cells.length ? cells[i].strip() : "";
    }
  }
}
