package org.pont.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.pont.certs.Credential;

/**
 * GreenMail speaks TLS only on its SMTPS/IMAPS ports; this loopback front offers STARTTLS (SMTP or
 * IMAP) with the test PKI's server certificate, then relays the protected session to GreenMail's
 * clear-text port — so a client's STARTTLS path is tested with certificate checks on.
 */
final class StartTlsFront implements AutoCloseable {
  enum Protocol { SMTP, IMAP }

  private final Protocol protocol;
  private final int backendPort;
  private final ServerSocket server;
  private final SSLSocketFactory tls;
  private volatile boolean open = true;

  private final boolean needClientAuth;

  StartTlsFront(Protocol protocol, int backendPort, Credential serverCredential) throws Exception {
    this(protocol, backendPort, serverCredential, java.util.List.of());
  }

  /** A front that also demands a client certificate issued under one of {@code clientAnchors} (mutual TLS). */
  StartTlsFront(Protocol protocol, int backendPort, Credential serverCredential,
      java.util.List<java.security.cert.X509Certificate> clientAnchors) throws Exception {
    this.protocol = protocol;
    this.needClientAuth = !clientAnchors.isEmpty();
    this.backendPort = backendPort;
    char[] pw = "front".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", serverCredential.privateKey(), pw, serverCredential.chain().toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    javax.net.ssl.TrustManager[] tms = null;
    if (needClientAuth) {
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      int i = 0;
      for (java.security.cert.X509Certificate c : clientAnchors) {
        anchors.setCertificateEntry("a" + i++, c);
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(anchors);
      tms = tmf.getTrustManagers();
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tms, null);
    this.tls = ctx.getSocketFactory();
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "test-starttls-front");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (open) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> serve(client), "test-starttls-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client; Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
      readLine(backend.getInputStream()); // the backend's greeting: the client already got ours
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      write(out, protocol == Protocol.SMTP ? "220 localhost ESMTP test front\r\n" : "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] front\r\n");
      while (true) {
        String line = readLine(in);
        if (line == null) {
          return;
        }
        String upper = line.toUpperCase(Locale.ROOT);
        if (protocol == Protocol.SMTP) {
          if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
            write(out, "250-localhost\r\n250 STARTTLS\r\n");
          } else if (upper.startsWith("STARTTLS")) {
            write(out, "220 2.0.0 Ready to start TLS\r\n");
            break;
          } else if (upper.startsWith("QUIT")) {
            write(out, "221 bye\r\n");
            return;
          } else {
            write(out, "530 5.7.0 Must issue a STARTTLS command first\r\n");
          }
        } else {
          String tag = line.split(" ", 2)[0];
          if (upper.contains(" CAPABILITY")) {
            write(out, "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n" + tag + " OK done\r\n");
          } else if (upper.contains(" STARTTLS")) {
            write(out, tag + " OK Begin TLS negotiation now\r\n");
            break;
          } else if (upper.contains(" LOGOUT")) {
            write(out, "* BYE\r\n" + tag + " OK bye\r\n");
            return;
          } else {
            write(out, tag + " BAD STARTTLS first\r\n");
          }
        }
      }
      SSLSocket secure = (SSLSocket) tls.createSocket(client, null, true);
      secure.setUseClientMode(false);
      secure.setNeedClientAuth(needClientAuth);
      secure.startHandshake();
      Thread up = new Thread(() -> pump(secure, backend), "test-starttls-up");
      up.setDaemon(true);
      up.start();
      pump(backend, secure);
      up.join(5000);
    } catch (IOException | InterruptedException e) {
      // the client went away or refused our certificate
    }
  }

  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // closed
    } finally {
      try {
        to.close();
      } catch (IOException e) {
        // closed
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        return line.toString(StandardCharsets.US_ASCII).strip();
      }
      line.write(b);
    }
    return null;
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    open = false;
    server.close();
  }
}
