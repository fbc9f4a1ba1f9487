package org.pont.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-maintained openapi.yaml lists exactly the routes the controllers declare. */
class OpenApiDocumentTest {

  static final List<Class<?>> CONTROLLERS = List.of(MessagesController.class, MailboxesController.class,
      AdminController.class, OpenApiController.class, DirectoryController.class, WebhooksController.class);

  @Test
  void theDocumentListsExactlyTheControllersRoutes() throws Exception {
    assertThat(documented()).isEqualTo(declared());
  }

  static Set<String> declared() {
    Set<String> routes = new TreeSet<>();
    for (Class<?> c : CONTROLLERS) {
      String base = c.getAnnotation(Controller.class).value();
      for (Method m : c.getDeclaredMethods()) {
        String uri = null;
        String verb = null;
        if (m.isAnnotationPresent(Get.class)) { verb = "get"; uri = m.getAnnotation(Get.class).uri(); }
        if (m.isAnnotationPresent(Post.class)) { verb = "post"; uri = m.getAnnotation(Post.class).uri(); }
        if (m.isAnnotationPresent(Put.class)) { verb = "put"; uri = m.getAnnotation(Put.class).uri(); }
        if (m.isAnnotationPresent(Delete.class)) { verb = "delete"; uri = m.getAnnotation(Delete.class).uri(); }
        if (verb != null) {
          String path = (base + ("/".equals(uri) ? "" : uri)).replaceAll("/+$", "");
          routes.add(verb.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    return routes;
  }

  static Set<String> documented() throws Exception {
    String yaml;
    try (InputStream in = OpenApiController.class.getResourceAsStream(OpenApiController.RESOURCE)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Set<String> routes = new TreeSet<>();
    String paths = yaml.substring(yaml.indexOf("\npaths:"), yaml.indexOf("\ncomponents:"));
    String current = null;
    Matcher line = Pattern.compile("(?m)^(  /\\S+):$|^    (get|post|put|delete):").matcher(paths);
    while (line.find()) {
      if (line.group(1) != null) {
        current = line.group(1).strip();
      } else {
        routes.add(line.group(2).toUpperCase(Locale.ROOT) + " " + current);
      }
    }
    return routes;
  }
}
