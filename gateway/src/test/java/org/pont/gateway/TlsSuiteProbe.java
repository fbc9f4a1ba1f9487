package org.pont.gateway;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS 1.2 cipher-suite probe run in a forked JVM whose {@code jdk.tls.disabledAlgorithms} is
 * emptied (SecurityChecksTest passes {@code -Djava.security.properties}): there the JDK client can
 * still offer the 3DES and RC4 suites that the installed openssl cannot, so a server accepting
 * them would be seen. Never used by the gateway; test code only.
 *
 * <p>Arguments: {@code port none|smtp|imap p12|- password|- label=SUITE,SUITE ...}; prints one line
 * per label: {@code label ACCEPTED suite}, {@code label REFUSED reason} or {@code label CANNOT_OFFER}.
 * With {@code control p12 password} as arguments it serves every suite instead (the control server).
 */
public final class TlsSuiteProbe {

  private TlsSuiteProbe() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("control")) {
      control(Path.of(args[1]), args[2].toCharArray());
      return;
    }
    int port = Integer.parseInt(args[0]);
    String starttls = args[1];
    KeyManager[] keys = args[2].equals("-") ? null : keys(Path.of(args[2]), args[3].toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keys, new TrustManager[] {new TrustAll()}, null);
    List<String> supported = Arrays.asList(ctx.getSupportedSSLParameters().getCipherSuites());
    for (int i = 4; i < args.length; i++) {
      String label = args[i].substring(0, args[i].indexOf('='));
      List<String> suites = new ArrayList<>();
      for (String s : args[i].substring(args[i].indexOf('=') + 1).split(",")) {
        if (supported.contains(s)) {
          suites.add(s);
        }
      }
      if (suites.isEmpty()) {
        System.out.println(label + " CANNOT_OFFER");
        continue;
      }
      try (Socket plain = new Socket("127.0.0.1", port)) {
        plain.setSoTimeout(10_000);
        preamble(plain, starttls);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "127.0.0.1", port, false);
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.setEnabledCipherSuites(suites.toArray(String[]::new));
        s.startHandshake();
        System.out.println(label + " ACCEPTED " + s.getSession().getCipherSuite());
      } catch (javax.net.ssl.SSLHandshakeException e) {
        String m = String.valueOf(e.getMessage());
        System.out.println(label + (m.contains("No appropriate protocol") ? " CANNOT_OFFER" : " REFUSED " + m));
      } catch (Exception e) {
        System.out.println(label + " REFUSED " + e);
      }
    }
  }

  private static void preamble(Socket s, String starttls) throws Exception {
    if (starttls.equals("none")) {
      return;
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    Writer out = new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
    if (starttls.equals("smtp")) {
      smtp(in);
      out.write("EHLO probe.test\r\n");
      out.flush();
      smtp(in);
      out.write("STARTTLS\r\n");
      out.flush();
      String r = smtp(in);
      if (!r.startsWith("220")) {
        throw new IllegalStateException("STARTTLS refused: " + r);
      }
    } else {
      in.readLine();
      out.write("p1 STARTTLS\r\n");
      out.flush();
      String line;
      while ((line = in.readLine()) != null && !line.startsWith("p1 ")) {
        // untagged lines
      }
      if (line == null || !line.startsWith("p1 OK")) {
        throw new IllegalStateException("STARTTLS refused: " + line);
      }
    }
  }

  private static String smtp(BufferedReader in) throws Exception {
    String line;
    do {
      line = in.readLine();
    } while (line != null && line.length() > 3 && line.charAt(3) == '-');
    return String.valueOf(line);
  }

  private static KeyManager[] keys(Path p12, char[] password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(p12)) {
      ks.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    return kmf.getKeyManagers();
  }

  /** Serves every supported suite on TLS 1.2, one handshake at a time; prints its port first. */
  private static void control(Path p12, char[] password) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keys(p12, password), null, null);
    try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress())) {
      server.setEnabledProtocols(new String[] {"TLSv1.2"});
      server.setEnabledCipherSuites(ctx.getSupportedSSLParameters().getCipherSuites());
      System.out.println(server.getLocalPort());
      System.out.flush();
      while (true) {
        try (SSLSocket s = (SSLSocket) server.accept()) {
          s.setSoTimeout(5_000);
          s.startHandshake();
        } catch (Exception e) {
          // a refused handshake is the probe's business
        }
      }
    }
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
