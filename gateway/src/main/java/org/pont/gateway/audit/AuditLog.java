package org.pont.gateway.audit;

import java.util.List;

/**
 * The append-only trail of message events. {@link #record} is called concurrently by mailets and
 * must never lose an event it returned from; {@link #query} is for the REST API and operators.
 */
public interface AuditLog {

  /** Appends one event. */
  void record(AuditEvent event);

  /** The events matching the query, oldest first. */
  List<AuditEvent> query(AuditQuery query);
}
