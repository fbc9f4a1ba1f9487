package org.pont.gateway.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pont.gateway.config.GatewaySettings;

class JamesConfigWriterTest {

  @TempDir Path dir;

  private GatewaySettings settings() {
    return new GatewaySettings(dir.resolve("data"), "hopital.test", GatewaySettings.Storage.PERSISTENT,
        new GatewaySettings.Listeners("127.0.0.1", 2525, 2587, 2143, 2993));
  }

  private TlsFiles tls() {
    return new TlsFiles(dir.resolve("tls.p12"), "s3cr<t&\"", dir.resolve("trust.p12"), "tru$t");
  }

  @Test
  void writesEveryTemplateWithEveryPlaceholderFilled() throws Exception {
    List<Path> files = JamesConfigWriter.write(settings(), tls(), dir.resolve("conf"));

    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("smtpserver.xml", "imapserver.xml", "mailetcontainer.xml", "domainlist.xml",
            "usersrepository.xml", "dnsservice.xml", "recipientrewritetable.xml",
            "mailrepositorystore.xml", "james-database.properties");
    for (Path f : files) {
      assertThat(Files.readString(f)).as(f.toString()).doesNotContain("${");
    }
  }

  @Test
  void listenerFilesCarryTheSettingsAndEscapeSecrets() throws Exception {
    JamesConfigWriter.write(settings(), tls(), dir.resolve("conf"));
    String smtp = Files.readString(dir.resolve("conf/smtpserver.xml"));
    String imap = Files.readString(dir.resolve("conf/imapserver.xml"));

    assertThat(smtp).contains("<bind>127.0.0.1:2525</bind>", "<bind>127.0.0.1:2587</bind>",
        "<secret>s3cr&lt;t&amp;&quot;</secret>", "<keystore>file://conf/tls.p12</keystore>",
        "<truststore>file://conf/trust.p12</truststore>");
    assertThat(imap).contains("<bind>127.0.0.1:2143</bind>", "<bind>127.0.0.1:2993</bind>");
    assertThat(Files.getPosixFilePermissions(dir.resolve("conf/smtpserver.xml")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void tlsIsTls12OrNewerWithAeadSuitesOnly() throws Exception {
    JamesConfigWriter.write(settings(), tls(), dir.resolve("conf"));
    for (String name : List.of("smtpserver.xml", "imapserver.xml")) {
      String xml = Files.readString(dir.resolve("conf").resolve(name));
      assertThat(protocols(xml)).containsOnly("TLSv1.2", "TLSv1.3");
      assertThat(suites(xml)).isNotEmpty().allSatisfy(suite -> assertThat(suite)
          .matches("TLS_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+|TLS_ECDHE_(RSA|ECDSA)_WITH_AES_\\d+_GCM_SHA\\d+"));
    }
  }

  @Test
  void noListenerTrustsANetworkAndAuthNeedsTls() throws Exception {
    JamesConfigWriter.write(settings(), tls(), dir.resolve("conf"));
    String smtp = withoutComments(Files.readString(dir.resolve("conf/smtpserver.xml")));
    String imap = withoutComments(Files.readString(dir.resolve("conf/imapserver.xml")));

    assertThat(smtp).doesNotContain("<authorizedAddresses>");
    assertThat(count(smtp, "<requireSSL>true</requireSSL>")).isEqualTo(2);
    assertThat(count(imap, "<requireSSL>true</requireSSL>")).isEqualTo(2);
    assertThat(smtp).contains("<clientAuth>");
    // Pont's guards come first in both SMTP handler chains; submission also requires AUTH.
    String flat = smtp.replaceAll("\\s+", " ");
    assertThat(count(flat, "<handlerchain> <handler class=\"org.pont.gateway.james.smtp.AuthRequiresTlsHandler\"/> "
        + "<handler class=\"org.pont.gateway.james.smtp.MailRequiresTlsHandler\"/>")).isEqualTo(2);
    assertThat(count(smtp, "MailRequiresAuthHandler")).isEqualTo(1);
  }

  @Test
  void derbyUrlIsAbsoluteUnderTheDataFolder() throws Exception {
    JamesConfigWriter.write(settings(), tls(), dir.resolve("conf"));
    String db = Files.readString(dir.resolve("conf/james-database.properties"));
    assertThat(db).contains("database.url=jdbc:derby:" + dir.resolve("data/james/var/store/derby") + ";create=true");
  }

  @Test
  void unknownPlaceholderIsAnError() {
    assertThatThrownBy(() -> JamesConfigWriter.render("x.xml", "<a>${nope}</a>", Map.of()))
        .hasMessageContaining("${nope}");
  }

  private static List<String> protocols(String xml) {
    return values(xml, "protocol");
  }

  private static List<String> suites(String xml) {
    return values(xml, "cipherSuite");
  }

  private static List<String> values(String xml, String element) {
    return java.util.regex.Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(xml)
        .results().map(m -> m.group(1)).toList();
  }

  private static String withoutComments(String xml) {
    return xml.replaceAll("(?s)<!--.*?-->", "");
  }

  private static int count(String s, String needle) {
    return (s.length() - s.replace(needle, "").length()) / needle.length();
  }
}
