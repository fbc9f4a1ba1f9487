package org.pont.gateway.webhook;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pont.gateway.status.MessageStatusStore;
import org.pont.gateway.status.MessageStatusStore.Report;
import org.pont.gateway.status.MessageStatusStore.Source;
import org.pont.gateway.status.MessageStatusStore.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking deadline ({@code pont.tracking.timeout}, {@code pont.tracking.await}): every
 * check interval, each recipient still short of the awaited state that long after acceptance is
 * reported {@code timed-out} — once (the store's reconciliation refuses a second timeout). The
 * change reaches the sending application through the REST status and a {@code message.status}
 * webhook; no DSN or other mail is ever produced, now or later, and a late DSN/MDN reconciles
 * the recipient.
 */
@Context
public final class DeadlineWatch {

  private static final Logger LOG = LoggerFactory.getLogger(DeadlineWatch.class);

  private final MessageStatusStore statuses;
  private final TrackingSettings settings;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  public DeadlineWatch(MessageStatusStore statuses, TrackingSettings settings) {
    this(statuses, settings, Clock.systemUTC());
  }

  DeadlineWatch(MessageStatusStore statuses, TrackingSettings settings, Clock clock) {
    this.statuses = statuses;
    this.settings = settings;
    this.clock = clock;
  }

  @PostConstruct
  void start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pont-tracking-deadline");
      t.setDaemon(true);
      return t;
    });
    long every = settings.checkInterval().toMillis();
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        check();
      } catch (RuntimeException e) {
        LOG.warn("tracking deadline check failed, retried next round: {}", e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() throws InterruptedException {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Reports the timeouts due now; returns how many recipients timed out. */
  int check() {
    Instant now = clock.instant();
    int n = 0;
    for (MessageStatusStore.MessageStatus m : statuses.open()) {
      for (Map.Entry<String, MessageStatusStore.RecipientStatus> r : m.recipients().entrySet()) {
        State state = r.getValue().state();
        if (state.isNegative() || state.rank() >= settings.awaited().rank()) {
          continue;
        }
        Duration waited = Duration.between(r.getValue().acceptedAt(), now);
        if (waited.compareTo(settings.timeout()) < 0) {
          continue;
        }
        Report timeout = new Report(State.TIMED_OUT,
            Optional.of("no " + settings.awaited().label() + " within " + settings.timeout() + " (last: " + state.label() + ")"),
            Source.TIMEOUT, Optional.empty(), Optional.empty());
        if (statuses.report(m.id(), r.getKey(), timeout).filter(c -> c.event().changed()).isPresent()) {
          n++;
          LOG.info("message {} recipient {} timed out waiting for {}", m.id(), r.getKey(), settings.awaited().label());
        }
      }
    }
    return n;
  }
}
