package org.pont.gateway.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.ssl.ServerSslConfiguration;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.pont.gateway.james.JamesLifecycle;

/**
 * The REST API's TLS (the default, {@code micronaut.server.ssl.enabled=true}; port {@code
 * micronaut.server.ssl.port}, 8443): without a {@code micronaut.server.ssl.key-store.path} it
 * serves the gateway's own TLS server credential, the keystore the bootstrap makes for James from
 * the PKI folder: one certificate for the domain, no second secret to manage. An explicit key
 * store wins. Inactive only in the loopback reverse-proxy set-up ({@link ApiTransport}).
 */
@Singleton
@Requires(property = "micronaut.server.ssl.enabled", value = "true")
final class HttpsFromGatewayPki implements BeanCreatedEventListener<ServerSslConfiguration> {

  private final Provider<JamesLifecycle> james;

  HttpsFromGatewayPki(Provider<JamesLifecycle> james) {
    this.james = james;
  }

  @Override
  public ServerSslConfiguration onCreated(BeanCreatedEvent<ServerSslConfiguration> event) {
    ServerSslConfiguration ssl = event.getBean();
    // Protocols and suites apply to an explicit key store too, unless the operator chose their own.
    if (ssl.getProtocols().isEmpty()) {
      ssl.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    }
    if (ssl.getCiphers().isEmpty()) {
      // The same suites as James's listeners (smtpserver.xml, imapserver.xml): without a list the
      // JDK default also offers ECDHE with AES-CBC and SHA-1 (found by SecurityChecksTest's TLS scan).
      ssl.setCiphers(new String[] {
          "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
    }
    if (ssl.getKeyStore().getPath().isPresent()) {
      return ssl;
    }
    // The bootstrap writes the keystore before James starts; getting the lifecycle makes sure it ran.
    Path jamesDir = james.get().settings().jamesDir();
    Properties secrets = new Properties();
    try (Reader r = Files.newBufferedReader(jamesDir.resolve("tls-secrets.properties"), StandardCharsets.UTF_8)) {
      secrets.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("HTTPS needs the gateway's TLS keystore secrets", e);
    }
    ssl.getKeyStore().setPath("file:" + jamesDir.resolve("conf/tls.p12"));
    ssl.getKeyStore().setType("PKCS12");
    ssl.getKeyStore().setPassword(secrets.getProperty("keystore.secret"));
    return ssl;
  }
}
