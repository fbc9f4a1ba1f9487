package org.pont.gateway.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.james.JamesLifecycle;
import org.pont.gateway.james.MailboxAccessProbe;
import org.pont.gateway.security.ApiAuthenticator;
import org.pont.gateway.security.ApiToken;
import org.pont.gateway.security.Scope;
import org.pont.message.ClinicalDocument;
import org.pont.message.Patient;
import org.pont.mssante.MssanteException;
import org.pont.mssante.MssanteMessageReader;
import org.pont.mssante.ReceivedMessage;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SecureMessaging;
import org.pont.smime.TrustAnchors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading the INBOX of applicative mailboxes through James's mailbox API in-process. A token
 * reads its own mailbox; an admin token reads any, but sees the patient masked (administration
 * is not care).
 */
@Controller("/api/v1/mailboxes/{address}/messages")
@ExecuteOn(TaskExecutors.BLOCKING)
class MailboxesController {

  private static final Logger LOG = LoggerFactory.getLogger(MailboxesController.class);
  private static final int MAX_PARTS_DEPTH = 8;

  private final ApiAuthenticator auth;
  private final JamesLifecycle james;
  private final GatewaySettings settings;
  private final Session session = Session.getInstance(new Properties());

  MailboxesController(ApiAuthenticator auth, JamesLifecycle james, GatewaySettings settings) {
    this.auth = auth;
    this.james = james;
    this.settings = settings;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  Map<String, Object> list(HttpRequest<?> request, @PathVariable String address) throws Exception {
    ApiToken token = auth.require(request, Scope.READ, address);
    String mailbox = address.strip().toLowerCase(Locale.ROOT);
    boolean showPatient = token.mailbox().equals(mailbox); // subjects name the patient
    List<Map<String, Object>> out = new ArrayList<>();
    for (MailboxAccessProbe.StoredMessage m : james.james().mailboxAccess().inbox(mailbox)) {
      MimeMessage headers = new MimeMessage(session, new ByteArrayInputStream(m.raw()));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("uid", m.uid());
      row.put("from", headers.getFrom() == null ? "" : Arrays.stream(headers.getFrom()).map(a -> a instanceof InternetAddress ia ? ia.getAddress() : a.toString()).findFirst().orElse(""));
      row.put("subject", showPatient ? Optional.ofNullable(headers.getSubject()).orElse("") : "(masked)");
      row.put("date", m.internalDate().toInstant().toString());
      row.put("size", m.size());
      row.put("flags", m.flags());
      out.add(row);
    }
    return Map.of("mailbox", mailbox, "messages", out);
  }

  @Get(uri = "/{uid}", produces = MediaType.APPLICATION_JSON)
  Map<String, Object> read(HttpRequest<?> request, @PathVariable String address, @PathVariable long uid) throws Exception {
    ApiToken token = auth.require(request, Scope.READ, address);
    String mailbox = address.strip().toLowerCase(Locale.ROOT);
    MailboxAccessProbe.StoredMessage stored = stored(mailbox, uid);
    MimeMessage wire = new MimeMessage(session, new ByteArrayInputStream(stored.raw()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("uid", uid);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (jakarta.mail.Header h : java.util.Collections.list(wire.getAllHeaders())) {
      headers.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
    }
    body.put("headers", headers);
    OpenedMessage opened = open(wire);
    Map<String, Object> signature = new LinkedHashMap<>();
    java.util.Optional<org.pont.gateway.mailet.SignatureHeader> gatewayVerdict = org.pont.gateway.mailet.SignatureHeader
        .parse(wire.getHeader(org.pont.gateway.mailet.PontHeaders.SIGNATURE, null));
    if (!opened.signature().isSigned() && gatewayVerdict.isPresent()) {
      // Delivered opened by the policy pipeline: the verdict is the one this gateway wrote when it
      // verified the S/MIME on arrival (senders' own X-Pont-* headers are stripped before that).
      org.pont.gateway.mailet.SignatureHeader v = gatewayVerdict.get();
      signature.put("signed", v.signed());
      signature.put("valid", v.verdict() == org.pont.gateway.mailet.SignatureHeader.Verdict.VALID);
      signature.put("reason", v.verdict().name());
      v.signer().ifPresent(s -> signature.put("signer", s));
      signature.put("verifiedBy", "gateway");
    } else {
      signature.put("signed", opened.signature().isSigned());
      signature.put("valid", opened.signature().isValid());
      signature.put("reason", opened.signature().reason().name());
      opened.signature().signerAddress().ifPresent(a -> signature.put("signer", a));
      signature.put("verifiedBy", "api");
    }
    body.put("signature", signature);
    boolean showPatient = token.mailbox().equals(mailbox); // the mailbox's own token, not an administrator's
    try {
      ReceivedMessage r = MssanteMessageReader.withDefaults().read(opened.content());
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("from", r.message().sender().address());
      cm.put("to", r.message().recipients().stream().map(p -> p.address()).toList());
      cm.put("subject", showPatient ? r.displaySubject() : "(masked)");
      cm.put("body", r.message().body());
      r.message().patient().ifPresent(p -> cm.put("patient", patient(p, showPatient)));
      List<Map<String, Object>> docs = new ArrayList<>();
      for (ClinicalDocument d : r.message().documents()) {
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("type", d.type().code());
        dm.put("label", d.type().label());
        dm.put("title", d.title());
        dm.put("mediaType", d.mediaType());
        dm.put("fileName", d.fileName());
        dm.put("size", d.size());
        docs.add(dm);
      }
      cm.put("documents", docs);
      cm.put("xdm", r.xdm().isPresent());
      cm.put("warnings", r.warnings());
      body.put("coordinationMessage", cm);
    } catch (MssanteException e) {
      body.put("coordinationMessage", null);
      body.put("readError", Map.of("error", e.reason().name(), "message", e.getMessage()));
    }
    List<Map<String, Object>> attachments = new ArrayList<>();
    List<Part> parts = attachments(opened.content());
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      attachments.add(Map.of("n", i, "fileName", Optional.ofNullable(p.getFileName()).orElse(""),
          "contentType", baseType(p.getContentType())));
    }
    body.put("attachments", attachments);
    return body;
  }

  @Get(uri = "/{uid}/attachments/{n}")
  HttpResponse<byte[]> attachment(HttpRequest<?> request, @PathVariable String address, @PathVariable long uid,
      @PathVariable int n) throws Exception {
    auth.require(request, Scope.READ, address);
    MailboxAccessProbe.StoredMessage stored = stored(address.strip().toLowerCase(Locale.ROOT), uid);
    OpenedMessage opened = open(new MimeMessage(session, new ByteArrayInputStream(stored.raw())));
    List<Part> parts = attachments(opened.content());
    if (n < 0 || n >= parts.size()) {
      throw ApiException.notFound("UNKNOWN_ATTACHMENT", "message " + uid + " has " + parts.size() + " attachment(s); numbering starts at 0");
    }
    Part p = parts.get(n);
    byte[] bytes;
    try (InputStream in = p.getInputStream()) {
      bytes = in.readAllBytes();
    }
    String name = Optional.ofNullable(p.getFileName()).orElse("attachment-" + n).replaceAll("[^A-Za-z0-9._-]", "_");
    return HttpResponse.ok(bytes).contentType(baseType(p.getContentType()))
        .header("Content-Disposition", "attachment; filename=\"" + name + "\"");
  }

  /** The message exactly as stored (RFC 5322), e.g. to verify its signature with other tools. */
  @Get(uri = "/{uid}/raw")
  HttpResponse<byte[]> raw(HttpRequest<?> request, @PathVariable String address, @PathVariable long uid) throws Exception {
    auth.require(request, Scope.READ, address);
    MailboxAccessProbe.StoredMessage stored = stored(address.strip().toLowerCase(Locale.ROOT), uid);
    return HttpResponse.ok(stored.raw()).contentType("message/rfc822");
  }

  private MailboxAccessProbe.StoredMessage stored(String mailbox, long uid) throws Exception {
    return james.james().mailboxAccess().message(mailbox, uid)
        .orElseThrow(() -> ApiException.notFound("UNKNOWN_MESSAGE", "no message " + uid + " in the INBOX of " + mailbox));
  }

  private OpenedMessage open(MimeMessage wire) throws Exception {
    SecureMessaging sm = SecureMessaging.builder().trust(TrustAnchors.fromDirectory(settings.pkiDir())).build();
    try {
      return sm.open(wire);
    } catch (Exception e) {
      LOG.warn("could not open a stored message: {}", e.toString());
      throw new ApiException(io.micronaut.http.HttpStatus.UNPROCESSABLE_ENTITY, "UNREADABLE_MESSAGE",
          "the stored message cannot be opened: " + e.getMessage());
    }
  }

  private static Map<String, Object> patient(Patient p, boolean show) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (show) {
      m.put("ins", p.ins().value());
      m.put("oid", p.ins().kind().oid());
      m.put("familyName", p.familyName());
      m.put("givenNames", p.givenNames());
      m.put("birthDate", p.birthDate().toString());
      m.put("sex", p.sex().code());
    } else {
      m.put("ins", "*************" + p.ins().key());
      m.put("masked", true);
    }
    return m;
  }

  /** The leaf parts with a file name, in document order. */
  private static List<Part> attachments(Part root) throws Exception {
    List<Part> out = new ArrayList<>();
    collect(root, out, 0);
    return out;
  }

  private static void collect(Part part, List<Part> out, int depth) throws Exception {
    if (depth > MAX_PARTS_DEPTH) {
      return;
    }
    if (part.isMimeType("multipart/*")) {
      Object content = part.getContent();
      if (content instanceof Multipart mp) {
        for (int i = 0; i < mp.getCount(); i++) {
          BodyPart bp = mp.getBodyPart(i);
          collect(bp, out, depth + 1);
        }
      }
    } else if (part.getFileName() != null) {
      out.add(part);
    }
  }

  private static String baseType(String contentType) {
    if (contentType == null) {
      return "application/octet-stream";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }
}
