package org.pont.gateway.webhook;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pont.gateway.status.MessageStatusStore.State;

/**
 * Delivery tracking and webhook settings ({@code pont.tracking.*}, {@code pont.webhooks.*}).
 * Durations are ISO-8601 ({@code PT24H}) or a number with a unit ({@code 500ms}, {@code 30s},
 * {@code 10m}, {@code 24h}, {@code 2d}).
 *
 * @param timeout how long after acceptance a recipient may stay short of {@code awaited} before it is reported timed out
 * @param awaited the state that ends the wait: {@code delivered}, {@code read} or {@code integrated}
 * @param checkInterval how often the deadline is checked
 * @param requestReceipts whether API submissions ask for a DSN and a read receipt when their metadata does not say
 * @param pollInterval how often the webhook dispatcher looks for events and due retries
 * @param retryBase the first retry's delay; each further retry waits twice as long, up to one hour
 * @param maxAttempts attempts before a callback is recorded as failed
 * @param callTimeout connect and response timeout of one callback
 */
public record TrackingSettings(Duration timeout, State awaited, Duration checkInterval, boolean requestReceipts,
    Duration pollInterval, Duration retryBase, int maxAttempts, Duration callTimeout) {

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  public TrackingSettings {
    positive(timeout, "pont.tracking.timeout");
    positive(checkInterval, "pont.tracking.check-interval");
    positive(pollInterval, "pont.webhooks.poll-interval");
    positive(retryBase, "pont.webhooks.retry-base");
    positive(callTimeout, "pont.webhooks.timeout");
    if (!awaited.provesReceipt()) {
      throw new IllegalArgumentException("pont.tracking.await is delivered, read or integrated, not " + awaited.label());
    }
    if (maxAttempts < 1 || maxAttempts > 50) {
      throw new IllegalArgumentException("pont.webhooks.max-attempts must be 1..50, not " + maxAttempts);
    }
  }

  /** Parses {@code PT30S} or {@code 30s}. */
  public static Duration duration(String value, String name) {
    String v = value.strip();
    if (v.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Duration.parse(v);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(name + " is not a duration: '" + value + "'");
      }
    }
    Matcher m = SHORT.matcher(v.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(name + " is not a duration (PT30S, 500ms, 30s, 10m, 24h, 2d): '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static void positive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, not " + d);
    }
  }
}
