package org.pont.gateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.certs.TestPki;
import org.pont.gateway.Gateway;
import org.pont.gateway.status.MessageStatusStore;

/**
 * A peer that never answers: RemoteDelivery retries on the short schedule, then gives up; the
 * status moves to FAILED with the reason, the audit trail says RELAY_FAILED, and the sender gets
 * a DSN {@code failed} (RFC 3464) in their mailbox.
 */
class RelayFailureTest {

  @Test
  void aPeerDownForGoodEndsInFailedStatusAuditAndADsnToTheSender(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    TestPki pki = TlsFixtures.sharedPki();
    TlsFixtures.writeGatewayPki(pki, data);
    TlsFixtures.whitelist(pki, data.resolve("whitelist.xml"));
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nothing listens there once closed
    }
    Path config = dir.resolve("gateway.properties");
    Files.writeString(config, String.join("\n", "pont.storage=memory",
        "pont.ports.smtp=0", "pont.ports.submission=0", "pont.ports.imap=0", "pont.ports.imaps=0",
        "micronaut.server.port=-1", "pont.policy.unencryptable=sign-only",
        "pont.relay.routes=cabinet.test=127.0.0.1:" + closed,
        "pont.relay.retry-delays=500ms", "pont.relay.max-retries=2"));
    String sender = "dr.martin@hopital.test";
    String recipient = "kine@cabinet.test";
    String messageId = "<relay-failure-test@hopital.test>";
    try (Gateway gateway = Gateway.start(Map.of("pont.data", data.toString()), Optional.of(config))) {
      var james = gateway.james().james();
      MessageStatusStore statuses = james.mailboxAccess().statusStore();
      statuses.create("relay-failure-test", messageId, "test-token", sender, List.of(recipient));
      Properties credentials = new Properties();
      try (var r = Files.newBufferedReader(data.resolve("credentials.properties"))) {
        credentials.load(r);
      }
      Session session = Session.getInstance(mailProperties(data));
      MimeMessage m = new MimeMessage(session) {
        @Override
        protected void updateMessageID() throws jakarta.mail.MessagingException {
          setHeader("Message-ID", messageId); // so the status record finds it
        }
      };
      m.setFrom(new InternetAddress(sender));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
      m.setSubject("never delivered");
      m.setText("The clinic's gateway is down for good.");
      try (Transport t = session.getTransport("smtp")) {
        t.connect("127.0.0.1", james.ports().submission(), sender, credentials.getProperty(sender));
        t.sendMessage(m, m.getAllRecipients());
      }

      String dsn = awaitDsn(session, james.ports().imaps(), sender, credentials.getProperty(sender));
      assertThat(dsn).containsIgnoringCase("multipart/report").containsIgnoringCase("report-type=delivery-status")
          .contains("Action: failed").contains(recipient)
          .doesNotContain("no DNS entries"); // retried on the static route, never looked up by MX
      MessageStatusStore.RecipientStatus status = statuses.find("relay-failure-test").orElseThrow().recipients().get(recipient);
      assertThat(status.state()).isEqualTo(MessageStatusStore.State.FAILED);
      assertThat(status.reason()).get().asString().startsWith("RELAY_FAILED: ");
      // James's own DSN (free-text Status) was read and reconciled, not left as "unreadable"
      // (waited for: the mailbox may show the DSN before the status store has the report).
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < until && status.timeline().stream()
          .noneMatch(e -> e.source() == MessageStatusStore.Source.NOTIFICATION)) {
        Thread.sleep(100);
        status = statuses.find("relay-failure-test").orElseThrow().recipients().get(recipient);
      }
      assertThat(status.timeline()).anySatisfy(e -> {
        assertThat(e.source()).isEqualTo(MessageStatusStore.Source.NOTIFICATION);
        assertThat(e.state()).isEqualTo(MessageStatusStore.State.FAILED);
      });
      assertThat(audit(data)).contains("\"RELAY_FAILED\"").doesNotContain("\"RELAYED\"");
    }
  }

  private static String awaitDsn(Session session, int imaps, String user, String password) throws Exception {
    try (Store store = session.getStore("imaps")) {
      store.connect("127.0.0.1", imaps, user, password);
      Folder inbox = store.getFolder("INBOX");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (System.nanoTime() < deadline) {
        inbox.open(Folder.READ_ONLY);
        try {
          for (Message msg : inbox.getMessages()) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            msg.writeTo(raw);
            String text = raw.toString(StandardCharsets.UTF_8);
            if (text.contains("delivery-status")) {
              return text;
            }
          }
        } finally {
          inbox.close(false);
        }
        Thread.sleep(300);
      }
      throw new AssertionError("no DSN reached " + user + " within 40 s");
    }
  }

  private static Properties mailProperties(Path data) throws Exception {
    var ctx = TlsFixtures.context(null, org.pont.certs.PkiFolder.readCertificates(data.resolve("pki/trust-anchors.pem")));
    Properties p = new Properties();
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.ssl.socketFactory", ctx.getSocketFactory());
    p.put("mail.imaps.ssl.socketFactory", ctx.getSocketFactory());
    p.put("mail.smtp.timeout", "10000");
    p.put("mail.imaps.timeout", "10000");
    return p;
  }

  private static String audit(Path data) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(data.resolve("audit"))) {
      for (Path p : files.toList()) {
        sb.append(Files.readString(p));
      }
    }
    return sb.toString();
  }
}
