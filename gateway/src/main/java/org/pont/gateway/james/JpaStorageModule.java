package org.pont.gateway.james;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import com.google.inject.name.Names;
import java.io.FileNotFoundException;
import java.util.HashMap;
import java.util.Map;
import javax.inject.Inject;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.CoreDataModule;
import org.apache.james.adapter.mailbox.ACLUsernameChangeTaskStep;
import org.apache.james.adapter.mailbox.MailboxUsernameChangeTaskStep;
import org.apache.james.adapter.mailbox.QuotaUsernameChangeTaskStep;
import org.apache.james.adapter.mailbox.UserRepositoryAuthenticator;
import org.apache.james.adapter.mailbox.UserRepositoryAuthorizator;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.jpa.JPADomainList;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.events.EventListener;
import org.apache.james.mailbox.AttachmentContentLoader;
import org.apache.james.mailbox.Authenticator;
import org.apache.james.mailbox.Authorizator;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxPathLocker;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.mailbox.extractor.TextExtractor;
import org.apache.james.mailbox.jpa.JPAAttachmentContentLoader;
import org.apache.james.mailbox.jpa.JPAId;
import org.apache.james.mailbox.jpa.JPAMailboxSessionMapperFactory;
import org.apache.james.mailbox.jpa.mail.JPAModSeqProvider;
import org.apache.james.mailbox.jpa.mail.JPAUidProvider;
import org.apache.james.mailbox.jpa.openjpa.OpenJPAMailboxManager;
import org.apache.james.mailbox.jpa.quota.JPAPerUserMaxQuotaManager;
import org.apache.james.mailbox.jpa.quota.JpaCurrentQuotaManager;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.QuotaRootDeserializer;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.apache.james.mailbox.quota.UserQuotaRootResolver;
import org.apache.james.mailbox.store.JVMMailboxPathLocker;
import org.apache.james.mailbox.store.MailboxManagerConfiguration;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.SessionProviderImpl;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.apache.james.mailbox.store.StoreSubscriptionManager;
import org.apache.james.mailbox.store.event.MailboxAnnotationListener;
import org.apache.james.mailbox.store.extractor.JsoupTextExtractor;
import org.apache.james.mailbox.store.mail.MailboxMapperFactory;
import org.apache.james.mailbox.store.mail.MessageMapperFactory;
import org.apache.james.mailbox.store.mail.ModSeqProvider;
import org.apache.james.mailbox.store.mail.NaiveThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.ThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.UidProvider;
import org.apache.james.mailbox.store.mail.model.DefaultMessageId;
import org.apache.james.mailbox.store.quota.DefaultUserQuotaRootResolver;
import org.apache.james.mailbox.store.quota.ListeningCurrentQuotaUpdater;
import org.apache.james.mailbox.store.quota.QuotaUpdater;
import org.apache.james.mailbox.store.quota.StoreQuotaManager;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.apache.james.mailbox.store.search.SimpleMessageSearchIndex;
import org.apache.james.mailbox.store.user.SubscriptionMapperFactory;
import org.apache.james.mailrepository.api.MailRepositoryFactory;
import org.apache.james.mailrepository.api.MailRepositoryUrlStore;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.mailrepository.jpa.JPAMailRepository;
import org.apache.james.mailrepository.jpa.JPAMailRepositoryFactory;
import org.apache.james.mailrepository.jpa.JPAMailRepositoryUrlStore;
import org.apache.james.mailrepository.memory.MailRepositoryStoreConfiguration;
import org.apache.james.quota.search.QuotaSearcher;
import org.apache.james.quota.search.scanning.ScanningQuotaSearcher;
import org.apache.james.rrt.api.AliasReverseResolver;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.jpa.JPARecipientRewriteTable;
import org.apache.james.rrt.lib.AliasReverseResolverImpl;
import org.apache.james.rrt.lib.CanSendFromImpl;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.user.api.UsernameChangeTaskStep;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.jpa.JPAUsersRepository;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.MailboxManagerDefinition;
import org.apache.james.utils.PropertiesProvider;

/**
 * Pont's wiring of James's published JPA components (the JPA server's own Guice modules are not
 * on Maven Central): domains, users, recipient rewrites, mailboxes, quotas and the JPA mail
 * repository on one entity manager over embedded Derby. Search scans messages (no Lucene 3.6:
 * client-lib uses a modern Lucene with the same package names), so nothing re-indexes.
 */
final class JpaStorageModule extends AbstractModule {

  /** The persistence unit in this module's {@code META-INF/persistence.xml}. */
  static final String PERSISTENCE_UNIT = "pont-james";

  @Override
  protected void configure() {
    install(new CoreDataModule());
    bindData();
    bindMailbox();
    bindQuota();
    bindSearch();
  }

  private void bindData() {
    bind(JPADomainList.class).in(Scopes.SINGLETON);
    bind(DomainList.class).to(JPADomainList.class);

    bind(JPARecipientRewriteTable.class).in(Scopes.SINGLETON);
    bind(RecipientRewriteTable.class).to(JPARecipientRewriteTable.class);
    bind(AliasReverseResolverImpl.class).in(Scopes.SINGLETON);
    bind(AliasReverseResolver.class).to(AliasReverseResolverImpl.class);
    bind(CanSendFromImpl.class).in(Scopes.SINGLETON);
    bind(CanSendFrom.class).to(CanSendFromImpl.class);

    bind(JPAUsersRepository.class).in(Scopes.SINGLETON);
    bind(UsersRepository.class).to(JPAUsersRepository.class);

    // The URL store is in Derby; repositories themselves are "file://" (mailrepositorystore.xml)
    // with "jpa://" available too.
    bind(JPAMailRepositoryUrlStore.class).in(Scopes.SINGLETON);
    bind(MailRepositoryUrlStore.class).to(JPAMailRepositoryUrlStore.class);
    bind(MailRepositoryStoreConfiguration.Item.class)
        .toProvider(() -> new MailRepositoryStoreConfiguration.Item(
            com.google.common.collect.ImmutableList.of(new Protocol("jpa")),
            JPAMailRepository.class.getName(),
            new BaseHierarchicalConfiguration()));
    Multibinder.newSetBinder(binder(), MailRepositoryFactory.class)
        .addBinding().to(JPAMailRepositoryFactory.class);
  }

  private void bindMailbox() {
    bind(JPAMailboxSessionMapperFactory.class).in(Scopes.SINGLETON);
    bind(OpenJPAMailboxManager.class).in(Scopes.SINGLETON);
    bind(JVMMailboxPathLocker.class).in(Scopes.SINGLETON);
    bind(StoreSubscriptionManager.class).in(Scopes.SINGLETON);
    bind(JPAModSeqProvider.class).in(Scopes.SINGLETON);
    bind(JPAUidProvider.class).in(Scopes.SINGLETON);
    bind(UserRepositoryAuthenticator.class).in(Scopes.SINGLETON);
    bind(UserRepositoryAuthorizator.class).in(Scopes.SINGLETON);
    bind(JPAId.Factory.class).in(Scopes.SINGLETON);
    bind(DefaultMessageId.Factory.class).in(Scopes.SINGLETON);
    bind(NaiveThreadIdGuessingAlgorithm.class).in(Scopes.SINGLETON);
    bind(SessionProviderImpl.class).in(Scopes.SINGLETON);

    bind(SubscriptionMapperFactory.class).to(JPAMailboxSessionMapperFactory.class);
    bind(MessageMapperFactory.class).to(JPAMailboxSessionMapperFactory.class);
    bind(MailboxMapperFactory.class).to(JPAMailboxSessionMapperFactory.class);
    bind(MailboxSessionMapperFactory.class).to(JPAMailboxSessionMapperFactory.class);
    bind(MessageId.Factory.class).to(DefaultMessageId.Factory.class);
    bind(ThreadIdGuessingAlgorithm.class).to(NaiveThreadIdGuessingAlgorithm.class);
    bind(ModSeqProvider.class).to(JPAModSeqProvider.class);
    bind(UidProvider.class).to(JPAUidProvider.class);
    bind(SubscriptionManager.class).to(StoreSubscriptionManager.class);
    bind(MailboxPathLocker.class).to(JVMMailboxPathLocker.class);
    bind(Authenticator.class).to(UserRepositoryAuthenticator.class);
    bind(Authorizator.class).to(UserRepositoryAuthorizator.class);
    bind(MailboxManager.class).to(OpenJPAMailboxManager.class);
    bind(StoreMailboxManager.class).to(OpenJPAMailboxManager.class);
    bind(SessionProvider.class).to(SessionProviderImpl.class);
    bind(MailboxId.Factory.class).to(JPAId.Factory.class);
    bind(AttachmentContentLoader.class).to(JPAAttachmentContentLoader.class);
    bind(MailboxManager.class).annotatedWith(Names.named("mailboxmanager")).to(MailboxManager.class);
    bind(MailboxManagerConfiguration.class).toInstance(MailboxManagerConfiguration.DEFAULT);

    Multibinder.newSetBinder(binder(), MailboxManagerDefinition.class)
        .addBinding().to(JpaMailboxManagerDefinition.class);
    Multibinder.newSetBinder(binder(), EventListener.GroupEventListener.class)
        .addBinding().to(MailboxAnnotationListener.class);
    Multibinder<UsernameChangeTaskStep> steps = Multibinder.newSetBinder(binder(), UsernameChangeTaskStep.class);
    steps.addBinding().to(MailboxUsernameChangeTaskStep.class);
    steps.addBinding().to(ACLUsernameChangeTaskStep.class);
    steps.addBinding().to(QuotaUsernameChangeTaskStep.class);
  }

  private void bindQuota() {
    bind(DefaultUserQuotaRootResolver.class).in(Scopes.SINGLETON);
    bind(JPAPerUserMaxQuotaManager.class).in(Scopes.SINGLETON);
    bind(StoreQuotaManager.class).in(Scopes.SINGLETON);
    bind(JpaCurrentQuotaManager.class).in(Scopes.SINGLETON);
    bind(UserQuotaRootResolver.class).to(DefaultUserQuotaRootResolver.class);
    bind(QuotaRootResolver.class).to(DefaultUserQuotaRootResolver.class);
    bind(QuotaRootDeserializer.class).to(DefaultUserQuotaRootResolver.class);
    bind(MaxQuotaManager.class).to(JPAPerUserMaxQuotaManager.class);
    bind(QuotaManager.class).to(StoreQuotaManager.class);
    bind(CurrentQuotaManager.class).to(JpaCurrentQuotaManager.class);
    bind(ListeningCurrentQuotaUpdater.class).in(Scopes.SINGLETON);
    bind(QuotaUpdater.class).to(ListeningCurrentQuotaUpdater.class);
    Multibinder.newSetBinder(binder(), EventListener.ReactiveGroupEventListener.class)
        .addBinding().to(ListeningCurrentQuotaUpdater.class);
    bind(ScanningQuotaSearcher.class).in(Scopes.SINGLETON);
    bind(QuotaSearcher.class).to(ScanningQuotaSearcher.class);
  }

  private void bindSearch() {
    bind(SimpleMessageSearchIndex.class).in(Scopes.SINGLETON);
    bind(MessageSearchIndex.class).to(SimpleMessageSearchIndex.class);
    bind(TextExtractor.class).to(JsoupTextExtractor.class);
  }

  @Provides
  @Singleton
  EntityManagerFactory entityManagerFactory(PropertiesProvider properties)
      throws FileNotFoundException, ConfigurationException {
    Configuration db = properties.getConfiguration("james-database");
    Map<String, String> jpa = new HashMap<>();
    jpa.put("openjpa.ConnectionDriverName", db.getString("database.driverClassName"));
    jpa.put("openjpa.ConnectionURL", db.getString("database.url"));
    jpa.put("openjpa.ConnectionUserName", db.getString("database.username"));
    jpa.put("openjpa.ConnectionPassword", db.getString("database.password"));
    jpa.put("openjpa.Multithreaded", "true");
    db.getKeys("openjpa").forEachRemaining(key -> jpa.put(key, db.getString(key)));
    return Persistence.createEntityManagerFactory(PERSISTENCE_UNIT, jpa);
  }

  @ProvidesIntoSet
  InitializationOperation configureDomainList(DomainListConfiguration configuration, JPADomainList domainList) {
    return InitilizationOperationBuilder.forClass(JPADomainList.class)
        .init(() -> domainList.configure(configuration));
  }

  @ProvidesIntoSet
  InitializationOperation configureRecipientRewriteTable(ConfigurationProvider provider, JPARecipientRewriteTable rrt) {
    return InitilizationOperationBuilder.forClass(JPARecipientRewriteTable.class)
        .init(() -> rrt.configure(provider.getConfiguration("recipientrewritetable")));
  }

  @ProvidesIntoSet
  InitializationOperation configureUsers(ConfigurationProvider provider, JPAUsersRepository users) {
    return InitilizationOperationBuilder.forClass(JPAUsersRepository.class)
        .init(() -> users.configure(provider.getConfiguration("usersrepository")));
  }

  @Singleton
  static final class JpaMailboxManagerDefinition extends MailboxManagerDefinition {
    @Inject
    JpaMailboxManagerDefinition(OpenJPAMailboxManager manager) {
      super("jpa-mailboxmanager", manager);
    }
  }
}
