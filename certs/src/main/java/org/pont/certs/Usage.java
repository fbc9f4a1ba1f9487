package org.pont.certs;

/**
 * What a certificate is for. IGC-Santé gives each use its own key and certificate; the file names
 * in a written PKI folder are these names ({@code tls-server.p12}, {@code signature.cert.pem}...).
 */
public enum Usage {
  TLS_SERVER("tls-server"),
  TLS_CLIENT("tls-client"),
  SIGNATURE("signature"),
  ENCRYPTION("encryption");

  private final String fileName;

  Usage(String fileName) {
    this.fileName = fileName;
  }

  public String fileName() {
    return fileName;
  }
}
