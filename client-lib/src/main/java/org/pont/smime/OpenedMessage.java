package org.pont.smime;

import jakarta.mail.internet.MimeMessage;
import java.util.Objects;

/**
 * A received message once opened: whether it came encrypted, the verdict on its signature, and its
 * content (the envelope headers around the innermost entity, ready for the structured-document layer).
 */
public record OpenedMessage(boolean wasEncrypted, SignatureVerdict signature, MimeMessage content) {

  public OpenedMessage {
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(content, "content");
  }
}
