package org.pont.gateway.james;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import javax.jms.ConnectionFactory;
import org.apache.activemq.store.PersistenceAdapter;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.queue.activemq.ActiveMQConfiguration;
import org.apache.james.queue.activemq.ActiveMQHealthCheck;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.EmbeddedActiveMQ;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorImpl;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

/**
 * James's mail queues on an embedded ActiveMQ broker with its KahaDB journal under
 * {@code var/store/activemq}: queued mail survives a restart or a crash.
 */
final class ActiveMqQueueModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(PersistenceAdapter.class).to(KahaDBPersistenceAdapter.class);
    bind(KahaDBPersistenceAdapter.class).in(Scopes.SINGLETON);
    bind(EmbeddedActiveMQ.class).in(Scopes.SINGLETON);
    bind(ActiveMQMailQueueFactory.class).in(Scopes.SINGLETON);
    bind(ActiveMQMetricCollectorImpl.class).in(Scopes.SINGLETON);
    bind(ActiveMQMetricCollector.class).to(ActiveMQMetricCollectorImpl.class);
    Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(ActiveMQHealthCheck.class);
  }

  @Provides
  @Singleton
  ConnectionFactory connectionFactory(EmbeddedActiveMQ broker) {
    return broker.getConnectionFactory();
  }

  @Provides
  @Singleton
  MailQueueFactory<? extends ManageableMailQueue> manageableQueues(ActiveMQMailQueueFactory factory) {
    factory.setUseJMX(false); // the gateway exposes no JMX
    factory.init();
    return factory;
  }

  @Provides
  @Singleton
  MailQueueFactory<?> queues(MailQueueFactory<? extends ManageableMailQueue> factory) {
    return factory;
  }

  @Provides
  @Singleton
  MailQueueFactory<? extends MailQueue> typedQueues(ActiveMQMailQueueFactory factory) {
    return factory;
  }

  @Provides
  @Singleton
  ActiveMQConfiguration configuration() {
    return ActiveMQConfiguration.getDefault();
  }

  @ProvidesIntoSet
  InitializationOperation startMetrics(ActiveMQMetricCollector collector) {
    return InitilizationOperationBuilder.forClass(ActiveMQMetricCollector.class).init(collector::start);
  }
}
