package org.pont.tracking;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Objects;
import java.util.Optional;

/** Asking for an MDN on an outgoing message (RFC 8098 §2), and reading whether a received one asks. */
public final class ReceiptRequests {
  private ReceiptRequests() {}

  /** Sets {@code Disposition-Notification-To}: the recipient's software may answer with an MDN. */
  public static void requestMdn(MimeMessage message, InternetAddress notifyTo) throws MessagingException {
    requestMdn(message, notifyTo, Optional.empty());
  }

  /**
   * Sets {@code Disposition-Notification-To} and, if given, {@code Disposition-Notification-Options}
   * (RFC 8098 §2.2, e.g. {@code signed-receipt-protocol=optional,pkcs7-signature}).
   */
  public static void requestMdn(MimeMessage message, InternetAddress notifyTo, Optional<String> options) throws MessagingException {
    Objects.requireNonNull(notifyTo, "notifyTo");
    message.setHeader("Disposition-Notification-To", notifyTo.toString());
    if (options.isPresent()) {
      String o = options.get();
      if (o.contains("\r") || o.contains("\n")) {
        throw new IllegalArgumentException("Disposition-Notification-Options must be one line");
      }
      message.setHeader("Disposition-Notification-Options", o);
    } else {
      message.removeHeader("Disposition-Notification-Options");
    }
  }

  /** The address a received message asks MDNs to be sent to, if it asks (only the first of several is used). */
  public static Optional<InternetAddress> mdnRequestedBy(MimeMessage received) throws MessagingException {
    String value = received.getHeader("Disposition-Notification-To", ",");
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      InternetAddress[] all = InternetAddress.parseHeader(value, true);
      return all.length == 0 ? Optional.empty() : Optional.of(all[0]);
    } catch (AddressException e) {
      return Optional.empty();
    }
  }
}
