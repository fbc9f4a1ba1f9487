package org.pont.gateway.mailet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.pont.certs.PkiFolder;
import org.pont.certs.Usage;
import org.pont.smime.KeyCredential;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;

/**
 * The organisation's S/MIME toolkit for the policy mailets: its signature key, its encryption key
 * (to open inbound mail and the gateway's own copies) and the trust anchors with their CRLs, all
 * read from the gateway's PKI folder ({@code <data>/pki}).
 */
public final class PolicyCrypto {

  private final SecureMessaging messaging;

  public PolicyCrypto(SecureMessaging messaging) {
    this.messaging = Objects.requireNonNull(messaging, "messaging");
  }

  /**
   * Reads {@code domains/<domain>/{signature,encryption}.p12} (password in {@code password.txt})
   * and the trust material at the folder's top level.
   */
  public static PolicyCrypto fromPki(Path pkiDir, String domain) throws IOException {
    PkiFolder pki = PkiFolder.at(pkiDir);
    Path passwordFile = pkiDir.resolve("password.txt");
    if (!Files.isRegularFile(passwordFile)) {
      throw new IOException("the PKI in " + pkiDir + " has no password.txt holding the password of its keys");
    }
    char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
    SecureMessaging messaging = SecureMessaging.builder()
        .signingKey(KeyCredential.fromPkcs12(pki.organisationPkcs12(domain, Usage.SIGNATURE), password))
        .decryptionKey(KeyCredential.fromPkcs12(pki.organisationPkcs12(domain, Usage.ENCRYPTION), password))
        .trust(TrustAnchors.fromDirectory(pkiDir))
        .build();
    java.util.Arrays.fill(password, '\0');
    return new PolicyCrypto(messaging);
  }

  public SecureMessaging messaging() {
    return messaging;
  }
}
