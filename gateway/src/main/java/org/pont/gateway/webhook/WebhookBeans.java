package org.pont.gateway.webhook;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.status.MessageStatusStore.State;

/** The tracking and webhook beans of the Micronaut side, from the gateway's properties and data folder. */
@Factory
final class WebhookBeans {
  @Singleton
  TrackingSettings trackingSettings(
      @Value("${pont.tracking.timeout:24h}") String timeout,
      @Value("${pont.tracking.await:read}") String awaited,
      @Value("${pont.tracking.check-interval:1m}") String checkInterval,
      @Value("${pont.tracking.request-receipts:true}") boolean requestReceipts,
      @Value("${pont.webhooks.poll-interval:1s}") String pollInterval,
      @Value("${pont.webhooks.retry-base:10s}") String retryBase,
      @Value("${pont.webhooks.max-attempts:8}") int maxAttempts,
      @Value("${pont.webhooks.timeout:10s}") String callTimeout) {
    return new TrackingSettings(TrackingSettings.duration(timeout, "pont.tracking.timeout"),
        State.fromLabel(awaited).orElseThrow(() -> new IllegalArgumentException(
            "pont.tracking.await is delivered, read or integrated, not '" + awaited + "'")),
        TrackingSettings.duration(checkInterval, "pont.tracking.check-interval"), requestReceipts,
        TrackingSettings.duration(pollInterval, "pont.webhooks.poll-interval"), TrackingSettings.duration(retryBase, "pont.webhooks.retry-base"),
        maxAttempts, TrackingSettings.duration(callTimeout, "pont.webhooks.timeout"));
  }

  @Singleton
  WebhookStore webhookStore(GatewaySettings settings) {
    return WebhookStore.in(settings.dataDir());
  }
}
