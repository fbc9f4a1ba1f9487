package org.pont.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.security.auth.x500.X500Principal;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.directory.Whitelist;
import org.pont.gateway.directory.WhitelistDomain;
import org.pont.gateway.directory.WhitelistException;
import org.pont.gateway.directory.WhitelistFile;
import org.pont.gateway.directory.WhitelistLoader;
import org.pont.gateway.james.JamesLifecycle;
import org.pont.gateway.security.ApiAuthenticator;
import org.pont.gateway.security.ApiToken;
import org.pont.gateway.security.Scope;
import org.pont.gateway.security.TokenStore;
import org.pont.message.Party;

/** Administration (admin scope): domains, mailboxes, the whitelist and API tokens. */
@Controller("/api/v1/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminController {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final String DOMAIN = "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+";

  private final ApiAuthenticator auth;
  private final JamesLifecycle james;
  private final Path whitelist;

  AdminController(ApiAuthenticator auth, JamesLifecycle james, GatewaySettings settings) {
    this.auth = auth;
    this.james = james;
    // The ANS-format whitelist the relay and the operator port read (reloaded when it changes).
    this.whitelist = settings.whitelistFile();
  }

  @Get(uri = "/domains", produces = MediaType.APPLICATION_JSON)
  Map<String, Object> domains(HttpRequest<?> request) throws Exception {
    auth.require(request, Scope.ADMIN);
    return Map.of("domains", james.james().mailboxAccess().domains());
  }

  @Post(uri = "/domains", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  HttpResponse<Map<String, Object>> addDomain(HttpRequest<?> request, @Body String body) throws Exception {
    auth.require(request, Scope.ADMIN);
    String domain = domain(field(body, "domain"));
    james.james().mailboxAccess().addDomain(domain);
    return HttpResponse.<Map<String, Object>>status(HttpStatus.CREATED).body(Map.of("domain", domain));
  }

  @Get(uri = "/mailboxes", produces = MediaType.APPLICATION_JSON)
  Map<String, Object> mailboxes(HttpRequest<?> request) throws Exception {
    auth.require(request, Scope.ADMIN);
    return Map.of("mailboxes", james.james().users().stream().sorted().toList());
  }

  /** Creates a mailbox; its generated password is in this answer only. */
  @Post(uri = "/mailboxes", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  HttpResponse<Map<String, Object>> addMailbox(HttpRequest<?> request, @Body String body) throws Exception {
    auth.require(request, Scope.ADMIN);
    String address = address(field(body, "address"));
    String domain = address.substring(address.indexOf('@') + 1);
    if (!james.james().mailboxAccess().domains().contains(domain)) {
      throw ApiException.badRequest("UNKNOWN_DOMAIN", "this gateway does not serve " + domain + "; add the domain first");
    }
    if (james.james().users().contains(address)) {
      throw new ApiException(HttpStatus.CONFLICT, "MAILBOX_EXISTS", address + " already exists");
    }
    String password = password(20);
    james.james().addUser(address, password);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", address);
    m.put("password", password);
    return HttpResponse.<Map<String, Object>>status(HttpStatus.CREATED).body(m);
  }

  /** The whitelist the relay and the operator port use: each domain with its operator's certificate DN. */
  @Get(uri = "/whitelist", produces = MediaType.APPLICATION_JSON)
  Map<String, Object> whitelist(HttpRequest<?> request) throws IOException {
    auth.require(request, Scope.ADMIN);
    List<Map<String, Object>> entries = new ArrayList<>();
    Set<String> domains = new TreeSet<>();
    if (Files.exists(whitelist)) {
      Whitelist w;
      try {
        w = new WhitelistLoader().load(whitelist, Optional.empty());
      } catch (WhitelistException e) {
        throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "WHITELIST_UNREADABLE", e.getMessage());
      }
      for (WhitelistDomain d : w.entries()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domain", d.name());
        m.put("operatorDn", d.operatorDn().getName(X500Principal.RFC2253));
        m.put("description", d.description());
        d.updated().ifPresent(u -> m.put("updated", u.toString()));
        entries.add(m);
        domains.add(d.name());
      }
    }
    // "domains" kept for clients of the first version of this endpoint.
    return Map.of("entries", entries, "domains", List.copyOf(domains));
  }

  /** Adds a domain served by the operator whose TLS certificate subject is {@code operatorDn}. */
  @Post(uri = "/whitelist", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  HttpResponse<Map<String, Object>> addToWhitelist(HttpRequest<?> request, @Body String body) throws IOException {
    auth.require(request, Scope.ADMIN);
    String domain = domain(field(body, "domain"));
    X500Principal dn = dn(rawField(body, "operatorDn"));
    JsonNode description = json(body).get("description");
    String text = description != null && description.isTextual() ? description.asText().strip() : domain;
    boolean added;
    synchronized (this) {
      try {
        added = WhitelistFile.createIfAbsent(whitelist, domain, dn, text) || WhitelistFile.add(whitelist, domain, dn, text);
      } catch (WhitelistException e) {
        throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "WHITELIST_UNREADABLE", e.getMessage());
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("domain", domain);
    m.put("operatorDn", dn.getName(X500Principal.RFC2253));
    m.put("added", added);
    return HttpResponse.<Map<String, Object>>status(added ? HttpStatus.CREATED : HttpStatus.OK).body(m);
  }

  /** Removes a domain's entries, or only its entry for {@code operatorDn}. */
  @Delete(uri = "/whitelist/{domain}")
  HttpResponse<Void> removeFromWhitelist(HttpRequest<?> request, String domain, @Nullable @QueryValue String operatorDn)
      throws IOException {
    auth.require(request, Scope.ADMIN);
    String d = domain(domain.strip().toLowerCase(Locale.ROOT));
    Optional<X500Principal> dn = operatorDn == null || operatorDn.isBlank() ? Optional.empty() : Optional.of(dn(operatorDn));
    int removed;
    synchronized (this) {
      removed = Files.exists(whitelist) ? WhitelistFile.remove(whitelist, d, dn) : 0;
    }
    if (removed == 0) {
      throw ApiException.notFound("NOT_WHITELISTED", d + dn.map(x -> " with that operator DN").orElse("") + " is not in the whitelist");
    }
    return HttpResponse.noContent();
  }

  @Get(uri = "/tokens", produces = MediaType.APPLICATION_JSON)
  Map<String, Object> tokens(HttpRequest<?> request) {
    auth.require(request, Scope.ADMIN);
    List<Map<String, Object>> out = new ArrayList<>();
    java.time.Instant now = java.time.Instant.now();
    for (ApiToken t : auth.tokens().list()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", t.id());
      m.put("mailbox", t.mailbox());
      m.put("scopes", t.scopes().stream().map(Scope::label).sorted().toList());
      m.put("created", t.created().toString());
      m.put("expires", t.expires().toString());
      t.revoked().ifPresent(r -> m.put("revoked", r.toString()));
      m.put("state", t.state(now).name().toLowerCase(Locale.ROOT));
      out.add(m);
    }
    return Map.of("tokens", out);
  }

  /** Revokes a token at once; it stays listed as revoked. */
  @io.micronaut.http.annotation.Delete(uri = "/tokens/{id}", produces = MediaType.APPLICATION_JSON)
  HttpResponse<Map<String, Object>> revokeToken(HttpRequest<?> request, @io.micronaut.http.annotation.PathVariable String id) {
    auth.require(request, Scope.ADMIN);
    if (!auth.tokens().revoke(id)) {
      throw ApiException.notFound("UNKNOWN_TOKEN", "no API token " + id);
    }
    return HttpResponse.ok(Map.of("id", id, "state", "revoked"));
  }

  /** Creates a token for a mailbox; the bearer value is in this answer only. */
  @Post(uri = "/tokens", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  HttpResponse<Map<String, Object>> createToken(HttpRequest<?> request, @Body String body) throws Exception {
    auth.require(request, Scope.ADMIN);
    JsonNode n = json(body);
    String mailbox = address(field(body, "mailbox"));
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    JsonNode s = n.get("scopes");
    if (s == null || !s.isArray() || s.isEmpty()) {
      throw ApiException.badRequest("INVALID_SCOPE", "'scopes' must list send and/or read");
    }
    for (JsonNode v : s) {
      try {
        scopes.add(Scope.parse(v.asText()));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("INVALID_SCOPE", e.getMessage());
      }
    }
    if (!james.james().users().contains(mailbox)) {
      throw ApiException.badRequest("UNKNOWN_MAILBOX", "no mailbox " + mailbox + " on this gateway");
    }
    java.time.Duration ttl = auth.defaultTtl();
    JsonNode days = n.get("ttlDays");
    if (days != null) {
      if (!days.canConvertToInt() || days.asInt() < 1 || days.asInt() > 3650) {
        throw ApiException.badRequest("INVALID_TTL", "'ttlDays' is a number of days, 1..3650");
      }
      ttl = java.time.Duration.ofDays(days.asInt());
    }
    TokenStore.Created c = auth.tokens().create(mailbox, scopes, ttl);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.token().id());
    m.put("mailbox", mailbox);
    m.put("scopes", c.token().scopes().stream().map(Scope::label).sorted().toList());
    m.put("expires", c.token().expires().toString());
    m.put("token", c.bearer());
    return HttpResponse.<Map<String, Object>>status(HttpStatus.CREATED).body(m);
  }

  private static String rawField(String body, String name) {
    JsonNode v = json(body).get(name);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw ApiException.badRequest("MISSING_FIELD", "'" + name + "' is required");
    }
    return v.asText().strip();
  }

  private static X500Principal dn(String value) {
    try {
      return new X500Principal(value.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_DN", "not a distinguished name: '" + value + "'");
    }
  }

  private static JsonNode json(String body) {
    try {
      JsonNode n = JSON.readTree(body == null ? "" : body);
      if (n == null || !n.isObject()) {
        throw ApiException.badRequest("INVALID_JSON", "the body must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw ApiException.badRequest("INVALID_JSON", "the body is not JSON");
    }
  }

  private static String field(String body, String name) {
    JsonNode v = json(body).get(name);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw ApiException.badRequest("MISSING_FIELD", "'" + name + "' is required");
    }
    return v.asText().strip().toLowerCase(Locale.ROOT);
  }

  private static String domain(String value) {
    if (!value.matches(DOMAIN)) {
      throw ApiException.badRequest("INVALID_DOMAIN", "not a mail domain: '" + value + "'");
    }
    return value;
  }

  private static String address(String value) {
    try {
      return Party.of(value).address();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_ADDRESS", "not a mail address: '" + value + "'");
    }
  }

  private static String password(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
