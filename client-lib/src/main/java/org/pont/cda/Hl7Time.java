package org.pont.cda;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HL7 v3 TS values ({@code yyyyMMddHHmmss[.S][+zzzz]}, any precision) to and from java.time. */
final class Hl7Time {
  // Documents without a zone are French documents: read them in Paris time rather than guess UTC.
  static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Paris");
  private static final Pattern TS = Pattern.compile(
      "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.\\d{1,4})?([+-]\\d{4})?");
  private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyyMMddHHmmssxx");

  private Hl7Time() {}

  /** A timestamp; missing parts count from the start of the period (20191203 → 2019-12-03T00:00). */
  static Optional<OffsetDateTime> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    Matcher m = TS.matcher(value.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), num(m.group(2), 1), num(m.group(3), 1),
          num(m.group(4), 0), num(m.group(5), 0), num(m.group(6), 0));
      if (m.group(7) != null) {
        return Optional.of(local.atOffset(ZoneOffset.of(m.group(7).substring(0, 3) + ":" + m.group(7).substring(3))));
      }
      return Optional.of(local.atZone(DEFAULT_ZONE).toOffsetDateTime());
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
  }

  /** A date (birth dates): only full {@code yyyyMMdd} precision makes a date. */
  static Optional<LocalDate> parseDate(String value) {
    if (value == null || value.strip().length() < 8) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(value.strip().substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static String format(OffsetDateTime t) {
    return OUT.format(t.withNano(0));
  }

  static String format(LocalDate d) {
    return DateTimeFormatter.BASIC_ISO_DATE.format(d);
  }

  private static int num(String s, int absent) {
    return s == null ? absent : Integer.parseInt(s);
  }
}
