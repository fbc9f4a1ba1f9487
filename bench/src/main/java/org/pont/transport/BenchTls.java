package org.pont.transport;

import javax.net.ssl.SSLSocketFactory;

/** The socket factory the library itself uses, so the raw IMAP baseline does the same TLS work. */
public final class BenchTls {
  private BenchTls() {}

  public static SSLSocketFactory socketFactory(TlsTrust trust) {
    return trust.socketFactory(java.util.Optional.empty());
  }
}
