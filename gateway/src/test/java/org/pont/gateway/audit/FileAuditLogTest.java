package org.pont.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogTest {

  @TempDir
  Path dir;

  static AuditEvent event(String time, AuditEvent.Type type, String sender, String... recipients) {
    return new AuditEvent(Instant.parse(time), type, Optional.of("<id-" + time + "@test>"), sender, List.of(recipients),
        List.of("11490-0"), Optional.of("VALID"), Optional.empty());
  }

  @Test
  void eventsReadBackAsWrittenOneFilePerDay() {
    FileAuditLog log = new FileAuditLog(dir);
    AuditEvent a = event("2026-11-21T23:59:59Z", AuditEvent.Type.RECEIVED, "kine@cabinet.test", "secretariat@hopital.test");
    AuditEvent b = event("2026-11-22T00:00:01Z", AuditEvent.Type.DELIVERED, "kine@cabinet.test", "secretariat@hopital.test");
    log.record(a);
    log.record(b);

    assertThat(log.query(AuditQuery.between(Instant.parse("2026-11-21T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z"))))
        .containsExactly(a, b);
    assertThat(Files.exists(log.fileFor(LocalDate.parse("2026-11-21")))).isTrue();
    assertThat(Files.exists(log.fileFor(LocalDate.parse("2026-11-22")))).isTrue();
  }

  @Test
  void queriesFilterByTimeSenderAndRecipient() {
    FileAuditLog log = new FileAuditLog(dir);
    AuditEvent a = event("2026-11-22T10:00:00Z", AuditEvent.Type.RECEIVED, "kine@cabinet.test", "secretariat@hopital.test");
    AuditEvent b = event("2026-11-22T11:00:00Z", AuditEvent.Type.RECEIVED, "spam@evil.test", "dr.martin@hopital.test");
    AuditEvent c = event("2026-11-22T12:00:00Z", AuditEvent.Type.RELAYED, "dr.martin@hopital.test", "kine@cabinet.test");
    List.of(a, b, c).forEach(log::record);
    AuditQuery day = AuditQuery.between(Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z"));

    assertThat(log.query(day.sender("SPAM@evil.test"))).containsExactly(b);
    assertThat(log.query(day.recipient("kine@cabinet.test"))).containsExactly(c);
    assertThat(log.query(AuditQuery.between(Instant.parse("2026-11-22T10:30:00Z"), Instant.parse("2026-11-22T12:00:00Z"))))
        .containsExactly(b);
    assertThat(log.query(day.limit(2))).containsExactly(a, b);
  }

  @Test
  void appendingNeverRewritesEarlierLinesAndATornLineIsSkipped() throws Exception {
    FileAuditLog log = new FileAuditLog(dir);
    AuditEvent a = event("2026-11-22T10:00:00Z", AuditEvent.Type.RECEIVED, "kine@cabinet.test", "secretariat@hopital.test");
    log.record(a);
    Path file = log.fileFor(LocalDate.parse("2026-11-22"));
    byte[] before = Files.readAllBytes(file);
    Files.writeString(file, "{\"time\":\"2026-11-22T10:00:01Z\",\"ev", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Files.writeString(file, "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    AuditEvent b = event("2026-11-22T10:00:02Z", AuditEvent.Type.QUARANTINED, "spam@evil.test", "secretariat@hopital.test");
    log.record(b);

    byte[] after = Files.readAllBytes(file);
    assertThat(new String(after, 0, before.length, StandardCharsets.UTF_8)).isEqualTo(new String(before, StandardCharsets.UTF_8));
    assertThat(log.query(AuditQuery.between(Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z"))))
        .containsExactly(a, b);
  }

  @Test
  void aLineCarriesNoContentOnlyWhoWhatWhen() {
    String json = FileAuditLog.toJson(new AuditEvent(Instant.parse("2026-11-22T10:00:00Z"), AuditEvent.Type.QUARANTINED,
        Optional.of("<m@x>"), "a@cabinet.test", List.of("b@hopital.test"), List.of("11490-0"), Optional.empty(),
        Optional.of("UNSIGNED")));
    assertThat(json).isEqualTo("{\"time\":\"2026-11-22T10:00:00Z\",\"event\":\"QUARANTINED\",\"messageId\":\"<m@x>\","
        + "\"sender\":\"a@cabinet.test\",\"recipients\":[\"b@hopital.test\"],\"documentTypes\":[\"11490-0\"],\"reason\":\"UNSIGNED\"}");
  }

  @Test
  void aQueryEndingBeforeItStartsIsRefused() {
    assertThatThrownBy(() -> AuditQuery.between(Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-21T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
