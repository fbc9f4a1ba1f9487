package org.pont.gateway;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.pont.gateway.james.JamesLifecycle;

/**
 * Starts the gateway application: Micronaut (REST, /health) with the embedded James. Used by
 * {@code pont up} and by tests; {@link #close()} stops everything.
 */
public final class Gateway implements AutoCloseable {

  private final ApplicationContext context;

  private Gateway(ApplicationContext context) {
    this.context = context;
  }

  /**
   * @param properties {@code pont.*} and {@code micronaut.*} settings that win over the defaults
   * @param configFile an optional properties file; its settings win over application.properties
   */
  public static Gateway start(Map<String, Object> properties, Optional<Path> configFile) {
    Map<String, Object> props = new HashMap<>();
    if (configFile.isPresent()) {
      props.putAll(readProperties(configFile.get()));
    }
    props.putAll(properties); // explicit settings (command-line options) win over the file
    transport(props);
    ApplicationContext context = Micronaut.build(new String[0])
        .mainClass(Gateway.class)
        .banner(false)
        .deduceEnvironment(false)
        .properties(props)
        .start();
    return new Gateway(context);
  }

  /**
   * The API listens with HTTPS only. {@code micronaut.server.port} given without
   * {@code micronaut.server.ssl.port} is taken as the API's port, so {@code -1} (a free port, in
   * tests) or an operator's port applies to the listener that actually exists.
   * {@code pont.api.plain-http=true} turns TLS off for a reverse proxy on loopback; {@link
   * org.pont.gateway.api.ApiTransport} refuses any other plain-HTTP set-up.
   */
  private static void transport(Map<String, Object> props) {
    boolean plain = Boolean.parseBoolean(String.valueOf(props.getOrDefault("pont.api.plain-http", "false")).strip());
    if (plain) {
      props.putIfAbsent("micronaut.server.ssl.enabled", "false");
    } else if (props.containsKey("micronaut.server.port")) {
      props.putIfAbsent("micronaut.server.ssl.port", props.get("micronaut.server.port"));
    }
    // Refuse a clear-text set-up before James starts, with a one-line reason (ApiTransport checks
    // again inside the context, where system properties count too).
    org.pont.gateway.api.ApiTransport.check(
        Boolean.parseBoolean(String.valueOf(props.getOrDefault("micronaut.server.ssl.enabled", "true")).strip()), plain,
        String.valueOf(props.getOrDefault("micronaut.server.host", "127.0.0.1")).strip());
  }

  private static Map<String, Object> readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration file " + file, e);
    }
    Map<String, Object> map = new HashMap<>();
    p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k).strip()));
    return map;
  }

  public JamesLifecycle james() {
    return context.getBean(JamesLifecycle.class);
  }

  /** The bound port of the REST API (HTTPS unless {@code pont.api.plain-http=true}). */
  public int httpPort() {
    return context.getBean(io.micronaut.runtime.server.EmbeddedServer.class).getPort();
  }

  /** Where the REST API answers, e.g. {@code https://127.0.0.1:8443}. */
  public java.net.URI apiUri() {
    io.micronaut.runtime.server.EmbeddedServer server = context.getBean(io.micronaut.runtime.server.EmbeddedServer.class);
    return java.net.URI.create(server.getScheme() + "://" + server.getHost() + ":" + server.getPort());
  }

  public boolean isRunning() {
    return context.isRunning();
  }

  @Override
  public void close() {
    if (context.isRunning()) {
      context.close();
    }
  }
}
