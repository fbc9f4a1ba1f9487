package org.pont.certs;

import java.util.Objects;

/**
 * An organisation's (an operator's mail domain) four credentials, each with its own key: TLS
 * server and client (dNSName = the domain), mail signature and encryption (dNSName = the domain,
 * what a gateway signing for the whole domain uses).
 */
public record Organisation(String domain, Credential tlsServer, Credential tlsClient, Credential signature, Credential encryption) {

  public Organisation {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(tlsServer, "tlsServer");
    Objects.requireNonNull(tlsClient, "tlsClient");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(encryption, "encryption");
  }

  public Credential credential(Usage usage) {
    return switch (usage) {
      case TLS_SERVER -> tlsServer;
      case TLS_CLIENT -> tlsClient;
      case SIGNATURE -> signature;
      case ENCRYPTION -> encryption;
    };
  }
}
