package org.pont.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pont.gateway.security.ApiAuthenticator;
import org.pont.gateway.security.ApiToken;
import org.pont.gateway.security.Scope;
import org.pont.gateway.webhook.WebhookDispatcher;
import org.pont.gateway.webhook.WebhookStore;

/**
 * Webhook subscriptions (read scope): an application asks for {@code message.received} (mail in a
 * mailbox) and {@code message.status} (a submitted message's recipient changed state, timeouts
 * included) callbacks for its token's mailbox; an admin token may subscribe for any mailbox or
 * {@code *}. The signing secret is in the creation answer only.
 */
@Controller("/api/v1/webhooks")
@ExecuteOn(TaskExecutors.BLOCKING)
class WebhooksController {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiAuthenticator auth;
  private final WebhookStore store;
  private final WebhookDispatcher dispatcher;

  WebhooksController(ApiAuthenticator auth, WebhookStore store, WebhookDispatcher dispatcher) {
    this.auth = auth;
    this.store = store;
    this.dispatcher = dispatcher;
  }

  @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  HttpResponse<Map<String, Object>> subscribe(HttpRequest<?> request, @Body String body) {
    ApiToken token = auth.require(request, Scope.READ);
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("INVALID_WEBHOOK", "the body is not JSON");
    }
    if (n == null || !n.isObject()) {
      throw ApiException.badRequest("INVALID_WEBHOOK", "the body is a JSON object with url, events and optionally mailbox");
    }
    URI url;
    try {
      url = WebhookStore.checkUrl(n.path("url").asText(""));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_WEBHOOK_URL", e.getMessage());
    }
    Set<String> events = new TreeSet<>();
    JsonNode ev = n.get("events");
    if (ev == null || !ev.isArray() || ev.isEmpty()) {
      throw ApiException.badRequest("INVALID_WEBHOOK", "'events' is a non-empty array of " + new TreeSet<>(WebhookStore.EVENTS));
    }
    for (JsonNode e : ev) {
      if (!WebhookStore.EVENTS.contains(e.asText())) {
        throw ApiException.badRequest("UNKNOWN_EVENT", "unknown event '" + e.asText() + "'; known: " + new TreeSet<>(WebhookStore.EVENTS));
      }
      events.add(e.asText());
    }
    String mailbox = n.hasNonNull("mailbox") ? n.get("mailbox").asText().strip().toLowerCase(java.util.Locale.ROOT) : token.mailbox();
    boolean allowed = mailbox.equals(ApiToken.ANY_MAILBOX)
        ? token.has(Scope.ADMIN) || token.mailbox().equals(ApiToken.ANY_MAILBOX)
        : token.owns(mailbox);
    if (!allowed) {
      throw new ApiException(HttpStatus.FORBIDDEN, "FORBIDDEN_MAILBOX", "this token does not act for " + mailbox);
    }
    WebhookStore.Subscription s = store.create(url, events, mailbox, token.id());
    Map<String, Object> out = json(s);
    out.put("secret", s.secret()); // shown once; sign-check every callback with it
    return HttpResponse.<Map<String, Object>>status(HttpStatus.CREATED).body(out);
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  Map<String, Object> list(HttpRequest<?> request) {
    ApiToken token = auth.require(request, Scope.READ);
    List<Map<String, Object>> subs = store.all().stream().filter(s -> visible(token, s)).map(this::json).toList();
    return Map.of("webhooks", subs);
  }

  @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
  Map<String, Object> get(HttpRequest<?> request, @PathVariable String id) {
    ApiToken token = auth.require(request, Scope.READ);
    return json(store.find(id).filter(s -> visible(token, s))
        .orElseThrow(() -> ApiException.notFound("UNKNOWN_WEBHOOK", "no webhook " + id + " for this token")));
  }

  @Delete(uri = "/{id}")
  HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String id) {
    ApiToken token = auth.require(request, Scope.READ);
    WebhookStore.Subscription s = store.find(id).filter(x -> visible(token, x))
        .orElseThrow(() -> ApiException.notFound("UNKNOWN_WEBHOOK", "no webhook " + id + " for this token"));
    store.delete(s.id());
    return HttpResponse.noContent();
  }

  /** A token sees the subscriptions of the mailboxes it acts for; admin sees all. */
  private static boolean visible(ApiToken token, WebhookStore.Subscription s) {
    if (token.has(Scope.ADMIN) || token.mailbox().equals(ApiToken.ANY_MAILBOX)) {
      return true;
    }
    return !s.mailbox().equals(ApiToken.ANY_MAILBOX) && token.owns(s.mailbox());
  }

  private Map<String, Object> json(WebhookStore.Subscription s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("url", s.url().toString());
    m.put("events", new TreeSet<>(s.events()));
    m.put("mailbox", s.mailbox());
    m.put("created", s.created().toString());
    WebhookDispatcher.Counts c = dispatcher.counts(s.id());
    m.put("pendingDeliveries", c.pending());
    m.put("failedDeliveries", c.failed());
    return m;
  }
}
