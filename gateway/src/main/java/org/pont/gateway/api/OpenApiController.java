package org.pont.gateway.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the hand-maintained OpenAPI document (checked against the routes by a test). */
@Controller("/api/v1")
class OpenApiController {

  static final String RESOURCE = "/org/pont/gateway/api/openapi.yaml";

  private final byte[] document;

  OpenApiController() {
    try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the build");
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Get(uri = "/openapi.yaml")
  HttpResponse<byte[]> openapi() {
    return HttpResponse.ok(document).contentType("application/yaml");
  }
}
