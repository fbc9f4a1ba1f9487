package org.pont.gateway.james;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import java.net.InetSocketAddress;
import java.util.List;
import javax.inject.Inject;
import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.apache.james.utils.GuiceProbe;

/**
 * Reads back the ports James actually bound (port 0 in the settings means "any free port"). The
 * servers come in the order of smtpserver.xml / imapserver.xml: operator SMTP then submission;
 * IMAP (STARTTLS) then IMAPS.
 */
public final class ListenersProbe implements GuiceProbe {

  private final SMTPServerFactory smtp;
  private final IMAPServerFactory imap;

  @Inject
  ListenersProbe(SMTPServerFactory smtp, IMAPServerFactory imap) {
    this.smtp = smtp;
    this.imap = imap;
  }

  public BoundPorts boundPorts() {
    List<AbstractConfigurableAsyncServer> smtpServers = smtp.getServers();
    List<AbstractConfigurableAsyncServer> imapServers = imap.getServers();
    return new BoundPorts(
        port(smtpServers, 0, "operator SMTP"),
        port(smtpServers, 1, "submission"),
        port(imapServers, 0, "IMAP"),
        port(imapServers, 1, "IMAPS"));
  }

  private static int port(List<AbstractConfigurableAsyncServer> servers, int index, String what) {
    if (servers.size() <= index) {
      throw new IllegalStateException("James has no " + what + " listener (check smtpserver.xml / imapserver.xml)");
    }
    return servers.get(index).getListenAddresses().stream()
        .findFirst()
        .map(InetSocketAddress::getPort)
        .orElseThrow(() -> new IllegalStateException(what + " listener is not bound"));
  }

  static final class Module extends AbstractModule {
    @Override
    protected void configure() {
      Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(ListenersProbe.class);
    }
  }
}
