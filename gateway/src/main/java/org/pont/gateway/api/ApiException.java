package org.pont.gateway.api;

import io.micronaut.http.HttpStatus;
import java.util.Objects;

/**
 * A refusal the API answers with {@code {"error": reason, "message": ...}}: the reason is
 * machine-readable and stable, the message says what to fix.
 */
public final class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String reason;

  public ApiException(HttpStatus status, String reason, String message) {
    super(message);
    this.status = Objects.requireNonNull(status, "status");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public HttpStatus status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  static ApiException badRequest(String reason, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, reason, message);
  }

  static ApiException notFound(String reason, String message) {
    return new ApiException(HttpStatus.NOT_FOUND, reason, message);
  }
}
