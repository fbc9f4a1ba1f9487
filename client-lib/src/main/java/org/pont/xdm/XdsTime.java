package org.pont.xdm;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * XDS times (ITI TF-3 DTM): {@code YYYY[MM[DD[hh[mm[ss]]]]]} in UTC. Some French senders append an
 * offset ({@code +0200}); it is honoured when present.
 */
final class XdsTime {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern DTM = Pattern.compile("(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.\\d{1,4})?([+-]\\d{4}|Z)?");

  private XdsTime() {}

  static String format(Instant t) {
    return FORMAT.format(t);
  }

  /** Parses a DTM value; truncated values mean the start of the period. */
  static Instant parse(String value) {
    Matcher m = DTM.matcher(value.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an XDS time (YYYYMMDDhhmmss): '" + value + "'");
    }
    int[] parts = new int[6];
    int[] defaults = {0, 1, 1, 0, 0, 0};
    for (int i = 0; i < 6; i++) {
      String g = m.group(i + 1);
      parts[i] = g == null ? defaults[i] : Integer.parseInt(g);
    }
    ZoneOffset offset = ZoneOffset.UTC;
    String z = m.group(7);
    if (z != null && !z.equals("Z")) {
      offset = ZoneOffset.ofHoursMinutes(Integer.parseInt(z.substring(0, 3)), Integer.parseInt(z.charAt(0) + z.substring(3)));
    }
    try {
      return LocalDateTime.of(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]).toInstant(offset);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("not a valid date/time: '" + value + "'", e);
    }
  }
}
