package org.pont.cda;

import java.util.Objects;

/** A healthcare organisation (custodian, author's organisation): national structure id and name. */
public record Organization(InstanceId id, String name) {

  public Organization {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("an organisation needs a name");
    }
  }

  /** An organisation by FINESS number, see {@link InstanceId#finess(String)}. */
  public static Organization finess(String finess, String name) {
    return new Organization(InstanceId.finess(finess), name);
  }
}
