package org.pont.transport;

import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import org.pont.certs.Credential;
import org.pont.certs.TestPki;

/**
 * GreenMail servers on loopback whose TLS certificate comes from the test PKI, so clients keep
 * certificate and host name checks on. GreenMail reads its keystore once per JVM, from system
 * properties: {@link #pki()} sets them before any server starts.
 */
public final class MailServers {
  static final String DOMAIN = "hopital.test";
  public static final String USER = "dr.martin@hopital.test";
  static final String PASSWORD = "s3cret-pour-test";
  public static final String SENDER = "dr.durand@hopital.test";
  static final String SENDER_PASSWORD = "autre-s3cret";
  static final String HOST = "localhost";

  private static TestPki pki;
  private static TestPki stranger;

  private MailServers() {}

  public static synchronized TestPki pki() {
    if (pki == null) {
      pki = TestPki.builder().domain(DOMAIN).person(USER).person(SENDER).build();
      installKeystore(pki.organisation(DOMAIN).tlsServer());
    }
    return pki;
  }

  /** An unrelated PKI: a client trusting it must refuse our servers. */
  static synchronized TestPki stranger() {
    if (stranger == null) {
      stranger = TestPki.builder().domain(DOMAIN).build();
    }
    return stranger;
  }

  static TlsTrust trust() {
    return TlsTrust.of(pki().trustAnchors());
  }

  static ServerSetup smtps() {
    pki();
    return new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort();
  }

  static ServerSetup imaps() {
    pki();
    return new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS).dynamicPort();
  }

  static ServerSetup smtp() {
    return new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
  }

  static ServerSetup imap() {
    return new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort();
  }

  static MailCredentials credentials() {
    return MailCredentials.of(USER, PASSWORD.toCharArray());
  }

  private static void installKeystore(Credential tls) {
    try {
      char[] password = "greenmail-test".toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("greenmail", tls.privateKey(), password, tls.chain().toArray(Certificate[]::new));
      Path file = Files.createTempFile("pont-greenmail-", ".p12");
      file.toFile().deleteOnExit();
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, password);
      }
      System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_FILE_PROPERTY, file.toString());
      System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_PASSWORD_PROPERTY, new String(password));
      System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEY_PASSWORD_PROPERTY, new String(password));
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
