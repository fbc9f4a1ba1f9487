package org.pont.gateway.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads FHIR R4 {@code Practitioner}, {@code PractitionerRole} and {@code Organization} JSON (a
 * Bundle, or a single resource) as served by the ANS "Annuaire Santé" FHIR API.
 *
 * <p>Mailboxes are {@code telecom} entries with {@code system = email}. Their metadata come from
 * the ANS extension {@value #MAILBOX_METADATA} (IG "Annuaire Santé", ansforge/IG-fhir-annuaire),
 * whose {@code type} sub-extension (typeBAL: ORG | APP | PER | CAB) we confirmed. The other
 * sub-extension names are <em>assumed</em>: {@code description} and {@code service} (valueString)
 * and {@code listeRouge} (valueBoolean). A resource-level liste rouge is read from any extension
 * whose URL ends in {@code liste-rouge} or {@code listeRouge} with a boolean value (assumption).
 * Encryption certificates are not part of the ANS FHIR API (they come from the IGC-Santé LDAP):
 * Pont reads them from its own telecom extension {@value #CERTIFICATE} (valueBase64Binary DER, or
 * valueString PEM).
 *
 * <p>Mailboxes on a PractitionerRole go to the practitioner it references, with the role's
 * profession, specialty and organisation (name, address) filled in.
 */
public final class FhirDirectoryReader {
  public static final String MAILBOX_METADATA =
      "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata";
  public static final String CERTIFICATE = "https://pont.example/fhir/StructureDefinition/mailbox-encryption-certificate";

  private final ObjectMapper mapper = new ObjectMapper();

  public DirectoryImport read(Path file) throws IOException {
    return read(mapper.readTree(Files.readAllBytes(file)));
  }

  public DirectoryImport read(JsonNode root) {
    List<JsonNode> resources = new ArrayList<>();
    if ("Bundle".equals(root.path("resourceType").asText())) {
      root.path("entry").forEach(e -> resources.add(e.path("resource")));
    } else {
      resources.add(root);
    }
    List<String> skipped = new ArrayList<>();
    Map<String, JsonNode> practitioners = new LinkedHashMap<>();
    Map<String, JsonNode> organisations = new LinkedHashMap<>();
    List<JsonNode> roles = new ArrayList<>();
    for (JsonNode r : resources) {
      String type = r.path("resourceType").asText();
      switch (type) {
        case "Practitioner" -> practitioners.put("Practitioner/" + r.path("id").asText(), r);
        case "Organization" -> organisations.put("Organization/" + r.path("id").asText(), r);
        case "PractitionerRole" -> roles.add(r);
        default -> skipped.add("resource " + type + "/" + r.path("id").asText() + ": not a directory resource");
      }
    }
    List<DirectoryEntry> entries = new ArrayList<>();
    Map<String, DirectoryEntry> byRef = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> o : organisations.entrySet()) {
      try {
        byRef.put(o.getKey(), organisation(o.getValue()));
      } catch (IllegalArgumentException e) {
        skipped.add(o.getKey() + ": " + e.getMessage());
      }
    }
    for (Map.Entry<String, JsonNode> p : practitioners.entrySet()) {
      try {
        byRef.put(p.getKey(), practitioner(p.getValue()));
      } catch (IllegalArgumentException e) {
        skipped.add(p.getKey() + ": " + e.getMessage());
      }
    }
    for (JsonNode role : roles) {
      String pRef = role.path("practitioner").path("reference").asText();
      DirectoryEntry p = byRef.get(pRef);
      if (p == null) {
        skipped.add("PractitionerRole/" + role.path("id").asText() + ": practitioner " + pRef + " not in the input");
        continue;
      }
      DirectoryEntry org = byRef.get(role.path("organization").path("reference").asText());
      try {
        List<Mailbox> boxes = mailboxes(role.path("telecom"));
        byRef.put(pRef, new DirectoryEntry(p.id(), p.kind(), p.familyName(), p.givenName(),
            org != null ? org.organisation() : p.organisation(),
            first(display(role.path("code")), p.profession()),
            first(display(role.path("specialty")), p.specialty()),
            org != null ? org.address() : p.address(), org != null ? org.postcode() : p.postcode(),
            org != null ? org.city() : p.city(),
            p.listeRouge() || listeRouge(role), p.mailboxes()).withMailboxes(boxes));
      } catch (IllegalArgumentException e) {
        skipped.add("PractitionerRole/" + role.path("id").asText() + ": " + e.getMessage());
      }
    }
    entries.addAll(byRef.values());
    return DirectoryImport.merged(entries, skipped);
  }

  private DirectoryEntry practitioner(JsonNode p) {
    JsonNode name = p.path("name").path(0);
    List<String> given = new ArrayList<>();
    name.path("given").forEach(g -> given.add(g.asText()));
    String profession = "";
    for (JsonNode q : p.path("qualification")) {
      profession = first(profession, display(q.path("code")));
    }
    return new DirectoryEntry(identifier(p), DirectoryEntry.Kind.PROFESSIONAL, name.path("family").asText(""),
        String.join(" ", given), "", profession, "", "", "", "", listeRouge(p), mailboxes(p.path("telecom")));
  }

  private DirectoryEntry organisation(JsonNode o) {
    JsonNode address = o.path("address").path(0);
    List<String> lines = new ArrayList<>();
    address.path("line").forEach(l -> lines.add(l.asText()));
    return new DirectoryEntry(identifier(o), DirectoryEntry.Kind.ORGANISATION, "", "", o.path("name").asText(""),
        "", "", String.join(", ", lines), address.path("postalCode").asText(""), address.path("city").asText(""),
        listeRouge(o), mailboxes(o.path("telecom")));
  }

  /** RPPS/ADELI/FINESS/SIRET from the identifier's type code or system; the first identifier otherwise. */
  private static Identifier identifier(JsonNode r) {
    Identifier fallback = null;
    for (JsonNode id : r.path("identifier")) {
      String value = id.path("value").asText("");
      if (value.isBlank()) {
        continue;
      }
      String system = id.path("system").asText("").toLowerCase(Locale.ROOT);
      String code = id.path("type").path("coding").path(0).path("code").asText("").toUpperCase(Locale.ROOT);
      Identifier.Kind kind = switch (code) {
        case "RPPS" -> Identifier.Kind.RPPS;
        case "ADELI" -> Identifier.Kind.ADELI;
        case "FINEG", "FINEJ", "FINESS" -> Identifier.Kind.FINESS;
        case "SIRET" -> Identifier.Kind.SIRET;
        case "SIREN" -> Identifier.Kind.SIREN;
        default -> system.contains("rpps") ? Identifier.Kind.RPPS
            : system.contains("adeli") ? Identifier.Kind.ADELI
            : system.contains("finess") ? Identifier.Kind.FINESS
            : system.contains("siret") ? Identifier.Kind.SIRET : Identifier.Kind.OTHER;
      };
      if (kind != Identifier.Kind.OTHER) {
        return new Identifier(kind, value);
      }
      if (fallback == null) {
        fallback = new Identifier(Identifier.Kind.OTHER, value);
      }
    }
    if (fallback == null) {
      String id = r.path("id").asText("");
      if (id.isBlank()) {
        throw new IllegalArgumentException("no identifier and no id");
      }
      fallback = new Identifier(Identifier.Kind.OTHER, r.path("resourceType").asText() + "/" + id);
    }
    return fallback;
  }

  private static List<Mailbox> mailboxes(JsonNode telecoms) {
    List<Mailbox> out = new ArrayList<>();
    for (JsonNode t : telecoms) {
      if (!"email".equals(t.path("system").asText()) || t.path("value").asText("").isBlank()) {
        continue;
      }
      String type = "";
      String description = "";
      String service = "";
      boolean listeRouge = false;
      List<String> certs = new ArrayList<>();
      for (JsonNode ext : t.path("extension")) {
        String url = ext.path("url").asText();
        if (url.equals(MAILBOX_METADATA)) {
          for (JsonNode sub : ext.path("extension")) {
            switch (sub.path("url").asText()) {
              case "type" -> type = first(sub.path("valueCodeableConcept").path("coding").path(0).path("code").asText(""),
                  first(sub.path("valueCode").asText(""), sub.path("valueString").asText("")));
              case "description" -> description = sub.path("valueString").asText("");
              case "service" -> service = sub.path("valueString").asText("");
              case "listeRouge" -> listeRouge = sub.path("valueBoolean").asBoolean(false);
              default -> { }
            }
          }
        } else if (url.equals(CERTIFICATE)) {
          String v = first(ext.path("valueBase64Binary").asText(""), ext.path("valueString").asText(""));
          if (!v.isBlank()) {
            certs.add(ExtractionCorrespondanceReader.pem(v));
          }
        }
      }
      out.add(new Mailbox(t.path("value").asText(), Mailbox.typeOf(type), description, service, listeRouge, certs));
    }
    return out;
  }

  private static boolean listeRouge(JsonNode r) {
    for (JsonNode ext : r.path("extension")) {
      String url = ext.path("url").asText();
      if ((url.endsWith("liste-rouge") || url.endsWith("listeRouge")) && ext.path("valueBoolean").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  private static String display(JsonNode codeableConcepts) {
    JsonNode cc = codeableConcepts.isArray() ? codeableConcepts.path(0) : codeableConcepts;
    return first(cc.path("coding").path(0).path("display").asText(""), cc.path("text").asText(""));
  }

  private static String first(String a, String b) {
    return a == null || a.isBlank() ? (b == null ? "" : b) : a;
  }
}
