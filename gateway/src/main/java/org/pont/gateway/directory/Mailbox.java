package org.pont.gateway.directory;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An MSSanté mailbox published in the directory.
 *
 * @param address the address, lower case
 * @param type PER (personal), ORG (organisation), APP (application), CAB (practice)
 * @param description free text the owner published
 * @param service the department (service de rattachement), empty if none
 * @param listeRouge the owner asked for this mailbox not to be published
 * @param encryptionCertificates the mailbox's encryption certificates, PEM
 */
public record Mailbox(
    String address,
    Type type,
    String description,
    String service,
    boolean listeRouge,
    List<String> encryptionCertificates) {

  /** Mailbox types of the MSSanté directory. */
  public enum Type { PER, ORG, APP, CAB }

  public Mailbox {
    Objects.requireNonNull(address, "address");
    address = address.strip().toLowerCase(Locale.ROOT);
    if (!address.contains("@")) {
      throw new IllegalArgumentException("mailbox address must contain @: " + address);
    }
    Objects.requireNonNull(type, "type");
    description = description == null ? "" : description.strip();
    service = service == null ? "" : service.strip();
    encryptionCertificates = List.copyOf(encryptionCertificates == null ? List.of() : encryptionCertificates);
  }

  /** Parses a type code, {@code PER} when blank or unknown. */
  public static Type typeOf(String code) {
    if (code != null) {
      for (Type t : Type.values()) {
        if (t.name().equalsIgnoreCase(code.strip())) {
          return t;
        }
      }
    }
    return Type.PER;
  }
}
