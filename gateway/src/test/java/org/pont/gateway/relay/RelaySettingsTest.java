package org.pont.gateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pont.gateway.config.RelaySettings;
import org.pont.gateway.config.RelaySettings.Route;

/** Static routes, retry schedule and the RemoteDelivery configuration derived from them. */
class RelaySettingsTest {

  @Test
  void routesParseFromCommaOrSpaceSeparatedEntries() {
    assertThat(RelaySettings.parseRoutes("Cabinet.TEST=127.0.0.1:2526, clinique.test=mx.clinique.test:25  autre.test=localhost:25"))
        .containsExactly(new Route("cabinet.test", "127.0.0.1", 2526), new Route("clinique.test", "mx.clinique.test", 25),
            new Route("autre.test", "localhost", 25));
    assertThat(RelaySettings.parseRoutes("")).isEmpty();
    assertThat(RelaySettings.parseRoutes("  ")).isEmpty();
  }

  @Test
  void badRoutesAreRefusedWithTheEntry() {
    assertThatThrownBy(() -> RelaySettings.parseRoutes("cabinet.test:2526"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'cabinet.test:2526' is not domain=host:port");
    assertThatThrownBy(() -> RelaySettings.parseRoutes("cabinet.test=127.0.0.1:port"))
        .hasMessageContaining("no numeric port");
    assertThatThrownBy(() -> RelaySettings.parseRoutes("cabinet.test=127.0.0.1:70000"))
        .hasMessageContaining("between 1 and 65535");
    assertThatThrownBy(() -> RelaySettings.parseRoutes("cabinet=127.0.0.1:25"))
        .hasMessageContaining("not a mail domain");
    assertThatThrownBy(() -> RelaySettings.parseRoutes("cabinet.test=bad_host:25"))
        .hasMessageContaining("not a host name");
    assertThatThrownBy(() -> new RelaySettings(RelaySettings.parseRoutes("a.test=h:25,A.test=g:25"),
        List.of(Duration.ofSeconds(1)), 1, Optional.empty())).hasMessageContaining("names a.test twice");
  }

  @Test
  void retryDelaysParseWithUnitsAndMustFitTheRetryCount() {
    assertThat(RelaySettings.parseDelays("500ms, 2s,1m, 1h ,1d")).containsExactly(Duration.ofMillis(500),
        Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1));
    assertThatThrownBy(() -> RelaySettings.parseDelays("5 minutes")).hasMessageContaining("'5 minutes' is not a wait");
    assertThatThrownBy(() -> RelaySettings.parseDelays("10ms")).hasMessageContaining("shorter than 500 ms");
    assertThatThrownBy(() -> new RelaySettings(List.of(), RelaySettings.parseDelays("1s, 2s, 3s"), 2, Optional.empty()))
        .hasMessageContaining("max-retries must be between the number of retry delays (3) and 1000");
    assertThat(RelaySettings.DEFAULTS.jamesDelayTime()).isEqualTo("60000, 300000, 900000, 3600000");
  }

  @Test
  void eachPeerGetsOneRemoteDeliveryWithItsOwnQueueAndMutualTls() {
    RelaySettings relay = new RelaySettings(
        RelaySettings.parseRoutes("cabinet.test=127.0.0.1:2526, clinique.test=127.0.0.1:2526, autre.test=10.0.0.7:25"),
        RelaySettings.parseDelays("1s"), 5, Optional.empty());
    String xml = RelayConfig.routesXml(relay);
    assertThat(xml).contains("<mailet match=\"HostIs=cabinet.test,clinique.test\" class=\"RemoteDelivery\">")
        .contains("<mailet match=\"HostIs=autre.test\" class=\"RemoteDelivery\">")
        .contains("<outgoing>outgoing-to-127-0-0-1-2526</outgoing>")
        .contains("<outgoing>outgoing-to-10-0-0-7-25</outgoing>")
        .contains("<gateway>127.0.0.1</gateway>").contains("<gatewayPort>2526</gatewayPort>")
        .contains("<delayTime>1000</delayTime>").contains("<maxRetries>5</maxRetries>")
        .contains("<mail.smtp.starttls.required>true</mail.smtp.starttls.required>")
        .contains("<mail.smtp.ssl.socketFactory.class>" + OperatorTlsSocketFactory.class.getName());
    assertThat(xml.split("class=\"RemoteDelivery\"")).hasSize(3);
    assertThat(RelayConfig.routesXml(RelaySettings.DEFAULTS)).isEmpty();
  }
}
