package org.pont.tracking;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An enhanced mail system status code (RFC 3463), e.g. {@code 5.1.1}. */
public record StatusCode(int statusClass, int subject, int detail) {
  private static final Pattern CODE = Pattern.compile("\\s*([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s.*)?", Pattern.DOTALL);

  public StatusCode {
    if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
      throw new IllegalArgumentException("status class must be 2, 4 or 5: " + statusClass);
    }
    if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
      throw new IllegalArgumentException("status subject and detail must be 0-999");
    }
  }

  /** Reads {@code x.y.z}, ignoring a trailing comment ({@code 5.0.0 (permanent failure)}). */
  public static StatusCode parse(String value) {
    Matcher m = CODE.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a status code x.y.z: '" + value.strip() + "'");
    }
    return new StatusCode(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  public boolean isSuccess() {
    return statusClass == 2;
  }

  public boolean isTransient() {
    return statusClass == 4;
  }

  public boolean isPermanent() {
    return statusClass == 5;
  }

  @Override
  public String toString() {
    return statusClass + "." + subject + "." + detail;
  }
}
