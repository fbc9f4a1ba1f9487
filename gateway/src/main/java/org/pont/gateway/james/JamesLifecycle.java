package org.pont.gateway.james;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.pont.gateway.bootstrap.GatewayBootstrap;
import org.pont.gateway.config.GatewaySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the embedded James for the Micronaut application: prepared and started when the context
 * starts (a failure stops the application), stopped when it stops.
 */
@Context
public class JamesLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(JamesLifecycle.class);

  private final GatewaySettings settings;
  private final GatewayBootstrap bootstrap;
  private EmbeddedJames james;
  private GatewayBootstrap.Provisioned provisioned;

  public JamesLifecycle(GatewaySettings settings) {
    this.settings = settings;
    this.bootstrap = new GatewayBootstrap(settings);
  }

  @PostConstruct
  void start() throws Exception {
    TlsFiles tls = bootstrap.prepareTls();
    EmbeddedJames candidate = new EmbeddedJames(settings, tls);
    try {
      candidate.start();
      provisioned = bootstrap.provision(candidate);
    } catch (Exception | Error e) {
      candidate.stop();
      throw e;
    }
    james = candidate;
  }

  @PreDestroy
  void stop() {
    if (james != null) {
      LOG.info("Stopping James");
      james.stop();
      james = null;
    }
  }

  public EmbeddedJames james() {
    if (james == null) {
      throw new IllegalStateException("James is not running");
    }
    return james;
  }

  public boolean isRunning() {
    return james != null && james.isStarted();
  }

  public GatewaySettings settings() {
    return settings;
  }

  public GatewayBootstrap bootstrap() {
    return bootstrap;
  }

  /** What the start made (domain, demo users, where their passwords are). */
  public GatewayBootstrap.Provisioned provisioned() {
    return provisioned;
  }
}
