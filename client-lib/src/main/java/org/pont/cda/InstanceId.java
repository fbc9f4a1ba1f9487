package org.pont.cda;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** An HL7 instance identifier (II): an OID {@code root} and, optionally, an {@code extension} within it. */
public record InstanceId(String root, Optional<String> extension) {

  /** OID of national health professional ids (idNat_PS: "8" + RPPS number). */
  public static final String RPPS_ROOT = "1.2.250.1.71.4.2.1";
  /** OID of national structure ids (idNat_Struct: "1" + FINESS number). */
  public static final String STRUCTURE_ROOT = "1.2.250.1.71.4.2.2";

  private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");
  private static final Pattern UUID_ROOT = Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

  public InstanceId {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(extension, "extension");
    // CDA ids are OIDs or UUIDs; anything else breaks receivers' XDS uniqueId handling.
    if (!OID.matcher(root).matches() && !UUID_ROOT.matcher(root).matches()) {
      throw new IllegalArgumentException("an id root must be an OID or a UUID, got '" + root + "'");
    }
  }

  public static InstanceId of(String root) {
    return new InstanceId(root, Optional.empty());
  }

  public static InstanceId of(String root, String extension) {
    return new InstanceId(root, Optional.ofNullable(extension).filter(e -> !e.isBlank()));
  }

  /** A health professional by RPPS number (11 digits): {@code 1.2.250.1.71.4.2.1 / "8" + RPPS}. */
  public static InstanceId rpps(String rpps) {
    if (rpps == null || !rpps.matches("[0-9]{11}")) {
      throw new IllegalArgumentException("an RPPS number has 11 digits");
    }
    return of(RPPS_ROOT, "8" + rpps);
  }

  /** A structure by FINESS number (9 characters): {@code 1.2.250.1.71.4.2.2 / "1" + FINESS}. */
  public static InstanceId finess(String finess) {
    if (finess == null || !finess.matches("[0-9][0-9AB][0-9]{7}")) {
      throw new IllegalArgumentException("a FINESS number has 9 characters (2A/2B allowed for Corsica)");
    }
    return of(STRUCTURE_ROOT, "1" + finess);
  }

  /** A new globally unique id without an extension: the {@code 2.25} OID arc of a random UUID (ISO/IEC 9834-8). */
  public static InstanceId random() {
    UUID u = UUID.randomUUID();
    ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    return of("2.25." + new BigInteger(1, b.array()));
  }

  @Override
  public String toString() {
    return extension.map(e -> root + "^" + e).orElse(root);
  }
}
