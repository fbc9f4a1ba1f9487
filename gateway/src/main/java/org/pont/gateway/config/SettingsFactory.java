package org.pont.gateway.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;

/** Reads {@code pont.*} properties (application.properties, --config file, system properties). */
@Factory
final class SettingsFactory {

  @Singleton
  GatewaySettings gatewaySettings(
      @Value("${pont.data:data}") String data,
      @Value("${pont.domain:hopital.test}") String domain,
      @Value("${pont.storage:persistent}") String storage,
      @Value("${pont.bind:127.0.0.1}") String bind,
      @Value("${pont.ports.smtp:2525}") int smtp,
      @Value("${pont.ports.submission:2587}") int submission,
      @Value("${pont.ports.imap:2143}") int imap,
      @Value("${pont.ports.imaps:2993}") int imaps,
      @Value("${pont.policy.unsigned:quarantine}") String unsigned,
      @Value("${pont.policy.unencryptable:refuse}") String unencryptable,
      @Value("${pont.policy.trusted-domains-file:}") String trustedDomainsFile,
      @Value("${pont.relay.routes:}") String routes,
      @Value("${pont.relay.retry-delays:" + RelaySettings.DEFAULT_DELAYS + "}") String retryDelays,
      @Value("${pont.relay.max-retries:" + RelaySettings.DEFAULT_MAX_RETRIES + "}") int maxRetries,
      @Value("${pont.relay.whitelist-file:}") String whitelistFile) {
    return new GatewaySettings(
        Path.of(data),
        domain,
        GatewaySettings.Storage.parse(storage),
        new GatewaySettings.Listeners(bind, smtp, submission, imap, imaps),
        new GatewaySettings.Policy(
            GatewaySettings.Policy.Unsigned.parse(unsigned),
            GatewaySettings.Policy.Unencryptable.parse(unencryptable),
            trustedDomainsFile.isBlank() ? Optional.empty() : Optional.of(Path.of(trustedDomainsFile.strip()))),
        new RelaySettings(RelaySettings.parseRoutes(routes), RelaySettings.parseDelays(retryDelays), maxRetries,
            whitelistFile.isBlank() ? Optional.empty() : Optional.of(Path.of(whitelistFile.strip()))));
  }
}
