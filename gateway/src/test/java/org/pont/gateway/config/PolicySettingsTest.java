package org.pont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicySettingsTest {

  @Test
  void policyValuesParseAsWrittenInProperties() {
    assertThat(GatewaySettings.Policy.Unsigned.parse(" Deliver ")).isEqualTo(GatewaySettings.Policy.Unsigned.DELIVER);
    assertThat(GatewaySettings.Policy.Unencryptable.parse("sign-only")).isEqualTo(GatewaySettings.Policy.Unencryptable.SIGN_ONLY);
    assertThatThrownBy(() -> GatewaySettings.Policy.Unencryptable.parse("maybe"))
        .hasMessageContaining("pont.policy.unencryptable").hasMessageContaining("sign-only");
  }

  @Test
  void defaultsQuarantineUnsignedRefuseUnencryptableAndReadTrustedDomainsFromTheDataFolder() {
    GatewaySettings s = new GatewaySettings(Path.of("/srv/pont"), "hopital.test", GatewaySettings.Storage.MEMORY,
        GatewaySettings.Listeners.DEFAULTS);
    assertThat(s.policy()).isEqualTo(GatewaySettings.Policy.DEFAULTS);
    assertThat(s.policy().unsigned()).isEqualTo(GatewaySettings.Policy.Unsigned.QUARANTINE);
    assertThat(s.policy().unencryptable()).isEqualTo(GatewaySettings.Policy.Unencryptable.REFUSE);
    assertThat(s.trustedDomainsFile()).isEqualTo(Path.of("/srv/pont/trusted-domains.txt"));
    assertThat(s.certificatesDir()).isEqualTo(Path.of("/srv/pont/certificates"));
    assertThat(s.auditDir()).isEqualTo(Path.of("/srv/pont/audit"));

    GatewaySettings other = new GatewaySettings(Path.of("/srv/pont"), "hopital.test", GatewaySettings.Storage.MEMORY,
        GatewaySettings.Listeners.DEFAULTS, new GatewaySettings.Policy(GatewaySettings.Policy.Unsigned.QUARANTINE,
            GatewaySettings.Policy.Unencryptable.REFUSE, Optional.of(Path.of("conf/peers.txt"))));
    assertThat(other.trustedDomainsFile()).isEqualTo(Path.of("/srv/pont/conf/peers.txt"));
  }
}
