package org.pont.xdm;

import java.util.Objects;
import java.util.Optional;
import org.pont.message.Ins;
import org.pont.message.InsKind;

/**
 * A patient identifier as XDS carries it: an HL7 v2 CX value {@code id^^^&authorityOid&ISO[^type]}.
 * MSSanté identifies the patient by INS: {@code <15-character INS>^^^&1.2.250.1.213.1.4.8&ISO^NH}.
 *
 * <p>{@link #toString()} masks the identifier: patient identifiers never reach logs.
 */
public record PatientId(String id, String assigningAuthority, Optional<String> identifierTypeCode) {

  /** The CX type code MSSanté gives an INS ("NH": national health number). */
  public static final String NATIONAL_HEALTH_NUMBER = "NH";

  public PatientId {
    id = Text.requireNonBlank(id, "patient id");
    assigningAuthority = Text.requireNonBlank(assigningAuthority, "assigning authority");
    Objects.requireNonNull(identifierTypeCode, "identifierTypeCode");
    if (!Cx.isOid(assigningAuthority)) {
      throw new IllegalArgumentException("assigning authority is not an OID: '" + assigningAuthority + "'");
    }
    if (Cx.hasDelimiter(id) || identifierTypeCode.filter(Cx::hasDelimiter).isPresent()) {
      throw new IllegalArgumentException("patient id contains an HL7 delimiter (^ & | ~ \\)");
    }
  }

  public static PatientId of(String id, String assigningAuthorityOid) {
    return new PatientId(id, assigningAuthorityOid, Optional.empty());
  }

  /** The MSSanté form of an INS: the 15 characters, the OID of its kind, type NH. */
  public static PatientId ofIns(Ins ins) {
    return new PatientId(ins.value(), ins.kind().oid(), Optional.of(NATIONAL_HEALTH_NUMBER));
  }

  /** Parses a CX value; refuses one without an identifier or an ISO (OID) assigning authority. */
  public static PatientId parse(String cx) {
    return Cx.parse(cx);
  }

  /** The CX value, e.g. {@code 248092A05412634^^^&1.2.250.1.213.1.4.10&ISO^NH}. */
  public String cx() {
    return Cx.format(this);
  }

  /** The INS this identifier holds, when its authority is an INS OID and the key checks. */
  public Optional<Ins> ins() {
    return InsKind.fromOid(assigningAuthority).flatMap(kind -> {
      try {
        return Optional.of(Ins.of(id, kind));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public String toString() {
    return "PatientId[" + Text.mask(id) + " " + assigningAuthority + "]";
  }
}
