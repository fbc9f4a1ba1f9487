package org.pont.message;

import java.util.Arrays;
import java.util.Optional;

/** What an INS value is, as named by the OID of its assigning authority. */
public enum InsKind {
  /** INS-NIR, the NIR used as health identifier. */
  INS_NIR("1.2.250.1.213.1.4.8"),
  /** INS-NIR for test data (the OID every test document uses). */
  INS_NIR_TEST("1.2.250.1.213.1.4.10"),
  /** INS-NIA, the temporary identifier given while a NIR is being assigned. */
  INS_NIA("1.2.250.1.213.1.4.9"),
  /** INS-NIA for test data. */
  INS_NIA_TEST("1.2.250.1.213.1.4.11");

  private final String oid;

  InsKind(String oid) {
    this.oid = oid;
  }

  public String oid() {
    return oid;
  }

  public static Optional<InsKind> fromOid(String oid) {
    return Arrays.stream(values()).filter(k -> k.oid.equals(oid)).findFirst();
  }
}
