package org.pont.gateway.james.smtp;

import java.util.Collection;
import java.util.List;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * Submission is for authenticated users only: without it, James would take unauthenticated mail
 * for local mailboxes on the submission port as if it were an MX. Listed after
 * {@link MailRequiresTlsHandler} in the submission listener's handler chain.
 */
public final class MailRequiresAuthHandler implements CommandHandler<SMTPSession> {

  // RFC 4954: 530 "Authentication required".
  private static final Response AUTH_REQUIRED =
      new SMTPResponse("530", "5.7.0 Authentication required").immutable();

  @Override
  public Response onCommand(SMTPSession session, Request request) {
    return session.getUsername() != null ? null : AUTH_REQUIRED;
  }

  @Override
  public Collection<String> getImplCommands() {
    return List.of("MAIL");
  }
}
