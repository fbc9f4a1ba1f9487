package org.pont.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.InvalidInsException;
import org.pont.message.Party;
import org.pont.message.Patient;
import org.pont.message.Sex;

/**
 * The {@code metadata} part of {@code POST /api/v1/messages}, checked field by field: each
 * problem is an {@link ApiException} with a reason a program can act on.
 */
record SubmissionRequest(
    Party sender,
    List<Party> recipients,
    Patient patient,
    DocumentType documentType,
    String title,
    String subject,
    String body,
    Optional<String> idempotencyKey) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static SubmissionRequest parse(String metadata) {
    if (metadata == null || metadata.isBlank()) {
      throw ApiException.badRequest("MISSING_METADATA", "the multipart body needs a JSON part named 'metadata'");
    }
    JsonNode m;
    try {
      m = JSON.readTree(metadata);
    } catch (IOException e) {
      throw ApiException.badRequest("INVALID_METADATA", "the 'metadata' part is not JSON");
    }
    if (m == null || !m.isObject()) {
      throw ApiException.badRequest("INVALID_METADATA", "the 'metadata' part must be a JSON object");
    }
    Party sender = party(text(m, "sender"), "INVALID_SENDER", "sender");
    JsonNode rs = m.get("recipients");
    if (rs == null || !rs.isArray() || rs.isEmpty()) {
      throw ApiException.badRequest("INVALID_RECIPIENT", "'recipients' must be a non-empty array of mail addresses");
    }
    List<Party> recipients = new ArrayList<>();
    for (JsonNode r : rs) {
      recipients.add(party(r.isTextual() ? r.asText() : r.toString(), "INVALID_RECIPIENT", "recipient"));
    }
    JsonNode p = m.get("patient");
    if (p == null || !p.isObject()) {
      throw ApiException.badRequest("INVALID_PATIENT", "'patient' must be an object with ins, oid, familyName, givenNames, birthDate, sex");
    }
    Ins ins;
    try {
      ins = Ins.parse(text(p, "ins"), Optional.ofNullable(p.get("oid")).map(JsonNode::asText).orElse(""));
    } catch (InvalidInsException e) {
      throw ApiException.badRequest("INVALID_INS", e.getMessage() + " (" + e.reason() + ")");
    }
    List<String> given = new ArrayList<>();
    JsonNode g = p.get("givenNames");
    if (g != null && g.isArray()) {
      g.forEach(n -> given.add(n.asText()));
    } else if (g != null && g.isTextual()) {
      given.add(g.asText());
    }
    LocalDate birth;
    try {
      birth = LocalDate.parse(text(p, "birthDate"));
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_PATIENT", "patient.birthDate must be an ISO date (YYYY-MM-DD)");
    }
    String sexCode = Optional.ofNullable(p.get("sex")).map(JsonNode::asText).orElse("U");
    if (!sexCode.matches("(?i)[FMU]")) {
      throw ApiException.badRequest("INVALID_PATIENT", "patient.sex is F, M or U, not '" + sexCode + "'");
    }
    Patient patient;
    try {
      patient = new Patient(ins, text(p, "familyName"), given, birth, Sex.fromCode(sexCode));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiException.badRequest("INVALID_PATIENT", "patient: " + e.getMessage());
    }
    String code = text(m, "documentType");
    DocumentType type = DocumentType.byCode(code).orElseThrow(() -> ApiException.badRequest("UNKNOWN_DOCUMENT_TYPE",
        "unknown document type '" + code + "'; known: " + DocumentType.KNOWN.stream().map(DocumentType::code).toList()));
    String title = optional(m, "title").orElse(type.label());
    return new SubmissionRequest(sender, List.copyOf(recipients), patient, type, title,
        optional(m, "subject").orElse(title), optional(m, "body").orElse(""), optional(m, "idempotencyKey"));
  }

  private static Party party(String address, String reason, String what) {
    try {
      return Party.of(address.strip().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(reason, what + " is not a mail address: '" + address + "'");
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      String reason = switch (field) {
        case "sender" -> "INVALID_SENDER";
        case "ins" -> "INVALID_INS";
        case "documentType" -> "UNKNOWN_DOCUMENT_TYPE";
        default -> "INVALID_PATIENT";
      };
      throw ApiException.badRequest(reason, "'" + field + "' is required");
    }
    return v.asText();
  }

  private static Optional<String> optional(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? Optional.empty() : Optional.of(v.asText());
  }
}
