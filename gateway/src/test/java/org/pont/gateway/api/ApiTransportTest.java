package org.pont.gateway.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pont.gateway.Gateway;

/** Plain HTTP only as the documented reverse-proxy set-up: explicitly asked for, and on loopback. */
class ApiTransportTest {

  @Test
  void httpsIsAlwaysAccepted() {
    assertThatCode(() -> ApiTransport.check(true, false, "0.0.0.0")).doesNotThrowAnyException();
  }

  @Test
  void plainHttpWithoutTheReverseProxySettingIsRefused() {
    assertThatThrownBy(() -> ApiTransport.check(false, false, "127.0.0.1"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("pont.api.plain-http=true");
  }

  @Test
  void plainHttpOnANetworkAddressIsRefused() {
    assertThatThrownBy(() -> ApiTransport.check(false, true, "0.0.0.0"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback");
    assertThatThrownBy(() -> ApiTransport.check(false, true, ""))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback");
  }

  @Test
  void plainHttpOnLoopbackForAReverseProxyIsAccepted() {
    assertThatCode(() -> ApiTransport.check(false, true, "127.0.0.1")).doesNotThrowAnyException();
    assertThatCode(() -> ApiTransport.check(false, true, "::1")).doesNotThrowAnyException();
  }

  @Test
  void theGatewayRefusesAClearTextSetUpBeforeStartingAnything() {
    assertThatThrownBy(() -> Gateway.start(Map.of("pont.storage", "memory", "pont.data", "/nonexistent/never-made",
        "pont.api.plain-http", "true", "micronaut.server.host", "0.0.0.0"), Optional.empty()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback");
    assertThatThrownBy(() -> Gateway.start(Map.of("pont.storage", "memory", "pont.data", "/nonexistent/never-made",
        "micronaut.server.ssl.enabled", "false"), Optional.empty()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTPS only");
  }
}
