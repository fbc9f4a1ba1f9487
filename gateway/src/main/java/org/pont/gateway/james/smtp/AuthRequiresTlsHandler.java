package org.pont.gateway.james.smtp;

import java.util.Collection;
import java.util.List;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * Refuses SMTP AUTH before STARTTLS. James 3.8.1's {@code <requireSSL>} only hides AUTH from the
 * EHLO reply: its AUTH handler still accepts credentials in clear text. Listed first in each
 * handler chain, this handler answers AUTH on a clear connection itself and lets James's handler
 * run once TLS is up (a {@code null} response passes the command on).
 */
public final class AuthRequiresTlsHandler implements CommandHandler<SMTPSession> {

  // RFC 4954: 538 "Encryption required for requested authentication mechanism".
  private static final Response ENCRYPTION_REQUIRED =
      new SMTPResponse("538", "5.7.11 Encryption required: issue STARTTLS before AUTH").immutable();

  @Override
  public Response onCommand(SMTPSession session, Request request) {
    return session.isTLSStarted() ? null : ENCRYPTION_REQUIRED;
  }

  @Override
  public Collection<String> getImplCommands() {
    return List.of("AUTH");
  }
}
