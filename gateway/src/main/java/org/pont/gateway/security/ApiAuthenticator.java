package org.pont.gateway.security;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.annotation.PostConstruct;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.pont.gateway.api.ApiException;
import org.pont.gateway.config.GatewaySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication of the REST API. On the first start (no token registered yet) it
 * makes an administrator token and writes it to {@code <data>/admin-token.txt}, readable by the
 * owner only; the token itself is never logged. Tokens live {@code pont.api.token-ttl-days} (90
 * by default) unless made with another lifetime; an expired token is refused with {@code
 * TOKEN_EXPIRED}, a revoked one with {@code TOKEN_REVOKED} (both 401), once its secret matched.
 */
@Context
public class ApiAuthenticator {

  private static final Logger LOG = LoggerFactory.getLogger(ApiAuthenticator.class);
  public static final String ADMIN_TOKEN_FILE = "admin-token.txt";

  private final GatewaySettings settings;
  private final TokenStore tokens;
  private final Duration ttl;

  public ApiAuthenticator(GatewaySettings settings, @Value("${pont.api.token-ttl-days:90}") int ttlDays) {
    if (ttlDays < 1) {
      throw new IllegalArgumentException("pont.api.token-ttl-days must be at least 1, not " + ttlDays);
    }
    this.settings = settings;
    this.tokens = TokenStore.in(settings.dataDir());
    this.ttl = Duration.ofDays(ttlDays);
  }

  /** How long new tokens live unless their creator says otherwise ({@code pont.api.token-ttl-days}). */
  public Duration defaultTtl() {
    return ttl;
  }

  @PostConstruct
  void firstStart() {
    Path file = settings.dataDir().resolve(ADMIN_TOKEN_FILE);
    if (tokens.isEmpty() && !Files.exists(file)) {
      TokenStore.Created admin = tokens.create(ApiToken.ANY_MAILBOX, EnumSet.of(Scope.ADMIN, Scope.SEND, Scope.READ), ttl);
      TokenStore.writeOwnerOnlyAtomically(file, (admin.bearer() + "\n").getBytes(StandardCharsets.UTF_8));
      LOG.info("Made the first administrator API token ({}, expires {}); its value is in {}", admin.token().id(),
          admin.token().expires(), file);
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
    switch (token.state(Instant.now())) {
      case EXPIRED -> throw new ApiException(HttpStatus.UNAUTHORIZED, "TOKEN_EXPIRED",
          "this API token expired on " + token.expires() + "; ask an administrator for a new one");
      case REVOKED -> throw new ApiException(HttpStatus.UNAUTHORIZED, "TOKEN_REVOKED", "this API token was revoked");
      case ACTIVE -> { }
    }
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
