package org.pont.transport;

/**
 * The server could not be reached, or the connection timed out or dropped mid-operation. Retryable:
 * a sync interrupted this way resumes from its last checkpoint on the next call.
 */
public final class ServerUnreachableException extends TransportException {
  private static final long serialVersionUID = 1L;

  public ServerUnreachableException(String message, Throwable cause) {
    super(Reason.UNREACHABLE, message, cause);
  }
}
