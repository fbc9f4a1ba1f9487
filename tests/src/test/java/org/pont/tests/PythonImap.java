package org.pont.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An IMAP client independent of Pont and of Java: Python's imaplib ({@code imap_read.py}), which
 * verifies the server certificate against the test PKI's root. The password goes through the
 * environment, never the command line.
 */
final class PythonImap {

  private PythonImap() {}

  /** Messages whose Subject contains {@code subject}: headers, decoded body, then "COUNT n". */
  static String read(Path scratch, Path trustAnchors, int port, String mode, String user, String password,
      String subject) throws Exception {
    Path script = scratch.resolve("imap_read.py");
    if (!Files.exists(script)) {
      try (InputStream in = PythonImap.class.getResourceAsStream("imap_read.py")) {
        Files.copy(in, script);
      }
    }
    ProcessBuilder pb = new ProcessBuilder(List.of("python3", script.toString(), "127.0.0.1",
        Integer.toString(port), mode, trustAnchors.toString(), user, subject))
        .redirectErrorStream(true);
    pb.environment().put("PONT_IMAP_PASSWORD", password);
    Process p = pb.start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** As {@link #read}, retried until at least one message matches (delivery is asynchronous). */
  static String readUntilFound(Path scratch, Path trustAnchors, int port, String mode, String user,
      String password, String subject) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String out;
    do {
      out = read(scratch, trustAnchors, port, mode, user, password, subject);
      if (!out.contains("COUNT 0")) {
        return out;
      }
      Thread.sleep(300);
    } while (System.nanoTime() < deadline);
    return out;
  }
}
