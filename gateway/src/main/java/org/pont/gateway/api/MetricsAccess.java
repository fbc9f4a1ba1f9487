package org.pont.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.pont.gateway.security.ApiAuthenticator;
import org.pont.gateway.security.Scope;

/**
 * {@code /prometheus} needs a bearer token with the {@code metrics} scope (or {@code admin}):
 * counters of refusals and traffic tell an outsider too much about who sends what. Micronaut's
 * own endpoint security needs micronaut-security; this one filter is all it would be used for.
 */
@ServerFilter({"/prometheus", "/prometheus/**"})
final class MetricsAccess {

  private final ApiAuthenticator auth;

  MetricsAccess(ApiAuthenticator auth) {
    this.auth = auth;
  }

  /** Null lets the request through; otherwise the API's JSON refusal. */
  @RequestFilter
  @ExecuteOn(TaskExecutors.BLOCKING) // the first use of a token runs PBKDF2: not on the event loop
  @Nullable
  HttpResponse<?> requireMetricsScope(HttpRequest<?> request) {
    try {
      auth.require(request, Scope.METRICS);
      return null;
    } catch (ApiException e) {
      return ApiErrors.body(e.status(), e.reason(), e.getMessage());
    }
  }
}
