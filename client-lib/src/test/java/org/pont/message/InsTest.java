package org.pont.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InsTest {

  // Test INS from the ANS examples (INS-NIR test OID 1.2.250.1.213.1.4.10).
  private static final String ANS_SAMPLE = "279035121518989";
  private static final String MSSANTE_EXAMPLE = "248039263001064";

  @Test
  void aNirWithItsRightKeyIsAccepted() throws Exception {
    Ins ins = Ins.parse(ANS_SAMPLE, InsKind.INS_NIR_TEST);

    assertThat(ins.matricule()).isEqualTo("2790351215189");
    assertThat(ins.key()).isEqualTo("89");
    assertThat(ins.kind()).isEqualTo(InsKind.INS_NIR_TEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"185052A012345" + "79", "285062B054321" + "97"})
  void corsicanDepartments2Aand2BAreCountedAsInTheNirRule(String value) throws Exception {
    assertThat(Ins.parse(value, InsKind.INS_NIR).value()).isEqualTo(value);
  }

  @Test
  void lowerCaseCorsicanDepartmentIsNormalised() throws Exception {
    assertThat(Ins.parse(" 185052a01234579 ", InsKind.INS_NIR).value()).isEqualTo("185052A01234579");
  }

  @Test
  void aCorsicanNumberWithTheKeyOfTheOtherDepartmentIsRefused() {
    // 2A and 2B give different keys: swapping them must not pass.
    assertThatThrownBy(() -> Ins.parse("185052B01234579", InsKind.INS_NIR))
        .isInstanceOf(InvalidInsException.class)
        .extracting(e -> ((InvalidInsException) e).reason())
        .isEqualTo(InvalidInsException.Reason.WRONG_KEY);
  }

  @Test
  void aWrongKeyIsRefusedWithoutEchoingTheNumber() {
    assertThatThrownBy(() -> Ins.parse("279035121518988", InsKind.INS_NIR_TEST))
        .isInstanceOfSatisfying(InvalidInsException.class, e -> {
          assertThat(e.reason()).isEqualTo(InvalidInsException.Reason.WRONG_KEY);
          assertThat(e.getMessage()).contains("key").doesNotContain("2790351215189");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"27903512151898", "2790351215189890", "1"})
  void aValueThatIsNot15CharactersIsRefused(String value) {
    assertThatThrownBy(() -> Ins.parse(value, InsKind.INS_NIR_TEST))
        .isInstanceOfSatisfying(InvalidInsException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidInsException.Reason.WRONG_LENGTH));
  }

  @ParameterizedTest
  @ValueSource(strings = {"27903512151898X", "579035121518989", "2790351215189٨٩"})
  void lettersAndImpossibleFirstDigitsAreRefused(String value) {
    assertThatThrownBy(() -> Ins.parse(value, InsKind.INS_NIR_TEST))
        .isInstanceOfSatisfying(InvalidInsException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidInsException.Reason.WRONG_FORMAT));
  }

  @Test
  void aMissingValueIsRefused() {
    assertThatThrownBy(() -> Ins.parse("  ", InsKind.INS_NIR))
        .isInstanceOfSatisfying(InvalidInsException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidInsException.Reason.MISSING));
  }

  @Test
  void theRecordConstructorRefusesAWrongKeyAsAProgrammingError() {
    assertThatThrownBy(() -> Ins.of("279035121518988", InsKind.INS_NIR_TEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key");
  }

  @Test
  void theOidNamesTheKindOfIns() throws Exception {
    assertThat(Ins.parse(ANS_SAMPLE, "1.2.250.1.213.1.4.10").kind()).isEqualTo(InsKind.INS_NIR_TEST);
    assertThat(Ins.parse(ANS_SAMPLE, "1.2.250.1.213.1.4.8").kind()).isEqualTo(InsKind.INS_NIR);
  }

  @Test
  void anUnknownOidIsRefused() {
    // A hospital's local patient id (IPP) OID, as in the ANS examples.
    assertThatThrownBy(() -> Ins.parse(ANS_SAMPLE, "1.2.3.4.567.8.9.10"))
        .isInstanceOfSatisfying(InvalidInsException.class, e -> {
          assertThat(e.reason()).isEqualTo(InvalidInsException.Reason.UNKNOWN_OID);
          assertThat(e.getMessage()).contains("1.2.3.4.567.8.9.10").contains("1.2.250.1.213.1.4.8");
        });
  }

  @Test
  void theCxFormIsRenderedAsXdmMetadataCarriesIt() {
    assertThat(Ins.of(MSSANTE_EXAMPLE, InsKind.INS_NIR_TEST).toCx())
        .isEqualTo("248039263001064^^^&1.2.250.1.213.1.4.10&ISO^NH");
  }

  @Test
  void theCxFormIsParsed() throws Exception {
    Ins ins = Ins.parseCx("248039263001064^^^&1.2.250.1.213.1.4.10&ISO^NH");

    assertThat(ins).isEqualTo(Ins.of(MSSANTE_EXAMPLE, InsKind.INS_NIR_TEST));
  }

  @Test
  void theCxFormRoundTripsForEveryKind() throws Exception {
    for (InsKind kind : InsKind.values()) {
      Ins ins = Ins.of(ANS_SAMPLE, kind);
      assertThat(Ins.parseCx(ins.toCx())).isEqualTo(ins);
    }
  }

  @Test
  void aCxWithoutTypeCodeIsAccepted() throws Exception {
    assertThat(Ins.parseCx("248039263001064^^^&1.2.250.1.213.1.4.10&ISO").value()).isEqualTo(MSSANTE_EXAMPLE);
  }

  @Test
  void aCxWithAWrongKeyIsRefusedForItsKey() {
    assertThatThrownBy(() -> Ins.parseCx("248039263001065^^^&1.2.250.1.213.1.4.10&ISO^NH"))
        .isInstanceOfSatisfying(InvalidInsException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidInsException.Reason.WRONG_KEY));
  }

  @Test
  void aCxFromAnUnknownAuthorityIsRefused() {
    assertThatThrownBy(() -> Ins.parseCx("248039263001064^^^&1.2.3.4.567.8.9.10&ISO^NH"))
        .isInstanceOfSatisfying(InvalidInsException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidInsException.Reason.UNKNOWN_OID));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "248039263001064",
      "248039263001064^^^1.2.250.1.213.1.4.10^NH",
      "248039263001064^^^&1.2.250.1.213.1.4.10&DNS^NH",
      "248039263001064^^^&1.2.250.1.213.1.4.10&ISO^PI",
      "248039263001064^1^^&1.2.250.1.213.1.4.10&ISO^NH",
      "248039263001064^^^&1.2.250.1.213.1.4.10&ISO^NH^extra"})
  void aMalformedCxIsRefusedWithoutQuotingIt(String cx) {
    assertThatThrownBy(() -> Ins.parseCx(cx))
        .isInstanceOfSatisfying(InvalidInsException.class, e -> {
          assertThat(e.reason()).isEqualTo(InvalidInsException.Reason.MALFORMED_CX);
          assertThat(e.getMessage()).doesNotContain(MSSANTE_EXAMPLE);
        });
  }

  @Test
  void toStringMasksTheMatricule() {
    Ins ins = Ins.of(ANS_SAMPLE, InsKind.INS_NIR_TEST);

    assertThat(ins.toString()).doesNotContain("2790351215189").doesNotContain("79035121518").contains("INS_NIR_TEST");
  }

  @Test
  void aPatientsToStringShowsNoIdentityTraits() {
    Patient p = new Patient(Ins.of(ANS_SAMPLE, InsKind.INS_NIR_TEST), "PAT-TROIS", java.util.List.of("DOMINIQUE"),
        java.time.LocalDate.of(1979, 3, 28), Sex.FEMALE);

    assertThat(p.toString()).doesNotContain("PAT-TROIS").doesNotContain("DOMINIQUE").doesNotContain("1979")
        .doesNotContain("2790351215189");
  }
}
