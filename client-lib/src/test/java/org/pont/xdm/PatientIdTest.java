package org.pont.xdm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pont.message.InsKind;

class PatientIdTest {

  @Test
  void anInsIsWrittenAsMssanteCxWithTheNhTypeCode() {
    PatientId p = PatientId.ofIns(Fixtures.ins("2800875123456"));

    assertThat(p.cx()).isEqualTo(p.id() + "^^^&1.2.250.1.213.1.4.10&ISO^NH");
    assertThat(p.id()).hasSize(15).startsWith("2800875123456");
  }

  @Test
  void parsingACxGivesBackTheSameIdentifier() {
    PatientId p = PatientId.ofIns(Fixtures.ins("2800875123456"));

    assertThat(PatientId.parse(p.cx())).isEqualTo(p);
    assertThat(PatientId.parse("1^^^&2.16.840.1.113883.4.6&ISO")).isEqualTo(PatientId.of("1", "2.16.840.1.113883.4.6"));
  }

  @Test
  void anInsIdentifierWithAValidKeyGivesItsIns() {
    PatientId p = PatientId.ofIns(Fixtures.ins("2800875123456"));

    assertThat(p.ins()).hasValueSatisfying(ins -> assertThat(ins.kind()).isEqualTo(InsKind.INS_NIR_TEST));
    assertThat(PatientId.of("280087512345699", InsKind.INS_NIR_TEST.oid()).ins()).isEmpty();
    assertThat(PatientId.of("1", "2.16.840.1.113883.4.6").ins()).isEmpty();
  }

  @Test
  void aCxWithoutAnOidAuthorityIsRefused() {
    assertThatThrownBy(() -> PatientId.parse("null^^^&null&ISO")).hasMessageContaining("not an OID");
    assertThatThrownBy(() -> PatientId.parse("123")).hasMessageContaining("not an HL7 CX");
    assertThatThrownBy(() -> PatientId.parse("123^^^&1.2.3&DNS")).hasMessageContaining("not ISO");
  }

  @Test
  void anIdentifierContainingAnHl7DelimiterIsRefused() {
    assertThatThrownBy(() -> new PatientId("12^3", "1.2.3", Optional.empty())).hasMessageContaining("delimiter");
  }

  @Test
  void toStringMasksTheIdentifier() {
    PatientId p = PatientId.ofIns(Fixtures.ins("2800875123456"));

    assertThat(p.toString()).doesNotContain("2800875123456").contains("1.2.250.1.213.1.4.10");
    assertThat(Fixtures.submissionSet().toString()).doesNotContain("2800875123456");
    assertThat(Fixtures.entry("text/xml", "t").build().toString()).doesNotContain("2800875123456").doesNotContain("DUPONT");
  }
}
