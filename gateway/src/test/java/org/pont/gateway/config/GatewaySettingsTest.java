package org.pont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

  private static final GatewaySettings.Listeners L = GatewaySettings.Listeners.DEFAULTS;

  @Test
  void normalisesTheDomainAndMakesTheDataFolderAbsolute() {
    GatewaySettings s = new GatewaySettings(Path.of("data"), " Hopital.TEST ", GatewaySettings.Storage.PERSISTENT, L);
    assertThat(s.domain()).isEqualTo("hopital.test");
    assertThat(s.dataDir()).isAbsolute();
    assertThat(s.jamesDir()).isEqualTo(s.dataDir().resolve("james"));
  }

  @Test
  void rejectsSomethingThatIsNotADomain() {
    assertThatThrownBy(() -> new GatewaySettings(Path.of("d"), "hopital", GatewaySettings.Storage.MEMORY, L))
        .hasMessageContaining("pont.domain");
    assertThatThrownBy(() -> new GatewaySettings(Path.of("d"), "a b.test", GatewaySettings.Storage.MEMORY, L))
        .hasMessageContaining("pont.domain");
  }

  @Test
  void rejectsPortsOutOfRangeNamingTheSetting() {
    assertThatThrownBy(() -> new GatewaySettings.Listeners("127.0.0.1", 2525, 70000, 2143, 2993))
        .hasMessageContaining("pont.ports.submission");
  }

  @Test
  void storageParsesEitherCaseAndNamesTheChoices() {
    assertThat(GatewaySettings.Storage.parse("Memory")).isEqualTo(GatewaySettings.Storage.MEMORY);
    assertThatThrownBy(() -> GatewaySettings.Storage.parse("cassandra"))
        .hasMessageContaining("'persistent' or 'memory'");
  }
}
