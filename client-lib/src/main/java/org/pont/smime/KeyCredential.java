package org.pont.smime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate and the chain that certifies it (leaf first). Used to sign
 * (a signature certificate) and to decrypt (an encryption certificate): IGC-Santé issues separate
 * keys per use, so a party usually holds two of these.
 */
public record KeyCredential(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {

  public KeyCredential {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(certificate, "certificate");
    chain = List.copyOf(chain);
  }

  public static KeyCredential of(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {
    return new KeyCredential(privateKey, certificate, chain);
  }

  /**
   * Reads the first key entry of a password-protected PKCS#12 file.
   *
   * @throws IOException if the file cannot be read, the password is wrong, or it holds no key
   */
  public static KeyCredential fromPkcs12(Path file, char[] password) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          PrivateKey key = (PrivateKey) store.getKey(alias, password);
          List<X509Certificate> chain = new ArrayList<>();
          for (Certificate c : store.getCertificateChain(alias)) {
            chain.add((X509Certificate) c);
          }
          return new KeyCredential(key, chain.get(0), chain);
        }
      }
      throw new IOException(file + " holds no private key entry");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot open PKCS#12 " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      // KeyStore reports a wrong password as an IOException whose cause is UnrecoverableKeyException.
      if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
        throw new IOException("wrong password for PKCS#12 " + file, e);
      }
      throw e;
    }
  }

  /** The certificates to ship in a signature: the chain without the self-signed root. */
  List<X509Certificate> chainWithoutRoot() {
    List<X509Certificate> out = new ArrayList<>();
    for (X509Certificate c : chain.isEmpty() ? List.of(certificate) : chain) {
      if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
        out.add(c);
      }
    }
    return out;
  }
}
