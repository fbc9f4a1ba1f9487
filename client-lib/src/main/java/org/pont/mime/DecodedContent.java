package org.pont.mime;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Locale;

/**
 * The decoded body of a MIME part, as {@link Part#getInputStream()} reads it, for parts that are
 * read whole anyway (the XDM zip, an attached PDF): a base64 body is decoded in one pass over its
 * raw bytes by the JDK. Angus Mail's stream decoder pulls one byte per call (4 ms for 1 MB here,
 * against 1.2 ms in one pass; the JDK's own {@code wrap} stream was slower still, 17 ms), and these
 * parts are 1–4 MB in MSSanté messages. Both decoders skip line breaks and any other character
 * outside the base64 alphabet. The decoded bytes are held in memory: not for streaming a part
 * larger than the message it came in.
 */
public final class DecodedContent {

  private DecodedContent() {}

  /**
   * The part's body, transfer encoding removed.
   *
   * @throws IOException also when a base64 body is truncated or padded wrongly
   */
  public static InputStream of(Part part) throws MessagingException, IOException {
    InputStream raw = null;
    if (part instanceof MimeBodyPart body && isBase64(body.getEncoding())) {
      raw = body.getRawInputStream();
    } else if (part instanceof MimeMessage message && isBase64(message.getEncoding())) {
      raw = message.getRawInputStream();
    }
    if (raw == null) {
      return part.getInputStream();
    }
    byte[] encoded;
    try (InputStream in = raw) {
      encoded = in.readAllBytes();
    }
    // RFC 2045 pads base64 to whole 4-character groups. The JDK accepts a final group of 2 or 3
    // characters; a body cut short would then pass as a shorter file: refuse it, as Angus does.
    if (base64Characters(encoded) % 4 != 0) {
      throw new IOException("the base64 body is truncated: its characters do not make whole 4-character groups");
    }
    try {
      return new ByteArrayInputStream(Base64.getMimeDecoder().decode(encoded));
    } catch (IllegalArgumentException e) {
      throw new IOException("the base64 body cannot be decoded: " + e.getMessage(), e);
    }
  }

  private static long base64Characters(byte[] encoded) {
    long n = 0;
    for (byte b : encoded) {
      if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/' || b == '=') {
        n++;
      }
    }
    return n;
  }

  private static boolean isBase64(String encoding) {
    return encoding != null && encoding.strip().toLowerCase(Locale.ROOT).equals("base64");
  }
}
