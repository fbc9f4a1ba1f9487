package org.pont.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.pont.certs.KeyAlgorithm;
import org.pont.certs.PkiFolder;
import org.pont.certs.TestPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pont pki init}: a test PKI shaped like IGC-Santé, written to a folder. */
@Command(name = "pki", mixinStandardHelpOptions = true, description = "Test PKI shaped like IGC-Santé.",
    subcommands = {PkiCommands.Init.class})
final class PkiCommands {
  static final String PASSWORD_ENV = "PONT_PKI_PASSWORD";

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Generate a root CA, organisation and person CAs, per-domain TLS server/client, signature and",
          "encryption credentials, per-person signature and encryption credentials, CRLs, and a revoked and",
          "an expired credential for negative tests. Keys are written only password-protected.",
          "Password: --password-file, else $" + PASSWORD_ENV + ", else a random one written to DIR/password.txt (mode 600)."})
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the PKI to (must not hold one already).")
    Path out;

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "An organisation (operator) mail domain, e.g. hopital.test (repeatable).")
    List<String> domains = new ArrayList<>();

    @Option(names = "--person", paramLabel = "ADDRESS", description = "A professional's MSSanté address, e.g. dr.martin@cabinet.test (repeatable).")
    List<String> persons = new ArrayList<>();

    @Option(names = "--key-algorithm", defaultValue = "rsa-2048", paramLabel = "ALG",
        description = "rsa-2048 (default, what IGC-Santé issues) or ec-p256.")
    String keyAlgorithm;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the password that protects the private keys.")
    Path passwordFile;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      PrintWriter outWriter = spec.commandLine().getOut();
      KeyAlgorithm alg = switch (keyAlgorithm.toLowerCase(java.util.Locale.ROOT)) {
        case "rsa-2048", "rsa" -> KeyAlgorithm.RSA_2048;
        case "ec-p256", "ec", "p256" -> KeyAlgorithm.EC_P256;
        default -> null;
      };
      if (alg == null) {
        err.println("pont pki init: unknown key algorithm '" + keyAlgorithm + "' (use rsa-2048 or ec-p256)");
        return SmimeCommands.ERROR;
      }
      if (PkiFolder.at(out).exists()) {
        err.println("pont pki init: " + out + " already holds a PKI; choose another folder or remove it first");
        return SmimeCommands.ERROR;
      }
      TestPki pki;
      try {
        TestPki.Builder b = TestPki.builder().keyAlgorithm(alg);
        domains.forEach(b::domain);
        persons.forEach(b::person);
        pki = b.build();
      } catch (IllegalArgumentException e) {
        err.println("pont pki init: " + e.getMessage());
        return SmimeCommands.ERROR;
      }
      String passwordNote;
      char[] password;
      if (passwordFile != null) {
        password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        passwordNote = "the password in " + passwordFile;
      } else if (System.getenv(PASSWORD_ENV) != null) {
        password = System.getenv(PASSWORD_ENV).toCharArray();
        passwordNote = "the password in $" + PASSWORD_ENV;
      } else {
        password = randomPassword();
        Files.createDirectories(out);
        writeSecret(out.resolve("password.txt"), password);
        passwordNote = "a random password, written to " + out.resolve("password.txt") + " (readable by you only)";
      }
      try {
        pki.writeTo(out, password);
      } catch (IllegalArgumentException e) {
        err.println("pont pki init: " + e.getMessage());
        return SmimeCommands.ERROR;
      }
      outWriter.printf("Test PKI (%s) written to %s%n", alg, out.toAbsolutePath());
      outWriter.printf("  trust:    %s, %s, %s%n", PkiFolder.TRUST_ANCHORS, PkiFolder.CHAIN, PkiFolder.CRLS);
      for (String d : pki.organisations().keySet()) {
        outWriter.printf("  domain:   %-28s domains/%s/{tls-server,tls-client,signature,encryption}.{p12,cert.pem,key.pem}%n", d, d);
      }
      for (String p : pki.persons().keySet()) {
        outWriter.printf("  person:   %-28s persons/%s/{signature,encryption}.{p12,cert.pem,key.pem}%n", p, p);
      }
      outWriter.printf("  negative: negative/revoked.*, negative/expired.*%n");
      outWriter.printf("Keys are protected by %s. Layout: %s%n", passwordNote, out.resolve("README.txt"));
      return 0;
    }

    private static char[] randomPassword() {
      byte[] bytes = new byte[18];
      new SecureRandom().nextBytes(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private static void writeSecret(Path file, char[] secret) throws IOException {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, new String(secret) + "\n", StandardCharsets.UTF_8);
    }
  }
}
