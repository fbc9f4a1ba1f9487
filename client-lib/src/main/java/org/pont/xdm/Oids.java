package org.pont.xdm;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/** Identifiers for new metadata objects. */
final class Oids {
  private Oids() {}

  /** A fresh OID under the 2.25 arc (ITU-T X.667: the UUID read as an unsigned integer). */
  static String fromRandomUuid() {
    UUID u = UUID.randomUUID();
    byte[] bytes = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    return "2.25." + new BigInteger(1, bytes);
  }

  /** A fresh ebRIM object id, {@code urn:uuid:...}. */
  static String newEntryUuid() {
    return "urn:uuid:" + UUID.randomUUID();
  }
}
