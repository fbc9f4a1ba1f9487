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
    ApplicationContext context = Micronaut.build(new String[0])
        .mainClass(Gateway.class)
        .banner(false)
        .deduceEnvironment(false)
        .properties(props)
        .start();
    return new Gateway(context);
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

  /** The bound HTTP port of the REST API (health today). */
  public int httpPort() {
    return context.getBean(io.micronaut.runtime.server.EmbeddedServer.class).getPort();
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
