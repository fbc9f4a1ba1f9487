package org.pont.gateway.api;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses to start the REST API in clear text unless it is the one allowed set-up: {@code
 * pont.api.plain-http=true} (a TLS-terminating reverse proxy on the same host) with {@code
 * micronaut.server.host} a loopback address. Bearer tokens and patient data never cross a network
 * unencrypted (TLS on every listener, ADR 0009).
 */
@Context
public final class ApiTransport {

  private final boolean https;

  ApiTransport(
      @Value("${micronaut.server.ssl.enabled:false}") boolean sslEnabled,
      @Value("${pont.api.plain-http:false}") boolean plainHttp,
      @Value("${micronaut.server.host:}") String host) {
    check(sslEnabled, plainHttp, host);
    this.https = sslEnabled;
  }

  /** Whether the API answers over TLS. */
  public boolean https() {
    return https;
  }

  /**
   * Throws {@link IllegalStateException} with the reason unless the set-up is HTTPS, or plain
   * HTTP asked for on a loopback address.
   */
  public static void check(boolean sslEnabled, boolean plainHttp, String host) {
    if (sslEnabled) {
      return;
    }
    if (!plainHttp) {
      throw new IllegalStateException("the REST API serves HTTPS only: micronaut.server.ssl.enabled=false needs "
          + "pont.api.plain-http=true (a reverse proxy on loopback terminating TLS)");
    }
    if (!isLoopback(host)) {
      throw new IllegalStateException("pont.api.plain-http=true is allowed on a loopback address only, not on '"
          + host + "': set micronaut.server.host=127.0.0.1 and put the TLS-terminating proxy on the same host");
    }
  }

  private static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      return false; // unset means every interface
    }
    try {
      return InetAddress.getByName(host.strip()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
