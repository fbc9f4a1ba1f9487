package org.pont.gateway.relay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.pont.gateway.config.RelaySettings;
import org.pont.gateway.config.RelaySettings.Route;

/**
 * The part of James's {@code relay} processor that derives from the static route table: one
 * RemoteDelivery per distinct peer (host and port), matching the domains routed there, each with
 * its own persistent queue named after the peer. Everything else falls through to the
 * template's MX RemoteDelivery. Every instance gets the same mutual TLS (ADR 0011).
 */
public final class RelayConfig {

  private RelayConfig() {}

  /** The queue of a peer: stable across restarts as long as the route's host and port stay. */
  static String queueName(String host, int port) {
    return "outgoing-to-" + host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-") + "-" + port;
  }

  /** The mailets for the static routes, to go before the MX RemoteDelivery; empty without routes. */
  public static String routesXml(RelaySettings relay) {
    Map<String, List<Route>> byPeer = relay.routes().stream().collect(Collectors.groupingBy(
        r -> r.host().toLowerCase(Locale.ROOT) + ":" + r.port(), LinkedHashMap::new, Collectors.toList()));
    StringBuilder out = new StringBuilder();
    for (List<Route> peer : byPeer.values()) {
      Route first = peer.get(0);
      String domains = peer.stream().map(Route::domain).collect(Collectors.joining(","));
      out.append("            <!-- static route: ").append(domains).append(" -> ")
          .append(first.host()).append(':').append(first.port()).append(" -->\n");
      out.append("            <mailet match=\"HostIs=").append(domains).append("\" class=\"RemoteDelivery\">\n");
      // "outgoing" is the parameter RemoteDelivery 3.8.1 reads (RemoteDeliveryConfiguration.OUTGOING);
      // an unknown name would leave every instance on the default queue, sharing its mail.
      param(out, "outgoing", queueName(first.host(), first.port()));
      param(out, "gateway", first.host());
      param(out, "gatewayPort", Integer.toString(first.port()));
      commonParams(out, relay);
      out.append("            </mailet>\n");
    }
    return out.toString();
  }

  /** The parameters every Pont RemoteDelivery shares: retries, DSN, mutual TLS. */
  public static String commonXml(RelaySettings relay) {
    StringBuilder out = new StringBuilder();
    commonParams(out, relay);
    return out.toString().stripLeading().stripTrailing();
  }

  private static void commonParams(StringBuilder out, RelaySettings relay) {
    param(out, "delayTime", relay.jamesDelayTime());
    param(out, "maxRetries", Integer.toString(relay.maxRetries()));
    param(out, "maxDnsProblemRetries", "0");
    param(out, "deliveryThreads", "2");
    param(out, "sendpartial", "true");
    param(out, "bounceProcessor", "bounces");
    param(out, "onSuccess", "relay-done");
    param(out, "startTLS", "true");
    // Identity is checked by the socket factory against the whitelist (see OperatorTlsSocketFactory);
    // JavaMail's own check would only compare the route's host name or IP.
    param(out, "verifyServerIdentity", "false");
    param(out, "mail.smtp.starttls.required", "true");
    param(out, "mail.smtp.ssl.socketFactory.class", OperatorTlsSocketFactory.class.getName());
    param(out, "mail.smtp.connectiontimeout", "10000");
  }

  private static void param(StringBuilder out, String name, String value) {
    out.append("                <").append(name).append('>').append(xml(value)).append("</").append(name).append(">\n");
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
