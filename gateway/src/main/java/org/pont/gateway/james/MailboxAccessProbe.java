package org.pont.gateway.james;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.inject.Inject;
import javax.mail.Flags;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageResultIterator;
import org.apache.james.server.core.MailImpl;
import org.apache.james.utils.GuiceProbe;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.pont.gateway.status.FileMessageStatusStore;
import org.pont.gateway.status.MessageStatusStore;

/**
 * What the REST API needs from the running James, in James's own terms: submit a mail to the
 * spool (so it runs through the whole mailet pipeline, Pont's policy included), read a user's
 * INBOX, list and add domains. Only raw RFC 5322 bytes cross this boundary (javax here,
 * jakarta in the gateway).
 */
public final class MailboxAccessProbe implements GuiceProbe {

  private final MailetContext mailetContext;
  private final MailboxManager mailboxManager;
  private final DomainList domainList;
  private final MessageStatusStore statusStore;

  @Inject
  MailboxAccessProbe(MailetContext mailetContext, MailboxManager mailboxManager, DomainList domainList,
      MessageStatusStore statusStore) {
    this.statusStore = statusStore;
    this.mailetContext = mailetContext;
    this.mailboxManager = mailboxManager;
    this.domainList = domainList;
  }

  /** A message as stored in a mailbox. */
  public record StoredMessage(long uid, Date internalDate, long size, List<String> flags, byte[] raw) {}

  /**
   * Puts a mail on James's spool queue in the root state, as if the sender had submitted it over
   * SMTP with authentication (the API authenticated it with a token for that mailbox).
   *
   * @param name the mail's name in James (the gateway's message id, so mailets can report status)
   */
  public void submit(String name, String sender, List<String> recipients, byte[] raw) throws MessagingException {
    submit(name, sender, recipients, raw, false);
  }

  /**
   * The same, asking for DSNs when {@code requestDsn}: NOTIFY=SUCCESS,FAILURE,DELAY per remote
   * recipient, RET=HDRS and ENVID={@code name}, which James's RemoteDelivery passes on to the next
   * server (whose delivery answers SUCCESS). A recipient of this gateway gets FAILURE,DELAY only: its
   * delivery is recorded in the status store directly, and a success DSN would only land in the
   * sender's own mailbox.
   */
  public void submit(String name, String sender, List<String> recipients, byte[] raw, boolean requestDsn)
      throws MessagingException {
    // Shared stream: the message keeps reading from raw instead of copying the body into its own array.
    MimeMessage mime = new MimeMessage(Session.getDefaultInstance(new Properties()), new javax.mail.util.SharedByteArrayInputStream(raw));
    List<MailAddress> to = new ArrayList<>();
    for (String r : recipients) {
      to.add(new MailAddress(r));
    }
    MailImpl mail = MailImpl.builder()
        .name(name)
        .sender(new MailAddress(sender))
        .addRecipients(to)
        .mimeMessage(mime)
        .addAttribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(sender)))
        .remoteAddr("127.0.0.1")
        .remoteHost("localhost")
        .build();
    if (requestDsn) {
      org.apache.mailet.DsnParameters.Builder dsn = org.apache.mailet.DsnParameters.builder()
          .ret(org.apache.mailet.DsnParameters.Ret.HDRS).envId(org.apache.mailet.DsnParameters.EnvId.of(name));
      for (MailAddress r : to) {
        java.util.EnumSet<org.apache.mailet.DsnParameters.Notify> notify = java.util.EnumSet.of(
            org.apache.mailet.DsnParameters.Notify.FAILURE, org.apache.mailet.DsnParameters.Notify.DELAY);
        if (!mailetContext.isLocalServer(r.getDomain())) {
          notify.add(org.apache.mailet.DsnParameters.Notify.SUCCESS);
        }
        dsn.addRcptParameter(r, org.apache.mailet.DsnParameters.RecipientDsnParameters.of(notify));
      }
      dsn.build().ifPresent(mail::setDsnParameters);
    }
    try {
      mailetContext.sendMail(mail);
    } finally {
      mail.dispose();
    }
  }

  /** Every message of the user's INBOX, without content; empty when the user has no INBOX yet. */
  public List<StoredMessage> inbox(String user) throws Exception {
    return fetch(user, MessageRange.all(), false);
  }

  /** One message of the user's INBOX with its raw content. */
  public Optional<StoredMessage> message(String user, long uid) throws Exception {
    return fetch(user, MessageRange.one(MessageUid.of(uid)), true).stream().findFirst();
  }

  private List<StoredMessage> fetch(String user, MessageRange range, boolean content) throws Exception {
    MailboxSession session = mailboxManager.createSystemSession(Username.of(user));
    List<StoredMessage> out = new ArrayList<>();
    try {
      MessageManager inbox;
      try {
        inbox = mailboxManager.getMailbox(MailboxPath.inbox(session), session);
      } catch (MailboxNotFoundException e) {
        return out;
      }
      MessageResultIterator it = inbox.getMessages(range, content ? FetchGroup.FULL_CONTENT : FetchGroup.MINIMAL, session);
      while (it.hasNext()) {
        MessageResult r = it.next();
        byte[] raw = content ? readAll(r) : headers(r);
        out.add(new StoredMessage(r.getUid().asLong(), r.getInternalDate(), r.getSize(), flags(r.getFlags()), raw));
      }
    } finally {
      mailboxManager.endProcessingRequest(session);
    }
    return out;
  }

  private static byte[] readAll(MessageResult r) throws Exception {
    try (InputStream in = r.getFullContent().getInputStream()) {
      return in.readAllBytes();
    }
  }

  private static byte[] headers(MessageResult r) throws Exception {
    try (InputStream in = r.getHeaders().getInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static List<String> flags(Flags flags) {
    List<String> out = new ArrayList<>();
    for (Flags.Flag f : flags.getSystemFlags()) {
      if (f == Flags.Flag.SEEN) out.add("\\Seen");
      else if (f == Flags.Flag.ANSWERED) out.add("\\Answered");
      else if (f == Flags.Flag.FLAGGED) out.add("\\Flagged");
      else if (f == Flags.Flag.DELETED) out.add("\\Deleted");
      else if (f == Flags.Flag.DRAFT) out.add("\\Draft");
      else if (f == Flags.Flag.RECENT) out.add("\\Recent");
    }
    out.addAll(List.of(flags.getUserFlags()));
    return out;
  }

  public List<String> domains() throws Exception {
    return domainList.getDomains().stream().map(Domain::asString).sorted().toList();
  }

  public void addDomain(String domain) throws Exception {
    Domain d = Domain.of(domain);
    if (!domainList.containsDomain(d)) {
      domainList.addDomain(d);
    }
  }

  /** The store mailets report delivery progress to (the same files the API reads). */
  public MessageStatusStore statusStore() {
    return statusStore;
  }

  /** The probe, and the {@link MessageStatusStore} for mailets ({@code <data>} is James's working directory's parent). */
  static final class Module extends AbstractModule {
    @Override
    protected void configure() {
      Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(MailboxAccessProbe.class);
    }

    @Provides
    @Singleton
    MessageStatusStore messageStatusStore(JamesDirectoriesProvider directories) {
      Path data = Path.of(directories.getRootDirectory()).toAbsolutePath().getParent();
      return FileMessageStatusStore.in(data, org.pont.gateway.webhook.WebhookOutbox.in(data)); // changes become webhook events
    }
  }
}
