package org.pont.gateway.security;

import io.micronaut.context.annotation.Context;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.annotation.PostConstruct;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.pont.gateway.api.ApiException;
import org.pont.gateway.config.GatewaySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication of the REST API. On the first start (no token registered yet) it
 * makes an administrator token and writes it to {@code <data>/admin-token.txt}, readable by the
 * owner only; the token itself is never logged.
 */
@Context
public class ApiAuthenticator {

  private static final Logger LOG = LoggerFactory.getLogger(ApiAuthenticator.class);
  public static final String ADMIN_TOKEN_FILE = "admin-token.txt";

  private final GatewaySettings settings;
  private final TokenStore tokens;

  public ApiAuthenticator(GatewaySettings settings) {
    this.settings = settings;
    this.tokens = TokenStore.in(settings.dataDir());
  }

  @PostConstruct
  void firstStart() {
    Path file = settings.dataDir().resolve(ADMIN_TOKEN_FILE);
    if (tokens.isEmpty() && !Files.exists(file)) {
      TokenStore.Created admin = tokens.create(ApiToken.ANY_MAILBOX, EnumSet.of(Scope.ADMIN, Scope.SEND, Scope.READ));
      TokenStore.writeOwnerOnlyAtomically(file, (admin.bearer() + "\n").getBytes(StandardCharsets.UTF_8));
      LOG.info("Made the first administrator API token ({}); its value is in {}", admin.token().id(), file);
    }
  }

  public TokenStore tokens() {
    return tokens;
  }

  /**
   * The token of the request, which must carry {@code scope}.
   *
   * @throws ApiException 401 UNAUTHENTICATED without a valid bearer token, 403 FORBIDDEN_SCOPE without the scope
   */
  public ApiToken require(HttpRequest<?> request, Scope scope) {
    return require(request, scope, true);
  }

  private ApiToken require(HttpRequest<?> request, Scope scope, boolean checkScope) {
    String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED",
          "send an API token as 'Authorization: Bearer pont_...'");
    }
    ApiToken token = tokens.authenticate(header.substring(7).strip())
        .orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "the API token is not valid"));
    if (checkScope && !token.has(scope) && !token.has(Scope.ADMIN)) {
      throw new ApiException(HttpStatus.FORBIDDEN, "FORBIDDEN_SCOPE",
          "this token has no '" + scope.label() + "' scope");
    }
    return token;
  }

  /**
   * The token of the request, which must carry at least one of {@code scopes} (or admin): for what
   * any user of the API may do, such as searching the directory.
   */
  public ApiToken requireAny(HttpRequest<?> request, Set<Scope> scopes) {
    ApiToken token = require(request, Scope.ADMIN, false);
    if (!token.has(Scope.ADMIN) && scopes.stream().noneMatch(token::has)) {
      throw new ApiException(HttpStatus.FORBIDDEN, "FORBIDDEN_SCOPE", "this token has none of the scopes "
          + scopes.stream().map(Scope::label).sorted().toList());
    }
    return token;
  }

  /** As {@link #require(HttpRequest, Scope)}, and the token must own {@code mailbox}. */
  public ApiToken require(HttpRequest<?> request, Scope scope, String mailbox) {
    ApiToken token = require(request, scope);
    if (!token.owns(mailbox)) {
      throw new ApiException(HttpStatus.FORBIDDEN, "FORBIDDEN_MAILBOX",
          "this token does not act for " + mailbox);
    }
    return token;
  }
}
