package org.pont.gateway.james;

/**
 * James (javax.mail) and client-lib (jakarta.mail, Bouncy Castle's jakarta S/MIME) share one JVM.
 * Both activation frameworks read every {@code META-INF/mailcap} on the classpath, so each would
 * pick the other's content handlers ({@code ClassCastException: com.sun.mail.handlers.text_plain
 * cannot be cast to jakarta.activation.DataContentHandler}). Programmatic entries take precedence
 * over the files: each framework gets its own handlers for the common types.
 */
public final class Mailcaps {

  private static final String[][] TYPES = {
    {"text/plain", "text_plain"},
    {"text/html", "text_html"},
    {"text/xml", "text_xml"},
    {"multipart/*", "multipart_mixed"},
    {"multipart/mixed", "multipart_mixed"},
    {"multipart/alternative", "multipart_mixed"},
    {"multipart/related", "multipart_mixed"},
    {"multipart/report", "multipart_mixed"},
    {"message/rfc822", "message_rfc822"},
  };

  private static final String[] SMIME_TYPES = {
    "application/pkcs7-signature", "application/x-pkcs7-signature",
    "application/pkcs7-mime", "application/x-pkcs7-mime",
  };

  private static volatile boolean registered;

  private Mailcaps() {}

  /** Idempotent; call before any mail is parsed. */
  public static synchronized void register() {
    if (registered) {
      return;
    }
    javax.activation.MailcapCommandMap javaxMap = new javax.activation.MailcapCommandMap();
    jakarta.activation.MailcapCommandMap jakartaMap = new jakarta.activation.MailcapCommandMap();
    for (String[] type : TYPES) {
      javaxMap.addMailcap(entry(type[0], "com.sun.mail.handlers." + type[1]));
      jakartaMap.addMailcap(entry(type[0], "org.eclipse.angus.mail.handlers." + type[1]));
    }
    // S/MIME types on the javax side: bcjmail's mailcap names jakarta handlers, so James would
    // fail on them; javax.mail reads multipart/signed as a plain multipart, the rest as bytes.
    javaxMap.addMailcap(entry("multipart/signed", "com.sun.mail.handlers.multipart_mixed"));
    for (String smime : SMIME_TYPES) {
      javaxMap.addMailcap(entry(smime, JavaxRawContentHandler.class.getName()));
    }
    // And Bouncy Castle's on the jakarta side: client-lib registers them once, when its S/MIME
    // support is first used; if that happened before this new map replaced the default (a test JVM,
    // a restart in the same JVM) S/MIME parts would have no handler ("no object DCH").
    jakartaMap.addMailcap(entry("multipart/signed", "org.bouncycastle.mail.smime.handlers.multipart_signed"));
    for (String smime : SMIME_TYPES) {
      jakartaMap.addMailcap(entry(smime, "org.bouncycastle.mail.smime.handlers."
          + smime.substring("application/".length()).replace('-', '_')));
    }
    javax.activation.CommandMap.setDefaultCommandMap(javaxMap);
    jakarta.activation.CommandMap.setDefaultCommandMap(jakartaMap);
    registered = true;
  }

  private static String entry(String type, String handler) {
    return type + ";; x-java-content-handler=" + handler;
  }
}
