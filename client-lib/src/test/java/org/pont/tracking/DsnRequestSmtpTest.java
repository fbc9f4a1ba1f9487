package org.pont.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.junit.jupiter.api.Test;
import org.pont.transport.ScriptedSmtp;

/**
 * What Angus puts on the wire for a {@link DsnRequest}: a scripted SMTP server (one connection,
 * plain text, loopback) that announces DSN and records the commands it receives.
 */
class DsnRequestSmtpTest {

  @Test
  void angusSendsNotifyRetAndEnvidFromTheRequest() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<List<String>> session = CompletableFuture.supplyAsync(() -> {
        try {
          return ScriptedSmtp.serveOnce(server, false);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      MimeMessage sent = BuildAndParseTest.sentMessage();
      SMTPMessage smtp = DsnRequest.all().withEnvelopeId("ENV42").applyTo(sent);

      Transport transport = Samples.SESSION.getTransport("smtp");
      transport.connect(server.getInetAddress().getHostAddress(), server.getLocalPort(), null, null);
      try {
        transport.sendMessage(smtp, smtp.getAllRecipients());
      } finally {
        transport.close();
      }

      List<String> commands = session.get(10, TimeUnit.SECONDS);
      assertThat(commands).anySatisfy(c -> assertThat(c).startsWith("MAIL FROM:<dr.durand@hopital.test>")
          .contains(" RET=HDRS").contains(" ENVID=ENV42"));
      assertThat(commands).contains("RCPT TO:<dr.martin@cabinet.test> NOTIFY=SUCCESS,FAILURE,DELAY");
    }
  }

  @Test
  void aBuiltNotificationGoesOutWithANullEnvelopeSender() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<List<String>> session = CompletableFuture.supplyAsync(() -> {
        try {
          return ScriptedSmtp.serveOnce(server, false);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      MimeMessage mdn = MdnBuilder.answering(BuildAndParseTest.sentMessage()).from("dr.martin@cabinet.test").build();

      Transport transport = Samples.SESSION.getTransport("smtp");
      transport.connect(server.getInetAddress().getHostAddress(), server.getLocalPort(), null, null);
      try {
        transport.sendMessage(mdn, mdn.getAllRecipients());
      } finally {
        transport.close();
      }

      assertThat(session.get(10, TimeUnit.SECONDS)).anySatisfy(c -> assertThat(c).startsWith("MAIL FROM:<>"));
    }
  }
}
