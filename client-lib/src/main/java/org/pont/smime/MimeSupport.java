package org.pont.smime;

import jakarta.activation.CommandMap;
import jakarta.activation.DataHandler;
import jakarta.activation.MailcapCommandMap;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.mail.internet.MimeUtility;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Properties;

/** MIME plumbing shared by the S/MIME operations: moving a message's content entity in and out of envelopes. */
final class MimeSupport {

  private static final Session SESSION = Session.getInstance(new Properties());

  static {
    // Bouncy Castle's S/MIME content handlers are registered explicitly rather than trusting the
    // classpath's META-INF/mailcap files: in a JVM that also carries javax.mail (the gateway, next to
    // Apache James) both activation frameworks read every mailcap and pick each other's handlers.
    if (CommandMap.getDefaultCommandMap() instanceof MailcapCommandMap map) {
      map.addMailcap("application/pkcs7-signature;; x-java-content-handler=org.bouncycastle.mail.smime.handlers.pkcs7_signature");
      map.addMailcap("application/pkcs7-mime;; x-java-content-handler=org.bouncycastle.mail.smime.handlers.pkcs7_mime");
      map.addMailcap("application/x-pkcs7-signature;; x-java-content-handler=org.bouncycastle.mail.smime.handlers.x_pkcs7_signature");
      map.addMailcap("application/x-pkcs7-mime;; x-java-content-handler=org.bouncycastle.mail.smime.handlers.x_pkcs7_mime");
      map.addMailcap("multipart/signed;; x-java-content-handler=org.bouncycastle.mail.smime.handlers.multipart_signed");
    }
  }

  private MimeSupport() {}

  static Session session() {
    return SESSION;
  }

  /** Parses an RFC 5322 message; a SharedInputStream (e.g. a file) keeps large bodies out of memory. */
  static MimeMessage parse(InputStream in) throws MessagingException {
    return new IdPreservingMessage(SESSION, in);
  }

  /**
   * The message's content entity (its Content-* headers and body) as a body part, without copying
   * the body: the part reads through the message's own data handler. With {@code sevenBitSafe}
   * (before signing), leaf parts in 8bit or binary are moved to a 7-bit-safe encoding first,
   * because relays may alter 8-bit content and break a signature (RFC 8551 section 3.1.2).
   */
  static MimeBodyPart contentEntity(MimeMessage message, boolean sevenBitSafe) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    try {
      Object content = message.getContent();
      if (content instanceof Multipart mp) {
        part.setContent(mp);
      } else {
        part.setDataHandler(message.getDataHandler());
      }
    } catch (java.io.IOException e) {
      throw new MessagingException("cannot read the message body: " + e.getMessage(), e);
    }
    for (Enumeration<Header> h = message.getAllHeaders(); h.hasMoreElements(); ) {
      Header header = h.nextElement();
      if (isContentHeader(header.getName())) {
        part.addHeader(header.getName(), header.getValue());
      }
    }
    if (part.getHeader("Content-Type") == null) {
      // A message built in memory gets its Content-Type header only at saveChanges(); until then its
      // data handler knows it (e.g. text/plain; charset=UTF-8). Only a parsed headerless body is us-ascii.
      String fromHandler = message.getDataHandler() == null ? null : message.getDataHandler().getContentType();
      part.setHeader("Content-Type", fromHandler != null && !fromHandler.isBlank() ? fromHandler : "text/plain; charset=us-ascii");
    }
    if (sevenBitSafe) {
      make7BitSafe(part, false);
    }
    return part;
  }

  /**
   * A new message with the original's envelope headers (From, To, Subject, Message-ID...) around a
   * new content entity. The Message-ID is kept: a signed or encrypted message is the same message.
   */
  static MimeMessage rewrap(MimeMessage original, MimeBodyPart entity) throws MessagingException {
    MimeMessage out = new IdPreservingMessage(SESSION);
    copyEnvelopeHeaders(original, out);
    try {
      Object content = entity.getContent();
      if (content instanceof MimeMultipart mp) {
        out.setContent(mp);
      } else {
        out.setDataHandler(entity.getDataHandler());
      }
    } catch (java.io.IOException e) {
      throw new MessagingException("cannot read the new content: " + e.getMessage(), e);
    }
    for (Enumeration<Header> h = entity.getAllHeaders(); h.hasMoreElements(); ) {
      Header header = h.nextElement();
      if (isContentHeader(header.getName())) {
        out.setHeader(header.getName(), header.getValue());
      }
    }
    out.saveChanges();
    return out;
  }

  /** A new message with the original's envelope headers around a multipart (e.g. multipart/signed). */
  static MimeMessage rewrap(MimeMessage original, MimeMultipart multipart) throws MessagingException {
    MimeMessage out = new IdPreservingMessage(SESSION);
    copyEnvelopeHeaders(original, out);
    out.setContent(multipart);
    out.saveChanges();
    return out;
  }

  static void copyEnvelopeHeaders(MimeMessage from, MimeMessage to) throws MessagingException {
    for (Enumeration<Header> h = from.getAllHeaders(); h.hasMoreElements(); ) {
      Header header = h.nextElement();
      if (!isContentHeader(header.getName())) {
        to.addHeader(header.getName(), header.getValue());
      }
    }
  }

  static boolean isContentHeader(String name) {
    return name.regionMatches(true, 0, "Content-", 0, 8);
  }

  static String baseType(Part part) throws MessagingException {
    String ct = part.getContentType();
    if (ct == null) {
      return "text/plain";
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  private static void make7BitSafe(MimePart part, boolean nested) throws MessagingException {
    try {
      String type = baseType(part);
      if (type.equals("multipart/signed") || type.contains("pkcs7")) {
        return; // already protected content is carried as it is: changing it would break its signature
      }
      Object content = part.getContent();
      if (content instanceof Multipart mp) {
        for (int i = 0; i < mp.getCount(); i++) {
          make7BitSafe((MimePart) mp.getBodyPart(i), true);
        }
        return;
      }
      String cte = part.getEncoding();
      if (cte == null || !(cte.equalsIgnoreCase("8bit") || cte.equalsIgnoreCase("binary"))) {
        return;
      }
      String contentType = part.getContentType();
      if (nested) {
        // A parsed part decodes its body with the encoding its header names: take the decoded
        // bytes before the header changes.
        byte[] decoded;
        try (InputStream in = part.getInputStream()) {
          decoded = in.readAllBytes();
        }
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(decoded, contentType)));
      } else {
        // The top-level entity reads through the message. A plain DataHandler over the decoded
        // source makes jakarta.mail re-encode the body, where the message's own handler would
        // copy the raw 8-bit bytes under the new header.
        part.setDataHandler(new DataHandler(part.getDataHandler().getDataSource()));
      }
      part.setHeader("Content-Type", contentType);
      part.setHeader("Content-Transfer-Encoding", baseType(part).startsWith("text/") ? "quoted-printable" : "base64");
    } catch (java.io.IOException e) {
      throw new MessagingException("cannot read a message part: " + e.getMessage(), e);
    }
  }

  static String decodeText(String s) {
    try {
      return MimeUtility.decodeText(s);
    } catch (java.io.UnsupportedEncodingException e) {
      return s;
    }
  }

  /** Keeps an existing Message-ID when headers are updated (jakarta.mail would mint a new one). */
  static final class IdPreservingMessage extends MimeMessage {
    IdPreservingMessage(Session session) {
      super(session);
    }

    IdPreservingMessage(Session session, InputStream in) throws MessagingException {
      super(session, in);
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      if (getHeader("Message-ID") == null) {
        super.updateMessageID();
      }
    }
  }
}
