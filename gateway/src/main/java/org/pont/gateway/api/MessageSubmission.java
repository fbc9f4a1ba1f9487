package org.pont.gateway.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.pont.cda.Author;
import org.pont.cda.CdaCode;
import org.pont.cda.CdaException;
import org.pont.cda.CdaHeader;
import org.pont.cda.CdaReader;
import org.pont.cda.InstanceId;
import org.pont.cda.Level1Document;
import org.pont.cda.Organization;
import org.pont.cda.PersonName;
import org.pont.gateway.config.GatewaySettings;
import org.pont.gateway.james.JamesLifecycle;
import org.pont.gateway.security.ApiToken;
import org.pont.gateway.status.MessageStatusStore;
import org.pont.gateway.webhook.TrackingSettings;
import org.pont.tracking.ReceiptRequests;
import org.pont.message.ClinicalDocument;
import org.pont.message.CoordinationMessage;
import org.pont.mssante.MssanteException;
import org.pont.mssante.MssanteMessageWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an API submission into an MSSanté message on James's spool: the CDA as given (or a
 * level-1 CDA wrapping the PDF), packed by {@link MssanteMessageWriter}, recorded in the {@link
 * MessageStatusStore}, then enqueued so it runs through the whole mailet pipeline. It is handed
 * over unsigned on purpose: the outbound policy ({@code SecureOutbound}) signs it as the
 * organisation <em>and encrypts it</em> for remote recipients, as it does SMTP-submitted mail. A
 * message signed here would look end-to-end to that policy and leave encrypted for no one.
 */
@Singleton
public class MessageSubmission {

  private static final Logger LOG = LoggerFactory.getLogger(MessageSubmission.class);

  /** What the API answers for an accepted submission. */
  public record Accepted(String id, String messageId, boolean replayed) {}

  /** An uploaded file. */
  record Upload(String fileName, byte[] content) {}

  private final ApiSettings api;
  private final JamesLifecycle james;
  private final MessageStatusStore statuses;
  private final IdempotencyStore idempotency;
  private final MeterRegistry meters;
  private final TrackingSettings tracking;

  public MessageSubmission(GatewaySettings settings, ApiSettings api, JamesLifecycle james, MessageStatusStore statuses,
      MeterRegistry meters, TrackingSettings tracking) {
    this.meters = meters;
    this.tracking = tracking;
    this.api = api;
    this.james = james;
    this.statuses = statuses;
    this.idempotency = new IdempotencyStore(settings.dataDir());
  }

  Accepted submit(ApiToken token, String metadata, Optional<Upload> pdf, Optional<Upload> cda) {
    long size = metadata.length() + pdf.map(u -> (long) u.content().length).orElse(0L)
        + cda.map(u -> (long) u.content().length).orElse(0L);
    if (size > api.maxMessageBytes()) {
      throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "OVERSIZE",
          "the submission is " + size + " bytes; this gateway accepts up to " + api.maxMessageBytes());
    }
    SubmissionRequest req = SubmissionRequest.parse(metadata);
    Receipts receipts = Receipts.parse(metadata, tracking.requestReceipts());
    if (!token.owns(req.sender().address())) {
      throw new ApiException(HttpStatus.FORBIDDEN, "FORBIDDEN_MAILBOX",
          "this token does not act for " + req.sender().address());
    }
    if (pdf.isEmpty() && cda.isEmpty()) {
      throw ApiException.badRequest("MISSING_DOCUMENT", "attach a 'pdf' part, a 'cda' part, or both");
    }
    String digest = digest(metadata, pdf, cda);
    if (req.idempotencyKey().isEmpty()) {
      return doSubmit(token, req, receipts, pdf, cda, Optional.empty(), built -> { });
    }
    String key = req.idempotencyKey().get();
    synchronized (idempotency.lock(token.id(), key)) {
      Optional<IdempotencyStore.Entry> earlier = idempotency.find(token.id(), key);
      if (earlier.isPresent()) {
        IdempotencyStore.Entry e = earlier.get();
        if (!e.digest().equals(digest)) {
          throw new ApiException(HttpStatus.CONFLICT, "IDEMPOTENCY_CONFLICT",
              "idempotency key '" + key + "' was already used for a different submission (message " + e.id() + ")");
        }
        if (e.queued() || e.messageId().isEmpty()) {
          MessageStatusStore.MessageStatus s = statuses.find(e.id()).orElseThrow();
          return new Accepted(s.id(), s.messageId(), true);
        }
        // Written ahead but never marked queued: the gateway stopped (or James refused) while
        // handing it over, so James may or may not hold it. Hand it over again, same id and
        // Message-ID: one message, or two copies the recipient's software sees as one.
        LOG.info("message {} resumed: its submission under an idempotency key was not known to be queued", e.id());
        Accepted again = doSubmit(token, req, receipts, pdf, cda, Optional.of(new Resume(e.id(), e.messageId().get())), built -> { });
        idempotency.record(token.id(), key, e.asQueued());
        return new Accepted(again.id(), again.messageId(), true);
      }
      Accepted accepted = doSubmit(token, req, receipts, pdf, cda, Optional.empty(),
          built -> idempotency.record(token.id(), key, IdempotencyStore.Entry.pending(built.id(), digest, built.messageId())));
      idempotency.record(token.id(), key, IdempotencyStore.Entry.pending(accepted.id(), digest, accepted.messageId()).asQueued());
      return accepted;
    }
  }

  /** The id and Message-ID a resumed submission keeps. */
  private record Resume(String id, String messageId) {}

  /**
   * What the submitter wants to hear back (ADR 0006): metadata {@code "readReceipt"} asks the
   * recipients' software for an MDN (Disposition-Notification-To, the sender's mailbox) and
   * {@code "dsn"} asks relaying servers for DSNs (NOTIFY=SUCCESS,FAILURE,DELAY, RET=HDRS); both
   * default to {@code pont.tracking.request-receipts}.
   */
  record Receipts(boolean readReceipt, boolean dsn) {
    static Receipts parse(String metadata, boolean byDefault) {
      com.fasterxml.jackson.databind.JsonNode m;
      try {
        m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(metadata);
      } catch (IOException e) {
        throw ApiException.badRequest("INVALID_METADATA", "the 'metadata' part is not JSON");
      }
      return new Receipts(flag(m, "readReceipt", byDefault), flag(m, "dsn", byDefault));
    }

    private static boolean flag(com.fasterxml.jackson.databind.JsonNode m, String name, boolean byDefault) {
      com.fasterxml.jackson.databind.JsonNode v = m.get(name);
      if (v == null || v.isNull()) {
        return byDefault;
      }
      if (!v.isBoolean()) {
        throw ApiException.badRequest("INVALID_METADATA", "'" + name + "' is true or false");
      }
      return v.asBoolean();
    }
  }

  /**
   * Builds the message and hands it to James. {@code beforeQueue} runs once the id and Message-ID
   * exist and before James has the message (the idempotency write-ahead).
   */
  private Accepted doSubmit(ApiToken token, SubmissionRequest req, Receipts receipts, Optional<Upload> pdf, Optional<Upload> cda,
      Optional<Resume> resume, java.util.function.Consumer<Accepted> beforeQueue) {
    List<ClinicalDocument> documents = new ArrayList<>();
    if (cda.isPresent()) {
      try {
        new CdaReader().read(cda.get().content());
      } catch (CdaException e) {
        throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "INVALID_CDA", e.getMessage() + " (" + e.reason() + ")");
      }
      documents.add(new ClinicalDocument(req.documentType(), req.title(), ClinicalDocument.CDA_MEDIA_TYPE,
          fileName(cda.get(), "document.xml"), cda.get().content()));
      pdf.ifPresent(p -> documents.add(new ClinicalDocument(req.documentType(), req.title(),
          ClinicalDocument.PDF_MEDIA_TYPE, fileName(p, "document.pdf"), p.content())));
    } else {
      byte[] xml;
      try {
        xml = Level1Document.pdf(header(req), pdf.orElseThrow().content()).toXml();
      } catch (CdaException e) {
        throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "INVALID_PDF", e.getMessage());
      }
      documents.add(new ClinicalDocument(req.documentType(), req.title(), ClinicalDocument.CDA_MEDIA_TYPE,
          "document.xml", xml));
    }
    CoordinationMessage.Builder b = CoordinationMessage.builder().from(req.sender()).subject(req.subject())
        .body(req.body()).patient(req.patient());
    req.recipients().forEach(b::to);
    documents.forEach(b::document);
    CoordinationMessage message = b.build();

    Session session = session(req.sender().address());
    byte[] raw;
    String messageId;
    try {
      MimeMessage mime = MssanteMessageWriter.of(api.softwareId(), api.sourceOid())
          .write(message, session);
      if (receipts.readReceipt()) {
        // SecureOutbound signs and encrypts it and keeps the header on the outer message, which
        // receiving software reads before it opens anything.
        ReceiptRequests.requestMdn(mime, new InternetAddress(req.sender().address()));
      }
      mime.saveChanges();
      if (resume.isPresent()) {
        // After saveChanges, so writeTo keeps it (it only saves an unsaved message).
        mime.setHeader("Message-ID", resume.get().messageId());
      }
      // saveChanges set the Message-ID; reading it here spares a full re-parse of the written bytes.
      messageId = mime.getMessageID();
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      mime.writeTo(out);
      raw = out.toByteArray();
    } catch (MssanteException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, e.reason().name(), e.getMessage());
    } catch (ApiException e) {
      throw e;
    } catch (Exception e) {
      LOG.error("message assembly failed: {}", e.toString());
      throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "ASSEMBLY_FAILED", "the gateway could not assemble or sign the message");
    }
    String id = resume.map(Resume::id).orElseGet(() -> UUID.randomUUID().toString());
    List<String> recipients = req.recipients().stream().map(p -> p.address()).toList();
    if (resume.isEmpty() || statuses.find(id).isEmpty()) {
      statuses.create(id, messageId == null ? "" : messageId, token.id(), req.sender().address(), recipients);
    }
    beforeQueue.accept(new Accepted(id, messageId, false));
    try {
      james.james().mailboxAccess().submit(id, req.sender().address(), recipients, raw, receipts.dsn());
    } catch (Exception e) {
      recipients.forEach(r -> statuses.update(id, r, MessageStatusStore.State.FAILED, Optional.of("not queued: " + e.getMessage())));
      LOG.error("message {} could not be queued: {}", id, e.toString());
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NOT_QUEUED", "the mail server did not take the message; try again");
    }
    meters.counter("pont.api.messages.accepted").increment();
    meters.summary("pont.api.messages.size", "unit", "bytes").record(raw.length);
    LOG.info("message {} accepted from {} for {} recipient(s), {} bytes", id, req.sender().address(), recipients.size(), raw.length);
    return new Accepted(id, messageId, false);
  }

  /**
   * A mail session whose {@code mail.from} is the sender, so Message-IDs end with the sender's
   * address. Kept per sender: creating a Session reads the providers files of every jar on the
   * class path. Sessions hold no per-message state; the map is bounded by the number of mailboxes
   * this gateway's tokens act for, and emptied if it ever grows past {@link #MAX_SESSIONS}.
   */
  private Session session(String sender) {
    if (sessions.size() > MAX_SESSIONS) {
      sessions.clear();
    }
    return sessions.computeIfAbsent(sender, s -> {
      Properties mailProps = new Properties();
      mailProps.setProperty("mail.from", s);
      return Session.getInstance(mailProps);
    });
  }

  private static final int MAX_SESSIONS = 10_000;
  private final java.util.concurrent.ConcurrentHashMap<String, Session> sessions = new java.util.concurrent.ConcurrentHashMap<>();

  private CdaHeader header(SubmissionRequest req) {
    Organization custodian = Organization.finess(api.custodianFiness(), api.custodianName());
    Author author = Author.of(InstanceId.rpps(api.authorRpps()), PersonName.of(api.authorGiven(), api.authorFamily()),
        Author.specialty("G15_10/SM26", "Médecin - Qualifié en Médecine Générale (SM)"), custodian);
    return CdaHeader.builder(req.documentType()).title(req.title()).effectiveTime(OffsetDateTime.now())
        .patient(req.patient()).author(author).custodian(custodian)
        .healthcareFacilityType(CdaCode.FACILITY_PUBLIC_HOSPITAL).practiceSetting(CdaCode.PRACTICE_HOSPITAL).build();
  }

  private static String fileName(Upload u, String fallback) {
    String n = u.fileName() == null ? "" : u.fileName().replaceAll("[^A-Za-z0-9._-]", "_");
    return n.isBlank() ? fallback : n;
  }

  private static String digest(String metadata, Optional<Upload> pdf, Optional<Upload> cda) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(metadata.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      pdf.ifPresent(u -> d.update(u.content()));
      d.update((byte) 1);
      cda.ifPresent(u -> d.update(u.content()));
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
