package org.pont.gateway.james.smtp;

import java.util.Collection;
import java.util.List;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * No mail transaction on a clear connection. James accepts MAIL without STARTTLS even where the
 * listener requires a client certificate (the certificate is only asked for during STARTTLS), so
 * without this a peer could skip TLS and with it the operator check. First in the handler chain;
 * a {@code null} response passes MAIL on to James once TLS is up.
 */
public final class MailRequiresTlsHandler implements CommandHandler<SMTPSession> {

  // RFC 3207: 530 "Must issue a STARTTLS command first".
  private static final Response STARTTLS_FIRST =
      new SMTPResponse("530", "5.7.0 Must issue a STARTTLS command first").immutable();

  @Override
  public Response onCommand(SMTPSession session, Request request) {
    return session.isTLSStarted() ? null : STARTTLS_FIRST;
  }

  @Override
  public Collection<String> getImplCommands() {
    return List.of("MAIL");
  }
}
