package org.pont.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted SMTP server for tests that check what a client puts on the wire: it serves one
 * session on the given socket (plain or TLS), says yes to everything, announces DSN (and AUTH
 * PLAIN when asked to), and returns the commands it received. Message content and credentials
 * are not kept.
 */
public final class ScriptedSmtp {

  private ScriptedSmtp() {}

  /** Accepts one connection on {@code server} and serves it until QUIT. */
  public static List<String> serveOnce(ServerSocket server, boolean offerAuth) throws IOException {
    List<String> commands = new ArrayList<>();
    try (Socket s = server.accept();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII)) {
      s.setSoTimeout(10_000);
      reply(out, "220 test ESMTP");
      String line;
      while ((line = in.readLine()) != null) {
        commands.add(line.startsWith("AUTH ") ? "AUTH" : line);
        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
        switch (verb) {
          case "EHLO" -> reply(out, offerAuth ? "250-test\r\n250-AUTH PLAIN\r\n250-DSN\r\n250 8BITMIME" : "250-test\r\n250-DSN\r\n250 8BITMIME");
          case "AUTH" -> {
            if (line.trim().split(" ").length < 3) { // no initial response: ask for it
              reply(out, "334 ");
              in.readLine();
            }
            reply(out, "235 authenticated");
          }
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
}
