package org.pont.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pont.smime.KeyCredential;
import picocli.CommandLine.Option;

/** How commands get a private key: a PKCS#12 file and its password, never the password on the command line. */
final class KeyOptions {
  static final String PASSWORD_ENV = "PONT_KEY_PASSWORD";

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "File holding the PKCS#12 password (default: environment variable " + PASSWORD_ENV + ").")
  Path passwordFile;

  char[] password() throws IOException {
    if (passwordFile != null) {
      return Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
    }
    String env = System.getenv(PASSWORD_ENV);
    if (env == null) {
      throw new IOException("no password for the PKCS#12 file: use --password-file FILE or set " + PASSWORD_ENV);
    }
    return env.toCharArray();
  }

  KeyCredential load(Path p12) throws IOException {
    return KeyCredential.fromPkcs12(p12, password());
  }
}
