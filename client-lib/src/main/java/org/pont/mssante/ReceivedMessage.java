package org.pont.mssante;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pont.cda.CdaDocument;
import org.pont.message.CoordinationMessage;
import org.pont.xdm.XdmPackage;

/**
 * A received MIME message read as a coordination message: who, to whom, about which patient, with
 * which documents ({@link CoordinationMessage}); the CDA documents parsed; the XDM package when
 * one was attached; the {@code X-MSS-*} headers as sent; and what looked odd but was accepted.
 */
public record ReceivedMessage(
    CoordinationMessage message,
    Optional<String> messageId,
    List<CdaDocument> cdaDocuments,
    Optional<XdmPackage> xdm,
    List<String> declaredCdaCodes,
    Optional<String> softwareId,
    List<String> warnings) {

  public ReceivedMessage {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(messageId, "messageId");
    cdaDocuments = List.copyOf(cdaDocuments);
    Objects.requireNonNull(xdm, "xdm");
    declaredCdaCodes = List.copyOf(declaredCdaCodes);
    Objects.requireNonNull(softwareId, "softwareId");
    warnings = List.copyOf(warnings);
  }

  /** The subject without the {@code XDM/1.0/DDM+} prefix, as a user interface shows it. */
  public String displaySubject() {
    String s = message.subject();
    String prefix = MssanteHeaders.XDM_SUBJECT_PREFIX + "+";
    return s.regionMatches(true, 0, prefix, 0, prefix.length()) ? s.substring(prefix.length()) : s;
  }
}
