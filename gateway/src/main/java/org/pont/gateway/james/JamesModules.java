package org.pont.gateway.james;

import com.google.inject.Module;
import com.google.inject.Scopes;
import com.google.inject.util.Modules;
import java.util.List;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.NaiveDelegationStoreModule;
import org.apache.james.mailbox.store.mail.NaiveThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.ThreadIdGuessingAlgorithm;
import org.apache.james.modules.MailboxModule;
import org.apache.james.modules.MailetProcessingModule;
import org.apache.james.modules.data.MemoryUsersRepositoryModule;
import org.apache.james.modules.mailbox.DefaultEventModule;
import org.apache.james.modules.mailbox.MemoryDeadLetterModule;
import org.apache.james.modules.protocols.IMAPServerModule;
import org.apache.james.modules.protocols.ProtocolHandlerModule;
import org.apache.james.modules.protocols.SMTPServerModule;
import org.apache.james.modules.server.DefaultProcessorsConfigurationProviderModule;
import org.apache.james.modules.server.RawPostDequeueDecoratorModule;
import org.apache.james.modules.server.TaskManagerModule;
import org.pont.gateway.config.GatewaySettings;

/** The Guice modules that make up the embedded James, per storage mode. */
final class JamesModules {

  private JamesModules() {}

  static List<Module> forStorage(GatewaySettings.Storage storage) {
    return switch (storage) {
      case PERSISTENT -> List.of(persistent(), new ListenersProbe.Module(), new MailboxAccessProbe.Module());
      case MEMORY -> List.of(
          // As the persistent storage does (JpaStorageModule): James's in-memory mailbox guesses a
          // new message's thread by searching every mailbox of the user, and its search index parses
          // each stored message to answer, so each delivery cost grew with the mailbox (a 600-message
          // benchmark run spent a sixth of the gateway's CPU there). Pont has no use for threads.
          Modules.override(MemoryJamesServerMain.SMTP_AND_IMAP_MODULE).with(binder -> {
            binder.bind(NaiveThreadIdGuessingAlgorithm.class).in(Scopes.SINGLETON);
            binder.bind(ThreadIdGuessingAlgorithm.class).to(NaiveThreadIdGuessingAlgorithm.class);
          }),
          new MemoryUsersRepositoryModule(),
          new ListenersProbe.Module(),
          new MailboxAccessProbe.Module());
    };
  }

  /** What James's JPA server assembles, minus WebAdmin, JMX, LMTP, POP3, ManageSieve and Lucene. */
  private static Module persistent() {
    return Modules.combine(
        new MailetProcessingModule(),
        new DefaultProcessorsConfigurationProviderModule(),
        new RawPostDequeueDecoratorModule(),
        new NaiveDelegationStoreModule(),
        new TaskManagerModule(),
        new NoTasksModule(),
        new MailboxModule(),
        new DefaultEventModule(),
        new MemoryDeadLetterModule(),
        new JpaStorageModule(),
        new ActiveMqQueueModule(),
        new ProtocolHandlerModule(),
        new SMTPServerModule(),
        new IMAPServerModule());
  }
}
