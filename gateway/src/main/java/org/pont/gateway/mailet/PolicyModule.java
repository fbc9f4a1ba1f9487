package org.pont.gateway.mailet;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.apache.james.utils.GuiceProbe;
import org.pont.certs.PkiFolder;
import org.pont.gateway.audit.AuditLog;
import org.pont.gateway.audit.FileAuditLog;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.directory.DirectoryIndex;
import org.pont.gateway.directory.ReloadingWhitelist;
import org.pont.gateway.relay.PeerRevocation;
import org.pont.gateway.webhook.WebhookOutbox;

/**
 * The gateway services the policy mailets receive through their {@code @Inject} constructors,
 * combined into the embedded James server. The whitelist gives the trusted domains and the
 * operator DNs the operator port checks (ADR 0011). Recipients' certificates come from the
 * directory index ({@code <data>/directory}, read-only here) and then the PEM folder;
 * {@link #close()} releases the index once James has stopped.
 */
public final class PolicyModule extends AbstractModule implements AutoCloseable {

  private final GatewaySettings settings;
  private final ReloadingWhitelist whitelist;
  private final DirectoryIndex directory;

  public PolicyModule(GatewaySettings settings, ReloadingWhitelist whitelist) {
    this.settings = settings;
    this.whitelist = whitelist;
    try {
      this.directory = DirectoryIndex.open(settings.directoryDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the directory index in " + settings.directoryDir(), e);
    }
  }

  @Override
  public void close() throws IOException {
    directory.close();
  }

  @Override
  protected void configure() {
    bind(GatewaySettings.Policy.class).toInstance(settings.policy());
    bind(ReloadingWhitelist.class).toInstance(whitelist);
    try {
      bind(PeerRevocation.class).toInstance(PeerRevocation.fromPki(PkiFolder.at(settings.pkiDir())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trust space's certificates and CRLs in " + settings.pkiDir(), e);
    }
    bind(TrustedDomains.class).toInstance(new WhitelistTrustedDomains(settings.domain(), whitelist,
        new FileTrustedDomains(Set.of(settings.domain()), settings.trustedDomainsFile())));
    bind(RecipientCertificates.class).toInstance(
        new DirectoryRecipientCertificates(directory, new PemRecipientCertificates(settings.certificatesDir())));
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
