package org.pont.transport;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.StoreClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Properties;
import javax.net.ssl.SSLException;

/** Builds Angus Mail sessions from typed settings and turns Jakarta Mail failures into Pont's. */
final class MailSessions {
  /** The most of a message body held in memory at once while downloading it. */
  static final int FETCH_BLOCK_BYTES = 1024 * 1024;

  private MailSessions() {}

  /** A session for {@code smtp} or {@code imap}; the string-keyed properties never leave this class. */
  static Session session(String protocol, ServerSettings s) {
    return session(protocol, s, MailCredentials.Mechanism.PASSWORD);
  }

  /** The same, logging in with the given mechanism (XOAUTH2 disables every other one). */
  static Session session(String protocol, ServerSettings s, MailCredentials.Mechanism mechanism) {
    String p = "mail." + protocol + ".";
    Properties props = new Properties();
    props.put(p + "host", s.host());
    props.put(p + "port", Integer.toString(s.port()));
    props.put(p + "connectiontimeout", Long.toString(s.connectTimeout().toMillis()));
    props.put(p + "timeout", Long.toString(s.readTimeout().toMillis()));
    props.put(p + "writetimeout", Long.toString(s.readTimeout().toMillis()));
    props.put(p + "ssl.socketFactory", s.trust().socketFactory(s.clientCertificate()));
    if (mechanism == MailCredentials.Mechanism.XOAUTH2) {
      props.put(p + "auth.mechanisms", "XOAUTH2");
      props.put(p + "auth.login.disable", "true");
      props.put(p + "auth.plain.disable", "true");
    }
    props.put(p + "ssl.checkserveridentity", "true");
    props.put(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
    if (s.tls() == TlsMode.IMPLICIT) {
      props.put(p + "ssl.enable", "true");
    } else {
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    }
    if (protocol.equals("smtp")) {
      props.put(p + "auth", "true");
    } else {
      // Stream bodies in 1 MB pieces rather than one FETCH BODY[] held whole in memory.
      props.put(p + "partialfetch", "true");
      props.put(p + "fetchsize", Integer.toString(FETCH_BLOCK_BYTES));
      props.put(p + "peek", "true"); // syncing must not mark messages as read
    }
    return Session.getInstance(props);
  }

  /** Maps a Jakarta Mail failure onto the exception a caller can act on. */
  static TransportException map(String action, ServerSettings s, Exception e) {
    String where = " (" + action + " " + s.address() + ")";
    if (e instanceof AuthenticationFailedException) {
      return new AuthenticationException("the server refused the login" + where + ": " + e.getMessage(), e);
    }
    if (e instanceof SendFailedException) {
      return new TransportException(TransportException.Reason.REJECTED, "the server refused the message" + where + ": " + e.getMessage(), e);
    }
    String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof CertificateException) {
        return new TlsException("TLS with the server failed" + where + ": " + rootMessage(t), e);
      }
    }
    if (text.contains("starttls")) {
      return new TlsException("the server does not offer STARTTLS, which is required" + where, e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException || t instanceof SocketException
          || t instanceof FolderClosedException || t instanceof StoreClosedException
          || t instanceof java.io.EOFException || t instanceof org.eclipse.angus.mail.iap.ConnectionException) {
        return new ServerUnreachableException("the server is unreachable or dropped the connection" + where + ": " + rootMessage(t), e);
      }
    }
    if (e instanceof MessagingException me && me.getNextException() instanceof IOException io) {
      return new ServerUnreachableException("I/O failure talking to the server" + where + ": " + rootMessage(io), e);
    }
    return new TransportException(TransportException.Reason.PROTOCOL, "the server could not be used" + where + ": " + e.getMessage(), e);
  }

  private static String rootMessage(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
  }
}
