package org.pont.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the gateway hands mail to other operators (ADR 0011).
 *
 * @param routes static routes: mail for these domains goes to that host and port, without DNS;
 *     every other remote domain is looked up by MX
 * @param retryDelays the waits between delivery attempts while the peer is unreachable; the last
 *     one repeats until {@code maxRetries} attempts have failed
 * @param maxRetries how many retries before the message is given up and the sender gets a DSN
 *     {@code failed}; with the defaults that is about a day
 * @param whitelistFile the MSSanté whitelist (ANS XML), relative to the data folder; empty means
 *     {@code <data>/whitelist.xml}
 */
public record RelaySettings(List<Route> routes, List<Duration> retryDelays, int maxRetries, Optional<Path> whitelistFile) {

  // Before DEFAULTS: static fields initialise in order.
  private static final Pattern DELAY = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

  /** The default retry waits (setting {@code pont.relay.retry-delays}). */
  public static final String DEFAULT_DELAYS = "1m, 5m, 15m, 1h";
  /** The default retry count (setting {@code pont.relay.max-retries}): 1 + 5 + 15 min, then 27 hours. */
  public static final int DEFAULT_MAX_RETRIES = 30;
  public static final RelaySettings DEFAULTS =
      new RelaySettings(List.of(), parseDelays(DEFAULT_DELAYS), DEFAULT_MAX_RETRIES, Optional.empty());

  public RelaySettings {
    routes = List.copyOf(routes);
    retryDelays = List.copyOf(retryDelays);
    Objects.requireNonNull(whitelistFile, "whitelistFile");
    if (retryDelays.isEmpty()) {
      throw new IllegalArgumentException("pont.relay.retry-delays must list at least one wait, e.g. 1m, 5m, 1h");
    }
    // James repeats the last wait; fewer retries than waits would silently ignore some of them.
    if (maxRetries < retryDelays.size() || maxRetries > 1000) {
      throw new IllegalArgumentException("pont.relay.max-retries must be between the number of retry delays ("
          + retryDelays.size() + ") and 1000, not " + maxRetries);
    }
    Set<String> seen = new HashSet<>();
    for (Route r : routes) {
      if (!seen.add(r.domain())) {
        throw new IllegalArgumentException("pont.relay.routes names " + r.domain() + " twice");
      }
    }
  }

  /** The route for {@code domain}, if it has a static one. */
  public Optional<Route> route(String domain) {
    String d = domain.strip().toLowerCase(Locale.ROOT);
    return routes.stream().filter(r -> r.domain().equals(d)).findFirst();
  }

  /**
   * Mail for {@code domain} goes to {@code host:port}. The peer must present a certificate whose
   * subject is an operator DN the whitelist publishes for the domain.
   */
  public record Route(String domain, String host, int port) {
    public Route {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(host, "host");
      domain = domain.strip().toLowerCase(Locale.ROOT);
      if (!DOMAIN.matcher(domain).matches()) {
        throw new IllegalArgumentException("route: '" + domain + "' is not a mail domain");
      }
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException("route for " + domain + ": '" + host + "' is not a host name or IPv4 address");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("route for " + domain + ": port must be between 1 and 65535, not " + port);
      }
    }

    @Override
    public String toString() {
      return domain + "=" + host + ":" + port;
    }
  }

  /**
   * Parses {@code pont.relay.routes}: {@code domain=host:port} entries separated by commas or
   * spaces, e.g. {@code cabinet.test=127.0.0.1:2526, clinique.test=mx.clinique.test:25}.
   */
  public static List<Route> parseRoutes(String value) {
    List<Route> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String entry : value.split("[,\\s]+")) {
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      int colon = entry.lastIndexOf(':');
      if (eq <= 0 || colon < eq + 2 || colon == entry.length() - 1) {
        throw new IllegalArgumentException("pont.relay.routes: '" + entry + "' is not domain=host:port");
      }
      int port;
      try {
        port = Integer.parseInt(entry.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("pont.relay.routes: '" + entry + "' has no numeric port", e);
      }
      out.add(new Route(entry.substring(0, eq), entry.substring(eq + 1, colon), port));
    }
    return out;
  }

  /** Parses {@code pont.relay.retry-delays}: waits like {@code 30s, 5m, 1h} (units ms, s, m, h, d). */
  public static List<Duration> parseDelays(String value) {
    List<Duration> out = new ArrayList<>();
    for (String part : String.valueOf(value).split(",")) {
      String p = part.strip().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        continue;
      }
      Matcher m = DELAY.matcher(p);
      if (!m.matches()) {
        throw new IllegalArgumentException("pont.relay.retry-delays: '" + part.strip()
            + "' is not a wait like 30s, 5m or 1h");
      }
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      if (d.compareTo(Duration.ofMillis(500)) < 0) {
        throw new IllegalArgumentException("pont.relay.retry-delays: '" + part.strip() + "' is shorter than 500 ms");
      }
      out.add(d);
    }
    return out;
  }

  /** The waits as James's RemoteDelivery {@code delayTime} wants them (milliseconds). */
  public String jamesDelayTime() {
    return String.join(", ", retryDelays.stream().map(d -> Long.toString(d.toMillis())).toList());
  }
}
