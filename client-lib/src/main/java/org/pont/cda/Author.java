package org.pont.cda;

import java.util.Objects;
import java.util.Optional;

/**
 * The author of a document: a health professional (id, e.g. RPPS), the name, the profession /
 * specialty code (JDV_J01, e.g. {@code G15_10/SM26} general practitioner) and the organisation
 * the author acts for.
 */
public record Author(InstanceId id, Optional<PersonName> name, Optional<CdaCode> specialty, Optional<Organization> organization) {

  public Author {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(specialty, "specialty");
    Objects.requireNonNull(organization, "organization");
  }

  /** An author as builders need one: every part present. */
  public static Author of(InstanceId id, PersonName name, CdaCode specialty, Organization organization) {
    return new Author(id, Optional.of(name), Optional.of(specialty), Optional.of(organization));
  }

  /** JDV_J01 / TRE_G15 + R38 code of a profession and specialty, e.g. ("G15_10/SM26", "Médecin - Qualifié en Médecine Générale (SM)"). */
  public static CdaCode specialty(String code, String displayName) {
    return CdaCode.of(code, "1.2.250.1.213.1.1.4.5", displayName);
  }
}
