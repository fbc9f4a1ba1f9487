package org.pont.gateway.james;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The PKCS#12 stores James's listeners use: the server key with its chain, and the trust anchors
 * client certificates are checked against (operator port). Both sit in James's {@code conf}.
 */
public record TlsFiles(Path keystore, String keystoreSecret, Path truststore, String truststoreSecret) {
  public TlsFiles {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(keystoreSecret, "keystoreSecret");
    Objects.requireNonNull(truststore, "truststore");
    Objects.requireNonNull(truststoreSecret, "truststoreSecret");
  }

  @Override
  public String toString() {
    return "TlsFiles[keystore=" + keystore + ", truststore=" + truststore + "]"; // no secrets
  }
}
