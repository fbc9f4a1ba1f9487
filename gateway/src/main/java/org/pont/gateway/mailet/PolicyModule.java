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
import org.pont.gateway.directory.ReloadingWhitelist;

/**
 * The gateway services the policy mailets receive through their {@code @Inject} constructors,
 * combined into the embedded James server: the whitelist (trusted domains, operator DNs for the
 * operator port's check), the recipient certificate store (a stand-in the directory will
 * replace), the audit trail and the organisation's keys.
 */
public final class PolicyModule extends AbstractModule {

  private final GatewaySettings settings;
  private final ReloadingWhitelist whitelist;

  public PolicyModule(GatewaySettings settings, ReloadingWhitelist whitelist) {
    this.settings = settings;
    this.whitelist = whitelist;
  }

  @Override
  protected void configure() {
    bind(GatewaySettings.Policy.class).toInstance(settings.policy());
    bind(ReloadingWhitelist.class).toInstance(whitelist);
    bind(TrustedDomains.class).toInstance(new WhitelistTrustedDomains(settings.domain(), whitelist,
        new FileTrustedDomains(Set.of(settings.domain()), settings.trustedDomainsFile())));
    bind(RecipientCertificates.class).toInstance(new PemRecipientCertificates(settings.certificatesDir()));
    bind(AuditLog.class).toInstance(new FileAuditLog(settings.auditDir()));
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
