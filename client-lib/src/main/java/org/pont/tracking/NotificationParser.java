package org.pont.tracking;

import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads received messages as notifications. Never throws on bad input: a message that is not a
 * notification gives {@code Optional.empty()}, a broken report gives {@link Notification.Unparseable}.
 *
 * <p>Report fields are read from the report part's body as RFC 822-style field blocks
 * ({@link InternetHeaders}); the content handlers of the activation framework are not used, so
 * parsing works the same in the gateway (which shares the JVM with James's javax.mail) and in the
 * client. Leniency, each seen in real messages: a missing address type ({@code Final-Recipient:
 * a@b}), no space after {@code ;}, and report fields written as the part's own MIME headers
 * because the blank line after {@code Content-Type} is missing (Direct RI sample
 * {@code MDNResponse}).
 */
public final class NotificationParser {
  static final String MDN_TYPE = "message/disposition-notification";
  static final String DSN_TYPE = "message/delivery-status";
  private static final int MAX_REPORT_BYTES = 256 * 1024;
  private static final Set<String> MDN_FIELDS = Set.of(
      "reporting-ua", "mdn-gateway", "original-recipient", "final-recipient", "original-message-id", "disposition", "error", "failure", "warning");

  private NotificationParser() {}

  /** Whether the message is a DSN or MDN by its structure (multipart/report of either kind, or a bare report part). */
  public static boolean isNotification(MimeMessage message) {
    try {
      return reportKind(reportHolder(message)).isPresent();
    } catch (MessagingException | IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The part that holds the report: the message itself or, for an S/MIME signed notification
   * (Direct and MSSanté sign them), the signed content. An encrypted notification cannot be seen
   * into: decrypt first.
   */
  private static MimePart reportHolder(MimeMessage message) throws MessagingException, IOException {
    if (message.isMimeType("multipart/signed")) {
      MimeMultipart signed = new MimeMultipart(message.getDataHandler().getDataSource());
      if (signed.getCount() > 0 && signed.getBodyPart(0) instanceof MimeBodyPart inner) {
        return inner;
      }
    }
    return message;
  }

  /** The notification the message is, if it is one. */
  public static Optional<Notification> parse(MimeMessage message) {
    Optional<String> kind;
    Optional<String> id = Optional.empty();
    MimePart holder;
    try {
      id = Optional.ofNullable(message.getHeader("Message-ID", null)).map(String::strip);
      holder = reportHolder(message);
      kind = reportKind(holder);
    } catch (MessagingException | IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(read(holder, kind.get(), id));
    } catch (MessagingException | IOException | RuntimeException e) {
      return Optional.of(new Notification.Unparseable(id, "the " + kind.get() + " report cannot be read: " + e.getMessage()));
    }
  }

  /** {@link #MDN_TYPE} or {@link #DSN_TYPE} when the message is a report of that kind. */
  private static Optional<String> reportKind(MimePart message) throws MessagingException {
    String header = message.getHeader("Content-Type", null);
    if (header == null) {
      return Optional.empty();
    }
    ContentType type;
    try {
      type = new ContentType(header);
    } catch (ParseException e) {
      return Optional.empty();
    }
    if (type.match(MDN_TYPE) || type.match(DSN_TYPE)) {
      return Optional.of(type.getBaseType().toLowerCase(Locale.ROOT));
    }
    if (!type.match("multipart/report")) {
      return Optional.empty();
    }
    String reportType = Optional.ofNullable(type.getParameter("report-type")).orElse("").toLowerCase(Locale.ROOT);
    return switch (reportType) {
      case "disposition-notification" -> Optional.of(MDN_TYPE);
      case "delivery-status" -> Optional.of(DSN_TYPE);
      default -> Optional.empty();
    };
  }

  private static Notification read(MimePart message, String kind, Optional<String> id) throws MessagingException, IOException {
    Part report;
    Optional<InternetHeaders> returned = Optional.empty();
    if (message.isMimeType("multipart/report")) {
      MimeMultipart mp = new MimeMultipart(message.getDataHandler().getDataSource());
      report = null;
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart p = mp.getBodyPart(i);
        if (report == null && p.isMimeType(kind)) {
          report = p;
        } else if (p.isMimeType("text/rfc822-headers") || p.isMimeType("message/rfc822")) {
          returned = Optional.of(headersOnly(p.getInputStream()));
        }
      }
      if (report == null) {
        report = lastPartWithoutClosingBoundary(message, kind).orElse(null);
      }
      if (report == null) {
        return new Notification.Unparseable(id, "the multipart/report has no " + kind + " part");
      }
    } else {
      report = message;
    }
    byte[] body = readLimited(report.getInputStream());
    List<InternetHeaders> blocks = blocks(body);
    return kind.equals(MDN_TYPE) ? mdn(id, report, blocks) : dsn(id, blocks, returned);
  }

  /**
   * Jakarta Mail drops a last part that has neither a closing boundary nor a blank line after its
   * headers (Direct RI sample {@code MDNResponse}); this finds it in the raw content.
   */
  private static Optional<Part> lastPartWithoutClosingBoundary(MimePart message, String kind) throws MessagingException, IOException {
    String boundary = new ContentType(message.getContentType()).getParameter("boundary");
    if (boundary == null) {
      return Optional.empty();
    }
    InputStream rawStream = message instanceof MimeMessage m ? m.getRawInputStream()
        : message instanceof MimeBodyPart b ? b.getRawInputStream() : null;
    if (rawStream == null) {
      return Optional.empty();
    }
    String raw = new String(readLimited(rawStream), java.nio.charset.StandardCharsets.ISO_8859_1);
    String delimiter = "--" + boundary;
    int last = raw.lastIndexOf(delimiter);
    if (last < 0 || raw.startsWith("--", last + delimiter.length())) {
      return Optional.empty();
    }
    String chunk = raw.substring(last + delimiter.length()).replaceFirst("^[ \\t]*\\r?\\n", "");
    MimeBodyPart part = new MimeBodyPart(
        new ByteArrayInputStream((chunk + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    return part.isMimeType(kind) ? Optional.of(part) : Optional.empty();
  }

  private static Notification mdn(Optional<String> id, Part report, List<InternetHeaders> blocks) throws MessagingException {
    Map<String, String> fields = new LinkedHashMap<>();
    if (!blocks.isEmpty()) {
      fields.putAll(fields(blocks.get(0)));
    }
    if (!fields.containsKey("disposition")) {
      // the fields were written as the part's MIME headers (no blank line after Content-Type)
      Enumeration<Header> headers = report.getAllHeaders();
      while (headers.hasMoreElements()) {
        Header h = headers.nextElement();
        String name = h.getName().toLowerCase(Locale.ROOT);
        if (!name.startsWith("content-") && !name.equals("mime-version")) {
          fields.putIfAbsent(name, unfold(h.getValue()));
        }
      }
    }
    String disposition = fields.get("disposition");
    if (disposition == null) {
      return new Notification.Unparseable(id, "the disposition notification has no Disposition field");
    }
    Disposition parsed;
    try {
      parsed = Disposition.parse(disposition);
    } catch (IllegalArgumentException e) {
      return new Notification.Unparseable(id, e.getMessage());
    }
    Map<String, String> extensions = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : originalNames(blocks, report).entrySet()) {
      if (!MDN_FIELDS.contains(f.getKey().toLowerCase(Locale.ROOT))) {
        extensions.put(f.getKey(), f.getValue());
      }
    }
    return new Notification.Mdn(id,
        opt(fields.get("reporting-ua")),
        opt(fields.get("original-recipient")).map(NotificationParser::address),
        opt(fields.get("final-recipient")).map(NotificationParser::address),
        opt(fields.get("original-message-id")),
        parsed,
        extensions);
  }

  private static Notification dsn(Optional<String> id, List<InternetHeaders> blocks, Optional<InternetHeaders> returned) {
    if (blocks.size() < 2) {
      return new Notification.Unparseable(id, "the delivery-status report has no per-recipient fields");
    }
    Map<String, String> perMessage = fields(blocks.get(0));
    List<RecipientStatus> recipients = new ArrayList<>();
    for (int i = 1; i < blocks.size(); i++) {
      Map<String, String> f = fields(blocks.get(i));
      String finalRecipient = f.get("final-recipient");
      String action = f.get("action");
      String status = f.get("status");
      if (finalRecipient == null || action == null || status == null) {
        return new Notification.Unparseable(id, "recipient block " + i + " lacks Final-Recipient, Action or Status");
      }
      Optional<Action> a = Action.ofKeyword(action);
      if (a.isEmpty()) {
        return new Notification.Unparseable(id, "recipient block " + i + " has an unknown Action '" + action + "'");
      }
      StatusCode code;
      Optional<String> diagnostic = opt(f.get("diagnostic-code"));
      try {
        code = StatusCode.parse(status);
      } catch (IllegalArgumentException e) {
        // James 3.8.1's own bounces (DSNBounce after RemoteDelivery gives up) put the error text in
        // Status ("Too many retries failure. ..."): the Action still says what happened, so take
        // the class from it and keep the text as the diagnostic rather than drop the report.
        code = genericCode(a.get());
        diagnostic = diagnostic.or(() -> Optional.of(status.strip()));
      }
      recipients.add(new RecipientStatus(opt(f.get("original-recipient")).map(NotificationParser::address),
          address(finalRecipient), a.get(), code,
          opt(f.get("remote-mta")).map(NotificationParser::address), diagnostic));
    }
    Optional<String> originalId = returned.map(h -> h.getHeader("Message-ID", null)).map(String::strip);
    if (originalId.isEmpty()) {
      originalId = perMessage.entrySet().stream().filter(e -> e.getKey().endsWith("original-message-id"))
          .map(Map.Entry::getValue).findFirst();
    }
    return new Notification.Dsn(id, opt(perMessage.get("reporting-mta")).map(NotificationParser::address),
        opt(perMessage.get("original-envelope-id")), originalId, recipients);
  }

  /** The generic status (RFC 3463 x.0.0) an Action implies, for reports whose Status is no code. */
  private static StatusCode genericCode(Action action) {
    return switch (action) {
      case FAILED -> new StatusCode(5, 0, 0);
      case DELAYED -> new StatusCode(4, 0, 0);
      case DELIVERED, RELAYED, EXPANDED -> new StatusCode(2, 0, 0);
    };
  }

  /** The field blocks of a report body, separated by blank lines; empty blocks skipped. */
  private static List<InternetHeaders> blocks(byte[] body) throws MessagingException {
    List<InternetHeaders> blocks = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    while (in.available() > 0) {
      InternetHeaders h = new InternetHeaders(in);
      if (h.getAllHeaders().hasMoreElements()) {
        blocks.add(h);
      }
    }
    return blocks;
  }

  /** Lower-case name → unfolded value; the first occurrence wins. */
  private static Map<String, String> fields(InternetHeaders h) {
    Map<String, String> out = new LinkedHashMap<>();
    Enumeration<Header> all = h.getAllHeaders();
    while (all.hasMoreElements()) {
      Header f = all.nextElement();
      if (f.getValue() != null) {
        out.putIfAbsent(f.getName().strip().toLowerCase(Locale.ROOT), unfold(f.getValue()));
      }
    }
    return out;
  }

  private static Map<String, String> originalNames(List<InternetHeaders> blocks, Part report) throws MessagingException {
    Map<String, String> out = new LinkedHashMap<>();
    Enumeration<Header> all = blocks.isEmpty() ? report.getAllHeaders() : blocks.get(0).getAllHeaders();
    while (all.hasMoreElements()) {
      Header f = all.nextElement();
      if (f.getValue() != null && !f.getName().toLowerCase(Locale.ROOT).startsWith("content-")) {
        out.putIfAbsent(f.getName().strip(), unfold(f.getValue()));
      }
    }
    return out;
  }

  private static String unfold(String value) {
    return value.replaceAll("\\r?\\n[ \\t]+", " ").strip();
  }

  /** {@code rfc822;a@b} or {@code a@b} → {@code a@b}; {@code dns; host} → {@code host}. */
  static String address(String typed) {
    int semi = typed.indexOf(';');
    return (semi < 0 ? typed : typed.substring(semi + 1)).strip();
  }

  private static Optional<String> opt(String s) {
    return Optional.ofNullable(s).map(String::strip).filter(v -> !v.isEmpty());
  }

  /** The header block of a returned message (RET=FULL may return megabytes: only the start is read). */
  private static InternetHeaders headersOnly(InputStream in) throws IOException, MessagingException {
    try (in) {
      return new InternetHeaders(new ByteArrayInputStream(in.readNBytes(MAX_REPORT_BYTES)));
    }
  }

  private static byte[] readLimited(InputStream in) throws IOException {
    try (in) {
      byte[] bytes = in.readNBytes(MAX_REPORT_BYTES + 1);
      if (bytes.length > MAX_REPORT_BYTES) {
        throw new IOException("report part is larger than " + MAX_REPORT_BYTES + " bytes");
      }
      return bytes;
    }
  }
}
