package org.pont.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pont.smime.Certificates;
import org.pont.smime.ContentCipher;
import org.pont.smime.EncryptionOptions;
import org.pont.smime.KeyTransport;
import org.pont.smime.OpenedMessage;
import org.pont.smime.RevocationPolicy;
import org.pont.smime.SecureMessaging;
import org.pont.smime.SignatureVerdict;
import org.pont.smime.SmimeDecryptor;
import org.pont.smime.SmimeEncryptor;
import org.pont.smime.SmimeException;
import org.pont.smime.SmimeSigner;
import org.pont.smime.TrustAnchors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pont sign|encrypt|decrypt|verify}: S/MIME on message files, over the client library. */
final class SmimeCommands {
  private SmimeCommands() {}

  static final int INVALID = 1;
  static final int ERROR = 2;

  /** Common in/out options. */
  static class Io {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Message file (RFC 5322); '-' or none reads standard input.")
    Path in;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write the result (default: standard output).")
    Path out;
  }

  @Command(name = "sign", mixinStandardHelpOptions = true,
      description = "Sign a message (multipart/signed, SHA-256) with a signature certificate.")
  static final class Sign implements Callable<Integer> {
    @Mixin Io io = new Io();
    @Mixin KeyOptions keyOptions = new KeyOptions();

    @Option(names = "--key", required = true, paramLabel = "P12", description = "PKCS#12 file with the signature key and certificate.")
    Path key;

    @Override
    public Integer call() throws Exception {
      return run(() -> MessageIo.write(SmimeSigner.of(keyOptions.load(key)).sign(MessageIo.read(io.in)), io.out));
    }
  }

  @Command(name = "encrypt", mixinStandardHelpOptions = true,
      description = "Encrypt a message for one or more recipient certificates.")
  static final class Encrypt implements Callable<Integer> {
    @Mixin Io io = new Io();

    @Option(names = "--to-cert", required = true, paramLabel = "PEM", description = "A recipient's encryption certificate (repeatable).")
    List<Path> recipients = new ArrayList<>();

    @Option(names = "--cipher", defaultValue = "AES_256_GCM", description = "AES_256_GCM (default) or AES_256_CBC for older peers.")
    ContentCipher cipher;

    @Option(names = "--key-transport", defaultValue = "RSA_OAEP", description = "RSA_OAEP (default) or RSA_PKCS1_V1_5 for older peers.")
    KeyTransport keyTransport;

    @Override
    public Integer call() throws Exception {
      return run(() -> {
        List<X509Certificate> certs = new ArrayList<>();
        for (Path p : recipients) {
          certs.add(readCertificate(p));
        }
        MessageIo.write(SmimeEncryptor.of(new EncryptionOptions(cipher, keyTransport)).encrypt(MessageIo.read(io.in), certs), io.out);
      });
    }
  }

  @Command(name = "decrypt", mixinStandardHelpOptions = true, description = "Decrypt a message with an encryption key.")
  static final class Decrypt implements Callable<Integer> {
    @Mixin Io io = new Io();
    @Mixin KeyOptions keyOptions = new KeyOptions();

    @Option(names = "--key", required = true, paramLabel = "P12", description = "PKCS#12 file with the encryption key and certificate.")
    Path key;

    @Override
    public Integer call() throws Exception {
      return run(() -> MessageIo.write(SmimeDecryptor.of(keyOptions.load(key)).decrypt(MessageIo.read(io.in)), io.out));
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Check a message's signature (decrypting it first when a key is given).",
          "Exit status: 0 valid and trusted, 1 any other verdict, 2 usage or input error."})
  static final class Verify implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.eml", description = "Message file; '-' reads standard input.")
    Path in;

    @Option(names = "--trust", required = true, paramLabel = "DIR",
        description = "Folder of trust anchors, intermediates and CRLs (e.g. a 'pont pki init' folder).")
    Path trust;

    @Option(names = "--key", paramLabel = "P12", description = "PKCS#12 encryption key, to open an encrypted message.")
    Path key;

    @Mixin KeyOptions keyOptions = new KeyOptions();

    @Option(names = "--revocation", defaultValue = "REQUIRE_CRL",
        description = "REQUIRE_CRL (default), CHECK_IF_AVAILABLE or IGNORE.")
    RevocationPolicy revocation;

    @Option(names = "--json", description = "Print the verdict as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try {
        SecureMessaging.Builder b = SecureMessaging.builder().trust(TrustAnchors.fromDirectory(trust)).revocation(revocation);
        if (key != null) {
          b.decryptionKey(keyOptions.load(key));
        }
        OpenedMessage opened = b.build().open(MessageIo.read(in));
        print(opened);
        return opened.signature().isValid() ? 0 : INVALID;
      } catch (SmimeException e) {
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("valid", false);
          m.put("verdict", e.reason().name());
          m.put("message", e.getMessage());
          System.out.println(mapper().writeValueAsString(m));
        } else {
          System.out.println(e.reason() + "  " + e.getMessage());
        }
        return INVALID;
      }
    }

    private void print(OpenedMessage opened) throws IOException {
      SignatureVerdict v = opened.signature();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", v.isValid());
        m.put("verdict", v.reason().name());
        m.put("message", v.message());
        m.put("encrypted", opened.wasEncrypted());
        v.signerAddress().ifPresent(a -> m.put("signer", a));
        m.put("binding", v.binding().name());
        v.signingTime().ifPresent(t -> m.put("signingTime", t.toString()));
        v.signerCertificate().ifPresent(c -> {
          Map<String, Object> cert = new LinkedHashMap<>();
          cert.put("subject", c.getSubjectX500Principal().getName());
          cert.put("issuer", c.getIssuerX500Principal().getName());
          cert.put("serial", c.getSerialNumber().toString(16));
          cert.put("notAfter", c.getNotAfter().toInstant().toString());
          m.put("certificate", cert);
        });
        System.out.println(mapper().writeValueAsString(m));
        return;
      }
      System.out.println(v.reason() + "  " + v.message());
      System.out.println("  encrypted:   " + (opened.wasEncrypted() ? "yes" : "no"));
      v.signerCertificate().ifPresent(c -> System.out.println("  certificate: " + Certificates.describe(c)));
      v.signingTime().ifPresent(t -> System.out.println("  signed at:   " + t));
      if (v.isValid()) {
        System.out.println("  binding:     " + v.binding());
      }
    }
  }

  static ObjectMapper mapper() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  static X509Certificate readCertificate(Path p) throws IOException {
    try (var in = java.nio.file.Files.newInputStream(p)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (java.security.cert.CertificateException e) {
      throw new IOException(p + " is not a certificate: " + e.getMessage(), e);
    }
  }

  interface Action {
    void run() throws Exception;
  }

  /** Runs an action and turns failures into one line on standard error and an exit status. */
  static int run(Action action) {
    try {
      action.run();
      return 0;
    } catch (SmimeException e) {
      System.err.println("pont: " + e.reason() + ": " + e.getMessage());
      return INVALID;
    } catch (Exception e) {
      System.err.println("pont: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return ERROR;
    }
  }
}
