package org.pont.gateway.james;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** {@code /health} reports DOWN unless the embedded James is started. */
@Singleton
final class JamesHealthIndicator implements HealthIndicator {

  private final JamesLifecycle lifecycle;

  JamesHealthIndicator(JamesLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Mono.fromCallable(() -> HealthResult.builder("james")
        .status(lifecycle.isRunning() ? HealthStatus.UP : HealthStatus.DOWN)
        .build());
  }
}
