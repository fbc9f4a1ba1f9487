package org.pont.gateway.directory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One professional or organisation of the directory (annuaire) with its mailboxes. Social and
 * medico-social actors (assistant de service social, éducateur spécialisé, aide-soignant...) are
 * professionals like any other: their profession is free text from the source.
 *
 * @param id the national identifier (RPPS, ADELI, FINESS, SIRET...)
 * @param kind a person or an organisation
 * @param familyName family name (persons); empty for organisations
 * @param givenName given name (persons); empty for organisations
 * @param organisation the organisation's name (raison sociale), or the one a person works in
 * @param profession e.g. "Médecin", "Educateur spécialisé"; empty for organisations
 * @param specialty e.g. "Médecine générale"; empty if none
 * @param address street address, empty if unknown
 * @param postcode postcode, empty if unknown
 * @param city city, empty if unknown
 * @param listeRouge the entry must never be published (search, export)
 * @param mailboxes its MSSanté mailboxes
 */
public record DirectoryEntry(
    Identifier id,
    Kind kind,
    String familyName,
    String givenName,
    String organisation,
    String profession,
    String specialty,
    String address,
    String postcode,
    String city,
    boolean listeRouge,
    List<Mailbox> mailboxes) {

  /** A person (Practitioner) or an organisation (Organization). */
  public enum Kind { PROFESSIONAL, ORGANISATION }

  public DirectoryEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    familyName = clean(familyName);
    givenName = clean(givenName);
    organisation = clean(organisation);
    profession = clean(profession);
    specialty = clean(specialty);
    address = clean(address);
    postcode = clean(postcode);
    city = clean(city);
    mailboxes = List.copyOf(mailboxes == null ? List.of() : mailboxes);
  }

  /** "Hélène Martin" for a person, the organisation's name otherwise. */
  public String displayName() {
    String n = (givenName + " " + familyName).strip();
    return n.isEmpty() ? organisation : n;
  }

  /**
   * The entry as it may be published: empty if it is liste rouge, or if it has mailboxes and all
   * of them are liste rouge (publishing the person without a mailbox would still reveal them);
   * otherwise the entry without its liste-rouge mailboxes.
   */
  public Optional<DirectoryEntry> published() {
    List<Mailbox> visible = mailboxes.stream().filter(m -> !m.listeRouge()).toList();
    if (listeRouge || (!mailboxes.isEmpty() && visible.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new DirectoryEntry(id, kind, familyName, givenName, organisation, profession, specialty,
        address, postcode, city, false, visible));
  }

  /** The same entry with {@code more} mailboxes added (an import meeting the same identifier twice). */
  public DirectoryEntry withMailboxes(List<Mailbox> more) {
    List<Mailbox> all = new java.util.ArrayList<>(mailboxes);
    for (Mailbox m : more) {
      if (all.stream().noneMatch(x -> x.address().equals(m.address()))) {
        all.add(m);
      }
    }
    return new DirectoryEntry(id, kind, familyName, givenName, organisation, profession, specialty,
        address, postcode, city, listeRouge, all);
  }

  private static String clean(String s) {
    return s == null ? "" : s.strip();
  }
}
