package org.pont.tracking;

import java.util.Objects;
import java.util.Optional;

/**
 * One per-recipient block of a DSN (RFC 3464 §2.3). Addresses are given without their type
 * prefix ({@code rfc822;}).
 */
public record RecipientStatus(
    Optional<String> originalRecipient,
    String finalRecipient,
    Action action,
    StatusCode status,
    Optional<String> remoteMta,
    Optional<String> diagnosticCode) {

  public RecipientStatus {
    Objects.requireNonNull(originalRecipient, "originalRecipient");
    Objects.requireNonNull(finalRecipient, "finalRecipient");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(remoteMta, "remoteMta");
    Objects.requireNonNull(diagnosticCode, "diagnosticCode");
  }

  /** A block with only the required fields. */
  public static RecipientStatus of(String finalRecipient, Action action, StatusCode status) {
    return new RecipientStatus(Optional.empty(), finalRecipient, action, status, Optional.empty(), Optional.empty());
  }

  public RecipientStatus withOriginalRecipient(String address) {
    return new RecipientStatus(Optional.of(address), finalRecipient, action, status, remoteMta, diagnosticCode);
  }

  public RecipientStatus withDiagnosticCode(String smtpDiagnostic) {
    return new RecipientStatus(originalRecipient, finalRecipient, action, status, remoteMta, Optional.of(smtpDiagnostic));
  }

  public RecipientStatus withRemoteMta(String host) {
    return new RecipientStatus(originalRecipient, finalRecipient, action, status, Optional.of(host), diagnosticCode);
  }
}
