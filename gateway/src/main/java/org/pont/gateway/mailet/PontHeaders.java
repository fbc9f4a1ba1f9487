package org.pont.gateway.mailet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/** The headers by which the gateway tells clients its verdict; only the gateway may write them. */
public final class PontHeaders {
  /** {@code VALID; signer=<address>; binding=DOMAIN|ADDRESS}, or {@code NOT_SIGNED}. */
  public static final String SIGNATURE = "X-Pont-Signature";
  /** {@code yes} when the message came S/MIME encrypted and the gateway opened it, else {@code no}. */
  public static final String ENCRYPTED = "X-Pont-Encrypted";
  /** {@code present} or {@code absent}: whether the documents identify the patient by INS (never the INS). */
  public static final String PATIENT_INS = "X-Pont-Patient-INS";
  /** The LOINC/TRE codes of the CDA documents, comma separated; absent when there is none. */
  public static final String DOCUMENT_TYPES = "X-Pont-Document-Types";
  /** {@code <REASON>; <explanation>} on a quarantined message. */
  public static final String QUARANTINE_REASON = "X-Pont-Quarantine-Reason";
  /** Outbound: {@code signed}, {@code signed+encrypted} or {@code end-to-end} (left as the user sent it). */
  public static final String OUTBOUND = "X-Pont-Outbound";

  static final String PREFIX = "x-pont-";

  private PontHeaders() {}

  /** Removes every {@code X-Pont-*} header, so a sender cannot forge a verdict; returns the names removed. */
  static List<String> strip(MimeMessage message) throws MessagingException {
    List<String> names = new ArrayList<>();
    for (Header h : Collections.list(message.getAllHeaders())) {
      if (h.getName().toLowerCase(Locale.ROOT).startsWith(PREFIX) && !names.contains(h.getName())) {
        names.add(h.getName());
      }
    }
    for (String name : names) {
      message.removeHeader(name);
    }
    return names;
  }
}
