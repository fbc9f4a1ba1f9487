package org.pont.index;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.pont.gateway.james.PlainJamesForBench;
import org.pont.mssante.MssanteMessageWriter;
import org.pont.transport.MailCredentials;
import org.pont.transport.MailboxSync;
import org.pont.transport.ServerSettings;
import org.pont.transport.SyncResult;
import org.pont.transport.TlsTrust;

/**
 * Part (a) of {@link ClientLibBenchmark} against Apache James IMAPS (the gateway's James, in-memory
 * storage, see {@link PlainJamesForBench}) instead of GreenMail, whose cost per FETCH response grows
 * with the mailbox (ImapSessionFolder.getMsn copies every UID of the folder for each message it
 * answers about), so that any full fetch of N messages is O(N²) there. Same messages, same raw
 * baselines, same JVM. Runs on the gateway's classpath: {@code bench/scripts/client-sync-james.sh --messages N}.
 */
public final class ClientSyncOnJames {
  static final String DOMAIN = "hopital.test";
  static final String USER = "kine.leroy@" + DOMAIN;
  static final String PASSWORD = "bench-" + java.util.UUID.randomUUID();

  public static void main(String[] args) throws Exception {
    int n = ClientLibBenchmark.intArg(args, "--messages", 10_000);
    System.out.printf("JVM %s, %d CPUs, max heap %d MB, load average %.2f%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Path data = Files.createTempDirectory("pont-bench-james");
    try (PlainJamesForBench james = PlainJamesForBench.start(data, DOMAIN, PASSWORD, USER)) {
      int port = james.ports().imaps();
      TlsTrust trust = TlsTrust.fromPem(data.resolve("pki/trust-anchors.pem"));
      Properties props = new Properties();
      props.put("mail.imaps.ssl.socketFactory", org.pont.transport.BenchTls.socketFactory(trust));
      props.put("mail.imaps.ssl.checkserveridentity", "true");
      props.put("mail.imaps.partialfetch", "false");

      // The same messages as the GreenMail run, appended 500 at a time.
      Session session = Session.getInstance(new Properties());
      MssanteMessageWriter writer = MssanteMessageWriter.of("Pont-bench/1.0", "1.2.250.1.999.1");
      SplittableRandom rnd = new SplittableRandom(1);
      long t0 = System.nanoTime();
      long bytes = 0;
      try (Store store = Session.getInstance(props).getStore("imaps")) {
        store.connect("localhost", port, USER, PASSWORD);
        Folder inbox = store.getFolder("INBOX");
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          MimeMessage m = new MimeMessage(writer.write(ClientLibBenchmark.message(i, rnd), session));
          m.saveChanges();
          java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
          m.writeTo(out);
          bytes += out.size();
          batch.add(new MimeMessage(session, new java.io.ByteArrayInputStream(out.toByteArray())));
          if (batch.size() == 500 || i == n - 1) {
            inbox.appendMessages(batch.toArray(Message[]::new));
            batch.clear();
          }
        }
      }
      System.out.printf("(a/James) %d messages built and appended in %.1f s, average %.1f KB%n", n, ClientLibBenchmark.secs(t0),
          bytes / 1024.0 / n);

      ServerSettings imap = ServerSettings.implicitTls("localhost", port, trust);
      for (int round = 0; round < 2; round++) { // round 0 warms the JIT
        long r0 = System.nanoTime();
        long rawBytes = ClientLibBenchmark.raw(props, port, USER, PASSWORD);
        long raw = System.nanoTime() - r0;
        long s0 = System.nanoTime();
        long sameBytes = ClientLibBenchmark.rawSameCommands(props, port, USER, PASSWORD);
        long same = System.nanoTime() - s0;
        Path dir = Files.createTempDirectory("pont-bench-sync");
        ClientLibBenchmark.resetPeaks();
        long p0 = System.nanoTime();
        SyncResult r;
        try (MessageIndex idx = MessageIndex.open(dir)) {
          r = MailboxSync.builder(imap, MailCredentials.of(USER, PASSWORD.toCharArray()), idx).batchSize(100).build().sync();
        }
        long pont = System.nanoTime() - p0;
        System.out.printf("(a/James) round %d: raw FETCH of whole messages %.2f s (%d bytes, %.0f msg/s); raw with Pont's commands %.2f s "
            + "(%d bytes, %.0f msg/s); Pont sync+open+index %.2f s (%d indexed, %d failed, %.0f msg/s); Pont/raw time %.2f, "
            + "Pont/raw-same-commands time %.2f; %s; load average %.2f%n", round, raw / 1e9, rawBytes, n / (raw / 1e9), same / 1e9,
            sameBytes, n / (same / 1e9), pont / 1e9, r.indexed(), r.failed(), n / (pont / 1e9), (double) pont / raw,
            (double) pont / same, ClientLibBenchmark.memory(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ClientLibBenchmark.deleteTree(dir);
      }
    }
  }
}
