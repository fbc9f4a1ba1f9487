package org.pont.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.pont.smime.KeyCredential;

/**
 * Where a mail server listens and how to reach it safely: host, port, TLS mode, the CAs trusted
 * for its certificate, and timeouts. Host name verification is always on.
 *
 * <pre>{@code
 * ServerSettings smtp = ServerSettings.starttls("mail.hopital.test", 587, TlsTrust.of(anchors));
 * ServerSettings imap = ServerSettings.implicitTls("mail.hopital.test", 993, TlsTrust.of(anchors));
 * }</pre>
 *
 * @param connectTimeout how long to wait for the TCP connection (default 20 s)
 * @param readTimeout how long to wait for any server answer (default 60 s)
 * @param clientCertificate the TLS client certificate and key to present (mutual TLS, as MSSanté
 *     applicative mailboxes log in with an organisation client certificate); empty by default
 */
public record ServerSettings(String host, int port, TlsMode tls, TlsTrust trust, Duration connectTimeout, Duration readTimeout,
    Optional<KeyCredential> clientCertificate) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  public ServerSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(clientCertificate, "clientCertificate");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1-65535");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  /** A server that requires STARTTLS (submission 587, IMAP 143). */
  public static ServerSettings starttls(String host, int port, TlsTrust trust) {
    return new ServerSettings(host, port, TlsMode.STARTTLS, trust, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, Optional.empty());
  }

  /** A server that speaks TLS from the first byte (SMTPS 465, IMAPS 993). */
  public static ServerSettings implicitTls(String host, int port, TlsTrust trust) {
    return new ServerSettings(host, port, TlsMode.IMPLICIT, trust, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, Optional.empty());
  }

  /** The same server with other timeouts. */
  public ServerSettings withTimeouts(Duration connect, Duration read) {
    return new ServerSettings(host, port, tls, trust, connect, read, clientCertificate);
  }

  /** The same server, presenting this client certificate during the TLS handshake (mutual TLS). */
  public ServerSettings withClientCertificate(KeyCredential key) {
    return new ServerSettings(host, port, tls, trust, connectTimeout, readTimeout, Optional.of(key));
  }

  /** {@code host:port}, for messages. */
  public String address() {
    return host + ":" + port;
  }
}
