package org.pont.index;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.pont.message.DocumentType;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.smime.OpenedMessage;
import org.pont.smime.SecureMessaging;
import org.pont.smime.SmimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extractor that uses only what any message carries: envelope headers, the MSSanté headers
 * {@code X-MSS-INS} and {@code X-MSS-CODECDA}, text parts (HTML reduced to text), the text of PDF
 * attachments (Apache PDFBox), and — when S/MIME keys are configured — the decrypted content and the
 * signature verdict. Structured documents (XDM package, CDA documents) are read by the
 * {@link MssanteEnricher}, on by default ({@link Builder#mssante(boolean)}); other readers plug in as
 * further {@link Enricher}s.
 *
 * <p>Bounded: at most {@code maxTextChars} characters of text are kept per message and per document,
 * and PDFs above {@code maxPdfBytes} are not read.
 */
public final class DefaultMessageExtractor implements MessageExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultMessageExtractor.class);

  /** Adds what it understands of an opened message (e.g. CDA patient and document codes). */
  @FunctionalInterface
  public interface Enricher {
    /**
     * @param content the opened (decrypted, unwrapped) message
     * @param into the builder to complete
     */
    void enrich(MimeMessage content, IndexableMessage.Builder into) throws Exception;
  }

  public static final int DEFAULT_MAX_TEXT_CHARS = 1_000_000;
  public static final long DEFAULT_MAX_PDF_BYTES = 30L * 1024 * 1024;

  private final Optional<SecureMessaging> smime;
  private final int maxTextChars;
  private final long maxPdfBytes;
  private final java.util.List<Enricher> enrichers;

  private DefaultMessageExtractor(Builder b) {
    this.smime = Optional.ofNullable(b.smime);
    this.maxTextChars = b.maxTextChars;
    this.maxPdfBytes = b.maxPdfBytes;
    java.util.List<Enricher> all = new java.util.ArrayList<>();
    if (b.mssante) {
      all.add(new MssanteEnricher(org.pont.mssante.MssanteMessageReader.withDefaults(), b.maxPdfBytes, b.maxTextChars));
    }
    all.addAll(b.enrichers);
    this.enrichers = java.util.List.copyOf(all);
  }

  /** Headers, text, PDF text and MSSanté XDM/CDA, no S/MIME: signed content is read but its verdict stays unchecked. */
  public static DefaultMessageExtractor plain() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public IndexableMessage extract(MessageRef ref, MimeMessage message, MessageState state) throws MessagingException, IOException {
    IndexableMessage.Builder b = IndexableMessage.builder(ref)
        .read(state.read()).acknowledged(state.acknowledged()).size(state.size());
    b.messageId(message.getMessageID());
    Address[] from = message.getFrom();
    if (from != null && from.length > 0) {
      b.from(address(from[0]));
    }
    for (Message.RecipientType type : new Message.RecipientType[] {Message.RecipientType.TO, Message.RecipientType.CC}) {
      Address[] to = message.getRecipients(type);
      if (to != null) {
        for (Address a : to) {
          b.to(address(a));
        }
      }
    }
    if (message.getSentDate() != null) {
      b.date(message.getSentDate().toInstant());
    }
    b.subject(Optional.ofNullable(message.getSubject()).orElse(""));
    mssHeaders(message, b);

    MimeMessage content = message;
    if (isSmime(message)) {
      if (smime.isPresent()) {
        try {
          OpenedMessage opened = smime.get().open(message);
          b.encrypted(opened.wasEncrypted()).verdict(opened.signature().reason());
          content = opened.content();
        } catch (SmimeException e) {
          LOG.warn("message {} could not be opened: {} {}", ref, e.reason(), e.getMessage());
          b.encrypted(e.reason() != SmimeException.Reason.MALFORMED);
          content = null;
        }
      } else if (message.isMimeType("application/pkcs7-mime") || message.isMimeType("application/x-pkcs7-mime")) {
        b.encrypted(true);
        content = null; // encrypted and no key: headers only
      }
    } else {
      b.verdict(org.pont.smime.VerdictReason.NOT_SIGNED);
    }
    if (content != null) {
      Texts texts = new Texts();
      walk(content, texts, b, 0);
      b.bodyText(texts.body.length() > 0 ? texts.body.toString() : texts.html.toString());
      if (content != message) {
        mssHeaders(content, b);
      }
      for (Enricher e : enrichers) {
        try {
          e.enrich(content, b);
        } catch (Exception ex) {
          LOG.warn("enricher {} failed on {}: {}", e.getClass().getSimpleName(), ref, ex.toString());
        }
      }
    }
    return b.build();
  }

  private static boolean isSmime(MimeMessage m) throws MessagingException {
    return m.isMimeType("multipart/signed") || m.isMimeType("application/pkcs7-mime") || m.isMimeType("application/x-pkcs7-mime");
  }

  private static String address(Address a) {
    if (a instanceof InternetAddress ia && ia.getAddress() != null) {
      String addr = ia.getAddress();
      int at = addr.lastIndexOf('@');
      return at < 0 ? addr : addr.substring(0, at + 1) + addr.substring(at + 1).toLowerCase(Locale.ROOT);
    }
    return a.toString();
  }

  private static void mssHeaders(MimeMessage m, IndexableMessage.Builder b) throws MessagingException {
    String[] ins = m.getHeader("X-MSS-INS");
    if (ins != null) {
      for (String value : ins) {
        parseIns(value).ifPresent(b::patientIns);
      }
    }
    String[] codes = m.getHeader("X-MSS-CODECDA");
    if (codes != null) {
      for (String header : codes) {
        for (String code : header.split("[,;\\s]+")) {
          if (!code.isBlank()) {
            String c = code.strip();
            b.documentType(DocumentType.byCode(c).orElse(new DocumentType(c, DocumentType.LOINC, "", c)));
          }
        }
      }
    }
  }

  /** {@code X-MSS-INS} may carry the INS itself (matricule+key, or a CX {@code matricule^^^&OID&ISO^NH}). */
  static Optional<Ins> parseIns(String headerValue) {
    String v = headerValue.strip();
    int caret = v.indexOf('^');
    String matricule = caret < 0 ? v : v.substring(0, caret);
    InsKind kind = InsKind.INS_NIR;
    for (InsKind k : InsKind.values()) {
      if (v.contains("&" + k.oid() + "&")) {
        kind = k;
      }
    }
    try {
      return Optional.of(Ins.of(matricule, kind));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a flag ("oui") or an unreadable value: nothing to index
    }
  }

  private static final class Texts {
    final StringBuilder body = new StringBuilder();
    final StringBuilder html = new StringBuilder();
  }

  private void walk(Part part, Texts texts, IndexableMessage.Builder b, int depth) throws MessagingException, IOException {
    if (depth > 20) {
      return;
    }
    if (part.isMimeType("multipart/*")) {
      Object content = part.getContent();
      if (content instanceof Multipart mp) {
        for (int i = 0; i < mp.getCount(); i++) {
          BodyPart child = mp.getBodyPart(i);
          if (part.isMimeType("multipart/signed") && i > 0) {
            break; // the signature itself
          }
          walk(child, texts, b, depth + 1);
        }
      }
      return;
    }
    boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null;
    String fileName = Optional.ofNullable(part.getFileName()).map(n -> {
      try {
        return MimeUtility.decodeText(n);
      } catch (IOException e) {
        return n;
      }
    }).orElse("").toLowerCase(Locale.ROOT);
    if (part.isMimeType("application/pdf") || fileName.endsWith(".pdf")) {
      PdfText.extract(part, maxPdfBytes, maxTextChars).ifPresent(b::documentText);
    } else if (part.isMimeType("text/plain")) {
      String text = readText(part);
      if (attachment) {
        b.documentText(text);
      } else {
        append(texts.body, text);
      }
    } else if (part.isMimeType("text/html") && !attachment) {
      append(texts.html, htmlToText(readText(part)));
    }
  }

  private void append(StringBuilder sb, String text) {
    int room = maxTextChars - sb.length();
    if (room <= 0) {
      return;
    }
    if (sb.length() > 0) {
      sb.append('\n');
    }
    sb.append(text, 0, Math.min(text.length(), room));
  }

  /** Reads at most maxTextChars characters of a text part, in its declared charset. */
  private String readText(Part part) throws MessagingException, IOException {
    Charset cs = StandardCharsets.UTF_8;
    try {
      String name = new jakarta.mail.internet.ContentType(part.getContentType()).getParameter("charset");
      if (name != null) {
        cs = Charset.forName(MimeUtility.javaCharset(name));
      }
    } catch (RuntimeException | jakarta.mail.internet.ParseException e) {
      // unknown charset: UTF-8 is the best guess for French text
    }
    try (InputStream in = part.getInputStream(); Reader r = new java.io.InputStreamReader(in, cs)) {
      StringBuilder sb = new StringBuilder();
      char[] buf = new char[8192];
      int n;
      while (sb.length() < maxTextChars && (n = r.read(buf, 0, Math.min(buf.length, maxTextChars - sb.length()))) > 0) {
        sb.append(buf, 0, n);
      }
      return sb.toString();
    }
  }

  static String htmlToText(String html) {
    String noScripts = html.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ");
    String text = noScripts.replaceAll("(?s)<[^>]*>", " ");
    return text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&eacute;", "é").replace("&egrave;", "è").replace("&agrave;", "à").replaceAll("[ \\t\\x0B\\f\\r]+", " ");
  }

  /** Options of the default extractor. */
  public static final class Builder {
    private SecureMessaging smime;
    private int maxTextChars = DEFAULT_MAX_TEXT_CHARS;
    private long maxPdfBytes = DEFAULT_MAX_PDF_BYTES;
    private final java.util.List<Enricher> enrichers = new java.util.ArrayList<>();
    private boolean mssante = true;

    private Builder() {}

    /** Whether to read the XDM package and CDA documents ({@link MssanteEnricher}; default true). */
    public Builder mssante(boolean value) {
      this.mssante = value;
      return this;
    }

    /** Decrypt with our keys and verify signatures against our trust anchors. */
    public Builder secureMessaging(SecureMessaging s) {
      this.smime = Objects.requireNonNull(s);
      return this;
    }

    /** The most text kept per message body and per document (default 1,000,000 characters). */
    public Builder maxTextChars(int chars) {
      if (chars < 1) {
        throw new IllegalArgumentException("maxTextChars must be positive");
      }
      this.maxTextChars = chars;
      return this;
    }

    /** PDFs larger than this are not read (default 30 MB). */
    public Builder maxPdfBytes(long bytes) {
      this.maxPdfBytes = bytes;
      return this;
    }

    /** Adds a step that completes what was extracted (CDA/XDM readers plug in here). */
    public Builder enricher(Enricher e) {
      enrichers.add(Objects.requireNonNull(e));
      return this;
    }

    public DefaultMessageExtractor build() {
      return new DefaultMessageExtractor(this);
    }
  }
}
