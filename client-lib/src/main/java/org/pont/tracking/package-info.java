/**
 * Delivery tracking: DSN (RFC 3461/3464), MDN (RFC 8098) and the ANS integration acknowledgement.
 *
 * <ul>
 *   <li>Requesting: {@link org.pont.tracking.ReceiptRequests#requestMdn} and
 *       {@link org.pont.tracking.DsnRequest#applyTo} (NOTIFY, RET, ENVID on an Angus {@code SMTPMessage}).
 *   <li>Building: {@link org.pont.tracking.MdnBuilder} (read receipts, {@code processed},
 *       {@code processed/Error: code^label}) and {@link org.pont.tracking.DsnBuilder}; both refuse to
 *       answer what {@link org.pont.tracking.LoopPrevention#mayNotify} forbids.
 *   <li>Parsing: {@link org.pont.tracking.NotificationParser#parse} gives an
 *       {@link org.pont.tracking.Notification} ({@code Mdn}, {@code Dsn} or {@code Unparseable}); it never throws.
 *   <li>Status: {@link org.pont.tracking.Timeline} per message and recipient, a pure reducer over
 *       {@link org.pont.tracking.DeliveryEvent}s, kept in a {@link org.pont.tracking.TimelineStore}.
 * </ul>
 *
 * <pre>{@code
 * store.accepted(messageId, "dr.martin@cabinet.test", now);              // on send
 * NotificationParser.parse(received).ifPresent(n -> store.record(n, now)); // on every received message
 * store.applyTimeouts(now, TimeoutPolicy.integratedWithin(Duration.ofHours(24))); // from a scheduler
 * }</pre>
 *
 * Decisions: {@code docs/adr/0006-delivery-tracking.md}.
 */
package org.pont.tracking;
