package org.pont.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.directory.CertificateLookup;
import org.pont.gateway.directory.DirectoryEntry;
import org.pont.gateway.directory.DirectoryImport;
import org.pont.gateway.directory.DirectoryIndex;
import org.pont.gateway.directory.DirectoryPage;
import org.pont.gateway.directory.DirectoryQuery;
import org.pont.gateway.directory.ExtractionCorrespondanceReader;
import org.pont.gateway.directory.FhirDirectoryReader;
import org.pont.gateway.directory.Mailbox;
import org.pont.gateway.security.ApiAuthenticator;
import org.pont.gateway.security.Scope;

/**
 * The directory (annuaire) over REST: search (any token with send, read or admin scope),
 * encryption certificates of a published address, and imports (admin). Liste-rouge entries and
 * mailboxes are never returned, and their certificates are not served: to a caller they do not
 * exist (ADR 0007). The index is the one {@code pont directory import --data DIR} writes; each
 * request sees the imports committed before it.
 */
@Controller("/api/v1/directory")
@ExecuteOn(TaskExecutors.BLOCKING)
class DirectoryController {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EnumSet<Scope> USERS = EnumSet.of(Scope.SEND, Scope.READ, Scope.ADMIN);

  private final ApiAuthenticator auth;
  private final DirectoryIndex index;

  DirectoryController(ApiAuthenticator auth, DirectoryIndex index) {
    this.auth = auth;
    this.index = index;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  Map<String, Object> search(HttpRequest<?> request, @Nullable @QueryValue String q, @Nullable @QueryValue String profession,
      @Nullable @QueryValue String city, @Nullable @QueryValue String mailbox, @Nullable @QueryValue String type,
      @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer pageSize) throws IOException {
    auth.requireAny(request, USERS);
    int p = page == null ? 1 : page;
    int size = pageSize == null ? 20 : pageSize;
    if (p < 1 || size < 1 || size > DirectoryQuery.MAX_PAGE_SIZE) {
      throw ApiException.badRequest("INVALID_PAGE", "page starts at 1 and pageSize is 1.." + DirectoryQuery.MAX_PAGE_SIZE);
    }
    DirectoryQuery query = DirectoryQuery.text(q).withProfession(profession).withCity(city).withMailbox(mailbox)
        .withType(type(type)).page(p - 1, size);
    DirectoryPage result = index.search(query);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", result.total());
    out.put("page", p);
    out.put("pageSize", size);
    out.put("entries", result.entries().stream().map(DirectoryController::entry).toList());
    return out;
  }

  /**
   * The valid encryption certificates of a published mailbox, PEM. 404 when the address is not
   * published (unknown or liste rouge), or has no valid certificate.
   */
  @Get(uri = "/certificates/{address}", produces = "application/x-pem-file")
  HttpResponse<String> certificates(HttpRequest<?> request, @PathVariable String address) throws IOException {
    auth.requireAny(request, USERS);
    String a = address.strip().toLowerCase(Locale.ROOT);
    if (!a.contains("@") || index.search(DirectoryQuery.text("").withMailbox(a).page(0, 1)).total() == 0) {
      throw ApiException.notFound("UNKNOWN_ADDRESS", "the directory publishes no mailbox " + a);
    }
    CertificateLookup found = index.encryptionCertificates(a);
    if (found.isEmpty()) {
      throw ApiException.notFound("NO_VALID_CERTIFICATE", found.excluded().isEmpty()
          ? "the directory holds no encryption certificate for " + a
          : "no valid encryption certificate for " + a + ": " + found.excluded().get(0).reason());
    }
    return HttpResponse.ok(pem(found.valid())).contentType("application/x-pem-file");
  }

  /**
   * Imports a national extraction (pipe-delimited, {@code text/plain} or {@code text/csv}) or FHIR
   * R4 JSON ({@code application/json} or {@code application/fhir+json}); entries with the same
   * identifier are replaced. Lines or resources that cannot be read are listed in the answer.
   */
  @Post(uri = "/import", consumes = {MediaType.TEXT_PLAIN, "text/csv", MediaType.APPLICATION_JSON, "application/fhir+json"},
      produces = MediaType.APPLICATION_JSON)
  Map<String, Object> importEntries(HttpRequest<?> request, @Body byte[] body) throws IOException {
    auth.require(request, Scope.ADMIN);
    String contentType = request.getContentType().map(MediaType::getName).orElse("").toLowerCase(Locale.ROOT);
    DirectoryImport imported;
    if (contentType.endsWith("json")) {
      JsonNode root;
      try {
        root = JSON.readTree(body);
      } catch (IOException e) {
        throw ApiException.badRequest("INVALID_JSON", "the body is not JSON");
      }
      if (root == null || !root.isObject()) {
        throw ApiException.badRequest("INVALID_JSON", "the body must be a FHIR Bundle or resource");
      }
      imported = new FhirDirectoryReader().read(root);
    } else {
      imported = new ExtractionCorrespondanceReader().read(body);
    }
    if (imported.entries().isEmpty()) {
      throw ApiException.badRequest("NOTHING_TO_IMPORT", "no directory entry could be read"
          + (imported.skipped().isEmpty() ? "" : ": " + String.join("; ", imported.skipped())));
    }
    index.put(imported.entries());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("imported", imported.entries().size());
    out.put("mailboxes", imported.mailboxCount());
    out.put("skipped", imported.skipped());
    out.put("size", index.size());
    return out;
  }

  private static Mailbox.Type type(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Mailbox.Type.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_TYPE", "type is one of PER, ORG, APP, CAB, not '" + value + "'");
    }
  }

  private static Map<String, Object> entry(DirectoryEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> id = new LinkedHashMap<>();
    id.put("kind", e.id().kind().name());
    id.put("value", e.id().value());
    m.put("id", id);
    m.put("kind", e.kind().name());
    m.put("displayName", e.displayName());
    m.put("familyName", e.familyName());
    m.put("givenName", e.givenName());
    m.put("organisation", e.organisation());
    m.put("profession", e.profession());
    m.put("specialty", e.specialty());
    m.put("address", e.address());
    m.put("postcode", e.postcode());
    m.put("city", e.city());
    List<Map<String, Object>> boxes = new ArrayList<>();
    for (Mailbox b : e.mailboxes()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("address", b.address());
      x.put("type", b.type().name());
      x.put("description", b.description());
      x.put("service", b.service());
      x.put("encryptionCertificates", b.encryptionCertificates().size());
      boxes.add(x);
    }
    m.put("mailboxes", boxes);
    return m;
  }

  private static String pem(List<X509Certificate> certificates) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (org.bouncycastle.openssl.jcajce.JcaPEMWriter w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
      for (X509Certificate c : certificates) {
        w.writeObject(c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a certificate the directory just parsed", e);
    }
    return out.toString();
  }

  /** The gateway's handle on the directory index: read-only except for REST imports. */
  @Factory
  static final class Beans {
    @Singleton
    @Bean(preDestroy = "close")
    DirectoryIndex directoryIndex(GatewaySettings settings) {
      try {
        return DirectoryIndex.open(settings.directoryDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the directory index in " + settings.directoryDir(), e);
      }
    }
  }
}
