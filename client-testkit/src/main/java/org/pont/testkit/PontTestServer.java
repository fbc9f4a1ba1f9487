package org.pont.testkit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pont.certs.Credential;
import org.pont.certs.TestPki;
import org.pont.client.PontSettings;
import org.pont.smime.KeyCredential;
import org.pont.smime.RevocationPolicy;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;
import org.pont.transport.MailCredentials;
import org.pont.transport.ServerSettings;
import org.pont.transport.TlsTrust;

/**
 * A JUnit 5 extension for software that embeds Pont: an SMTPS + IMAPS server on loopback
 * (GreenMail), whose TLS certificate comes from a test PKI shaped like IGC-Santé, with one mailbox
 * per person, and {@link PontSettings} ready for each of them — certificate checks stay on.
 *
 * <pre>{@code
 * @RegisterExtension
 * static PontTestServer server = PontTestServer.withPeople("dr.martin@cabinet.test", "dr.durand@hopital.test");
 *
 * @Test
 * void sendsAndFinds(@TempDir Path index) throws Exception {
 *   try (PontClient pont = PontClient.open(server.settingsFor("dr.martin@cabinet.test", index))) { ... }
 * }
 * }</pre>
 *
 * Register it on a static field: the servers start once per test class (bulk tests stay fast).
 * GreenMail reads its TLS keystore once per JVM, so one test PKI serves every test class of a run:
 * it holds the people named by the first extension created, and {@link #settingsFor} refuses others.
 */
public final class PontTestServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** The password of every test mailbox. */
  public static final String PASSWORD = "pont-test-password";

  private static TestPki sharedPki;

  private final TestPki pki;
  private final GreenMailExtension greenMail;

  private PontTestServer(List<String> people) {
    this.pki = pki(people);
    GreenMailConfiguration config = GreenMailConfiguration.aConfig();
    for (String p : people) {
      config = config.withUser(p, p, PASSWORD);
    }
    this.greenMail = new GreenMailExtension(new ServerSetup[] {
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort(),
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS).dynamicPort()})
        .withConfiguration(config).withPerMethodLifecycle(false);
  }

  /** A server with a mailbox (and personal signature/encryption keys) for each address. */
  public static PontTestServer withPeople(String... addresses) {
    if (addresses.length == 0) {
      throw new IllegalArgumentException("name at least one person");
    }
    return new PontTestServer(List.of(addresses));
  }

  private static synchronized TestPki pki(List<String> people) {
    if (sharedPki == null) {
      Set<String> domains = new LinkedHashSet<>();
      domains.add("localhost.test");
      people.forEach(p -> domains.add(p.substring(p.indexOf('@') + 1)));
      TestPki.Builder b = TestPki.builder();
      domains.forEach(b::domain);
      people.forEach(b::person);
      sharedPki = b.build();
      installKeystore(sharedPki.organisation(domains.iterator().next()).tlsServer());
    }
    return sharedPki;
  }

  /** The test PKI: trust anchors, organisation and personal credentials. */
  public TestPki pki() {
    return pki;
  }

  /** The trust for the server's TLS certificate. */
  public TlsTrust tlsTrust() {
    return TlsTrust.of(pki.trustAnchors());
  }

  /** The submission server (implicit TLS on loopback). */
  public ServerSettings smtp() {
    return ServerSettings.implicitTls("localhost", greenMail.getSmtps().getPort(), tlsTrust());
  }

  /** The IMAP server (implicit TLS on loopback). */
  public ServerSettings imap() {
    return ServerSettings.implicitTls("localhost", greenMail.getImaps().getPort(), tlsTrust());
  }

  /** The person's S/MIME toolkit: own signature and encryption keys, the PKI's anchors and CRLs. */
  public SecureMessaging secureMessaging(String address) {
    requirePerson(address);
    return SecureMessaging.builder()
        .signingKey(key(pki.person(address).signature()))
        .decryptionKey(key(pki.person(address).encryption()))
        .trust(TrustAnchors.of(pki.trustAnchors(), pki.intermediates(), pki.crls()))
        .revocation(RevocationPolicy.REQUIRE_CRL)
        .build();
  }

  /** Settings for a {@code PontClient} logged in as {@code address}, indexing into {@code indexFolder}. */
  public PontSettings settingsFor(String address, Path indexFolder) {
    return PontSettings.builder()
        .smtp(smtp()).imap(imap())
        .credentials(MailCredentials.of(address, PASSWORD.toCharArray()))
        .secureMessaging(secureMessaging(address))
        .indexFolder(indexFolder)
        .build();
  }

  /** Puts a message straight into a mailbox (no SMTP): fast set-up of large mailboxes. */
  public void deliver(String address, MimeMessage message) {
    Objects.requireNonNull(greenMail.getUserManager().getUser(address), () -> "no mailbox for " + address).deliver(message);
  }

  /** Waits until the server has received {@code count} messages in all, or the timeout passes. */
  public boolean waitForIncoming(int count, Duration timeout) {
    return greenMail.waitForIncomingEmail(timeout.toMillis(), count);
  }

  /** The underlying GreenMail, for what this class does not cover. */
  public GreenMailExtension greenMail() {
    return greenMail;
  }

  private void requirePerson(String address) {
    if (!pki.persons().containsKey(address)) {
      throw new IllegalStateException(address + " is not in this run's test PKI (it holds " + new ArrayList<>(pki.persons().keySet())
          + "): name every person in the first PontTestServer created");
    }
  }

  private static KeyCredential key(Credential c) {
    return KeyCredential.of(c.privateKey(), c.certificate(), c.chain());
  }

  private static void installKeystore(Credential tls) {
    try {
      char[] password = "pont-testkit".toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("greenmail", tls.privateKey(), password, tls.chain().toArray(Certificate[]::new));
      Path file = Files.createTempFile("pont-testkit-", ".p12");
      file.toFile().deleteOnExit();
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, password);
      }
      System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_FILE_PROPERTY, file.toString());
      System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_PASSWORD_PROPERTY, new String(password));
      System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEY_PASSWORD_PROPERTY, new String(password));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the test server's keystore: " + e.getMessage(), e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    greenMail.beforeAll(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    greenMail.afterAll(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    greenMail.beforeEach(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    greenMail.afterEach(context);
  }
}
