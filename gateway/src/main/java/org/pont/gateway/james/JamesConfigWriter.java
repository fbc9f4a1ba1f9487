package org.pont.gateway.james;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pont.gateway.config.GatewaySettings;

/**
 * Renders the James configuration shipped in {@code mail-server-config} into
 * {@code <data>/james/conf}. Rewritten on every start: the files derive from the gateway's
 * settings, so editing them by hand is not the way to configure Pont.
 */
public final class JamesConfigWriter {

  static final String TEMPLATES = "org/pont/mailserver/james/";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z0-9.]+)}");

  private JamesConfigWriter() {}

  /** Writes every template into {@code confDir}; returns the files written. */
  public static List<Path> write(GatewaySettings settings, TlsFiles tls, Path confDir) {
    Map<String, String> values = values(settings, tls);
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(confDir);
      for (String name : templateNames()) {
        String rendered = render(name, read(name), values);
        Path target = confDir.resolve(name);
        Files.writeString(target, rendered, StandardCharsets.UTF_8);
        ownerOnly(target); // the listener files hold the TLS store secrets
        written.add(target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write James configuration to " + confDir, e);
    }
    return written;
  }

  static Map<String, String> values(GatewaySettings settings, TlsFiles tls) {
    GatewaySettings.Listeners l = settings.listeners();
    return Map.ofEntries(
        Map.entry("bind", l.bindAddress()),
        Map.entry("smtp.port", Integer.toString(l.smtp())),
        Map.entry("submission.port", Integer.toString(l.submission())),
        Map.entry("imap.port", Integer.toString(l.imap())),
        Map.entry("imaps.port", Integer.toString(l.imaps())),
        Map.entry("domain", settings.domain()),
        // James resolves file:// URLs against its working directory; the stores sit in conf/.
        Map.entry("tls.keystore", "file://conf/" + tls.keystore().getFileName()),
        Map.entry("tls.secret", tls.keystoreSecret()),
        Map.entry("tls.truststore", "file://conf/" + tls.truststore().getFileName()),
        Map.entry("tls.truststore.secret", tls.truststoreSecret()),
        Map.entry("derby.path", settings.jamesDir().resolve("var/store/derby").toString()),
        Map.entry("spooler.threads", "4"),
        // ~25 MB: the limit reported for MSSanté patient messaging (MSSANTE.md, unconfirmed).
        Map.entry("smtp.maxMessageSizeKb", "25600"),
        // Outbound operator relay (ADR 0011): generated XML, already escaped, inserted as is.
        Map.entry("xml.relay.routes", org.pont.gateway.relay.RelayConfig.routesXml(settings.relay())),
        Map.entry("xml.relay.common", org.pont.gateway.relay.RelayConfig.commonXml(settings.relay())));
  }

  static String render(String name, String template, Map<String, String> values) {
    boolean xml = name.endsWith(".xml");
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length());
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("template " + name + " uses unknown placeholder ${" + m.group(1) + "}");
      }
      // "xml." values are XML fragments the gateway generated (and escaped) itself.
      String text = m.group(1).startsWith("xml.") ? value : xml ? xmlEscape(value) : propertiesEscape(value);
      m.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    m.appendTail(out);
    return out.toString();
  }

  static List<String> templateNames() throws IOException {
    return read("files.txt")
        .lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  private static String read(String name) throws IOException {
    try (InputStream in = JamesConfigWriter.class.getClassLoader().getResourceAsStream(TEMPLATES + name)) {
      if (in == null) {
        throw new IOException("missing James configuration template " + TEMPLATES + name + " (pont-mail-server-config)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the data folder's own protection applies
    }
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&apos;");
  }

  private static String propertiesEscape(String s) {
    return s.replace("\\", "\\\\");
  }
}
