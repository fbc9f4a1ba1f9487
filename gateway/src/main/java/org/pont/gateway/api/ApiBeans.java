package org.pont.gateway.api;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.status.FileMessageStatusStore;
import org.pont.gateway.status.MessageStatusStore;
import org.pont.gateway.webhook.WebhookOutbox;

/** The API's stores, kept under the gateway's data folder. */
@Factory
final class ApiBeans {

  @Singleton
  MessageStatusStore messageStatusStore(GatewaySettings settings) {
    return FileMessageStatusStore.in(settings.dataDir(), WebhookOutbox.in(settings.dataDir())); // changes become webhook events
  }
}
