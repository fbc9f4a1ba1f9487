package org.pont.xdm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class XdsTimeTest {

  @Test
  void aFullTimeIsReadAsUtc() {
    assertThat(XdsTime.parse("20110117211159")).isEqualTo(Instant.parse("2011-01-17T21:11:59Z"));
  }

  @Test
  void aTruncatedTimeMeansTheStartOfItsPeriod() {
    assertThat(XdsTime.parse("20150623")).isEqualTo(Instant.parse("2015-06-23T00:00:00Z"));
    assertThat(XdsTime.parse("2015")).isEqualTo(Instant.parse("2015-01-01T00:00:00Z"));
  }

  @Test
  void anOffsetIsHonoured() {
    assertThat(XdsTime.parse("20261122101530+0100")).isEqualTo(Instant.parse("2026-11-22T09:15:30Z"));
  }

  @Test
  void writingGivesFourteenDigitsInUtc() {
    assertThat(XdsTime.format(Instant.parse("2026-11-22T09:15:30Z"))).isEqualTo("20261122091530");
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> XdsTime.parse("En fonction de la soumission")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XdsTime.parse("20151323")).isInstanceOf(IllegalArgumentException.class);
  }
}
