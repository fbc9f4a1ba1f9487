package org.pont.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.junit.jupiter.api.Test;

/**
 * What Angus puts on the wire for a {@link DsnRequest}: a scripted SMTP server (one connection,
 * plain text, loopback) that announces DSN and records the commands it receives.
 */
class DsnRequestSmtpTest {

  /** Serves one SMTP session and returns the commands the client sent (DATA content left out). */
  private static List<String> serveOnce(ServerSocket server) throws IOException {
    List<String> commands = new CopyOnWriteArrayList<>();
    try (Socket s = server.accept();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII)) {
      s.setSoTimeout(10_000);
      reply(out, "220 test ESMTP");
      String line;
      while ((line = in.readLine()) != null) {
        commands.add(line);
        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
        switch (verb) {
          case "EHLO" -> reply(out, "250-test\r\n250-DSN\r\n250 8BITMIME");
          case "DATA" -> {
            reply(out, "354 go on");
            String data;
            while ((data = in.readLine()) != null && !data.equals(".")) {
              // the message itself is not recorded
            }
            reply(out, "250 queued");
          }
          case "QUIT" -> {
            reply(out, "221 bye");
            return commands;
          }
          default -> reply(out, "250 ok");
        }
      }
    }
    return commands;
  }

  private static void reply(Writer out, String text) throws IOException {
    out.write(text + "\r\n");
    out.flush();
  }

  @Test
  void angusSendsNotifyRetAndEnvidFromTheRequest() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<List<String>> session = CompletableFuture.supplyAsync(() -> {
        try {
          return serveOnce(server);
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
          return serveOnce(server);
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
