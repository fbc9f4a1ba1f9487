package org.pont.gateway.mailet;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.apache.james.utils.GuiceProbe;
import org.pont.gateway.audit.AuditLog;
import org.pont.gateway.audit.FileAuditLog;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.webhook.WebhookOutbox;

/**
 * The gateway services the policy mailets receive through their {@code @Inject} constructors,
 * combined into the embedded James server. The trusted domains and the certificate store are
 * stand-ins the directory service will replace (bind another implementation here).
 */
public final class PolicyModule extends AbstractModule {

  private final GatewaySettings settings;

  public PolicyModule(GatewaySettings settings) {
    this.settings = settings;
  }

  @Override
  protected void configure() {
    bind(GatewaySettings.Policy.class).toInstance(settings.policy());
    bind(TrustedDomains.class).toInstance(new FileTrustedDomains(Set.of(settings.domain()), settings.trustedDomainsFile()));
    bind(RecipientCertificates.class).toInstance(new PemRecipientCertificates(settings.certificatesDir()));
    bind(AuditLog.class).toInstance(new FileAuditLog(settings.auditDir()));
    bind(WebhookOutbox.class).toInstance(WebhookOutbox.in(settings.dataDir()));
    Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(QuarantineProbe.class);
  }

  @Provides
  @Singleton
  PolicyCrypto crypto() {
    try {
      return PolicyCrypto.fromPki(settings.pkiDir(), settings.domain());
    } catch (IOException e) {
      throw new UncheckedIOException("the policy mailets cannot read the organisation's keys in " + settings.pkiDir(), e);
    }
  }
}
