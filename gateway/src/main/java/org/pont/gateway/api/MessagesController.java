package org.pont.gateway.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.http.multipart.CompletedPart;
import io.micronaut.http.server.multipart.MultipartBody;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pont.gateway.security.ApiAuthenticator;
import org.pont.gateway.security.ApiToken;
import org.pont.gateway.security.Scope;
import org.pont.gateway.status.MessageStatusStore;
import reactor.core.publisher.Flux;

/** Submitting messages and following them. */
@Controller("/api/v1/messages")
@ExecuteOn(TaskExecutors.BLOCKING)
class MessagesController {

  private static final List<String> PARTS = List.of("metadata", "pdf", "cda");

  private final ApiAuthenticator auth;
  private final MessageSubmission submission;
  private final MessageStatusStore statuses;

  MessagesController(ApiAuthenticator auth, MessageSubmission submission, MessageStatusStore statuses) {
    this.auth = auth;
    this.submission = submission;
    this.statuses = statuses;
  }

  /**
   * Takes the parts as they come (a JSON {@code metadata} field or uploaded file, {@code pdf},
   * {@code cda}); any other part is refused, so a misspelt name is not silently ignored.
   */
  @Post(consumes = MediaType.MULTIPART_FORM_DATA, produces = MediaType.APPLICATION_JSON)
  HttpResponse<Map<String, Object>> submit(HttpRequest<?> request, @Body MultipartBody multipart) {
    ApiToken token = auth.require(request, Scope.SEND);
    Map<String, MessageSubmission.Upload> parts = new LinkedHashMap<>();
    List<CompletedPart> received = Flux.from(multipart).collectList().block(Duration.ofMinutes(10));
    for (CompletedPart part : received == null ? List.<CompletedPart>of() : received) {
      String name = part.getName();
      if (!PARTS.contains(name)) {
        throw ApiException.badRequest("UNKNOWN_PART", "unknown part '" + name + "'; expected " + PARTS);
      }
      if (parts.containsKey(name)) {
        throw ApiException.badRequest("DUPLICATE_PART", "part '" + name + "' was sent twice");
      }
      try {
        String fileName = part instanceof CompletedFileUpload f ? f.getFilename() : null;
        parts.put(name, new MessageSubmission.Upload(fileName, part.getBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String metadata = Optional.ofNullable(parts.get("metadata"))
        .map(u -> new String(u.content(), StandardCharsets.UTF_8)).orElse("");
    MessageSubmission.Accepted a = submission.submit(token, metadata,
        Optional.ofNullable(parts.get("pdf")), Optional.ofNullable(parts.get("cda")));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", a.id());
    body.put("messageId", a.messageId());
    body.put("status", "accepted");
    return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED).body(body);
  }

  @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
  Map<String, Object> status(HttpRequest<?> request, @PathVariable String id) {
    ApiToken token = auth.require(request, Scope.READ);
    MessageStatusStore.MessageStatus s = statuses.find(id)
        .filter(m -> token.has(Scope.ADMIN) || m.tokenId().equals(token.id()) || token.owns(m.sender()))
        .orElseThrow(() -> ApiException.notFound("UNKNOWN_MESSAGE", "no message " + id + " submitted with this token"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", s.id());
    body.put("messageId", s.messageId());
    body.put("sender", s.sender());
    body.put("submitted", s.submitted().toString());
    body.put("status", overall(s));
    Map<String, Object> rs = new LinkedHashMap<>();
    s.recipients().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("status", e.getValue().state().label());
      e.getValue().reason().ifPresent(v -> r.put("reason", v));
      r.put("updated", e.getValue().updated().toString());
      List<Map<String, Object>> timeline = new java.util.ArrayList<>();
      for (MessageStatusStore.Event ev : e.getValue().timeline()) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("status", ev.state().label());
        t.put("at", ev.at().toString());
        ev.reason().ifPresent(v -> t.put("reason", v));
        t.put("source", ev.source().label());
        ev.integrationCode().ifPresent(v -> t.put("integrationCode", v));
        t.put("late", ev.late());
        t.put("changed", ev.changed());
        timeline.add(t);
      }
      r.put("timeline", timeline);
      rs.put(e.getKey(), r);
    });
    body.put("recipients", rs);
    return body;
  }

  /**
   * The least advanced state over the recipients; {@code failed} as soon as one failed, else
   * {@code timed-out} as soon as one timed out.
   */
  private static String overall(MessageStatusStore.MessageStatus s) {
    MessageStatusStore.State worst = MessageStatusStore.State.INTEGRATED;
    boolean timedOut = false;
    for (MessageStatusStore.RecipientStatus r : s.recipients().values()) {
      if (r.state() == MessageStatusStore.State.FAILED) {
        return MessageStatusStore.State.FAILED.label();
      }
      if (r.state() == MessageStatusStore.State.TIMED_OUT) {
        timedOut = true;
      } else if (r.state().rank() < worst.rank()) {
        worst = r.state();
      }
    }
    return timedOut ? MessageStatusStore.State.TIMED_OUT.label() : worst.label();
  }

}
