package org.pont.gateway.api;

import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Micronaut's own refusals (no route, wrong media type, unreadable body, request too large...)
 * in the API's error shape, {@code {"error": REASON, "message": ...}}, so every 4xx reads the same.
 */
@Singleton
@Primary
@Replaces(JsonErrorResponseBodyProvider.class)
final class JsonErrorBodies implements JsonErrorResponseBodyProvider<Map<String, Object>> {

  @Override
  public Map<String, Object> body(ErrorContext context, HttpResponse<?> response) {
    int code = response.code();
    String reason = switch (code) {
      case 400 -> "BAD_REQUEST";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "FORBIDDEN";
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 406 -> "NOT_ACCEPTABLE";
      case 413 -> "OVERSIZE";
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      default -> code >= 500 ? "INTERNAL_ERROR" : "HTTP_" + code;
    };
    String message = context.getErrors().stream().map(Error::getMessage).findFirst()
        .orElse(response.reason() == null ? reason : response.reason());
    if (code >= 500) {
      message = "the gateway failed to answer; see its log";
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", reason);
    m.put("message", message);
    return m;
  }

  @Override
  public String contentType() {
    return MediaType.APPLICATION_JSON;
  }
}
