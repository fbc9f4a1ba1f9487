package org.pont.xdm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The author of a submission set or document, as the XDS author classification carries it: a
 * person (HL7 XCN, e.g. {@code 810002909371^MARTIN^Jean^^^Dr^^^&1.2.250.1.71.4.2.1&ISO}), the
 * institutions (XON), roles, specialties and telecom addresses. Values are kept as written: they
 * describe health professionals, not patients.
 */
public record Author(
    Optional<String> person,
    List<String> institutions,
    List<String> roles,
    List<String> specialties,
    List<String> telecommunications) {

  public Author {
    Objects.requireNonNull(person, "person");
    institutions = Text.list(institutions, "institutions");
    roles = Text.list(roles, "roles");
    specialties = Text.list(specialties, "specialties");
    telecommunications = Text.list(telecommunications, "telecommunications");
    if (person.isEmpty() && institutions.isEmpty() && telecommunications.isEmpty()) {
      throw new IllegalArgumentException("an author needs a person, an institution or a telecom address");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the parts of an author; {@link #build()} checks there is at least one identifying part. */
  public static final class Builder {
    private String person;
    private final List<String> institutions = new ArrayList<>();
    private final List<String> roles = new ArrayList<>();
    private final List<String> specialties = new ArrayList<>();
    private final List<String> telecoms = new ArrayList<>();

    private Builder() {}

    public Builder person(String xcn) {
      this.person = xcn;
      return this;
    }

    public Builder institution(String xon) {
      institutions.add(Text.requireNonBlank(xon, "institution"));
      return this;
    }

    public Builder role(String role) {
      roles.add(Text.requireNonBlank(role, "role"));
      return this;
    }

    public Builder specialty(String specialty) {
      specialties.add(Text.requireNonBlank(specialty, "specialty"));
      return this;
    }

    public Builder telecommunication(String xtn) {
      telecoms.add(Text.requireNonBlank(xtn, "telecommunication"));
      return this;
    }

    public Author build() {
      return new Author(Text.optional(person), institutions, roles, specialties, telecoms);
    }
  }
}
