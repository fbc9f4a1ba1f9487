package org.pont.gateway.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns every {@link ApiException} into its JSON error body. */
@Produces(MediaType.APPLICATION_JSON)
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
final class ApiErrors implements ExceptionHandler<ApiException, HttpResponse<?>> {

  private final MeterRegistry meters;

  ApiErrors(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public HttpResponse<?> handle(HttpRequest request, ApiException e) {
    meters.counter("pont.api.refusals", "reason", e.reason()).increment();
    return body(e.status(), e.reason(), e.getMessage());
  }

  static HttpResponse<Map<String, Object>> body(HttpStatus status, String reason, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", reason);
    m.put("message", message);
    return HttpResponse.<Map<String, Object>>status(status).contentType(MediaType.APPLICATION_JSON_TYPE).body(m);
  }
}
