package org.pont.gateway.james;

/** The ports James's listeners are bound to. */
public record BoundPorts(int smtp, int submission, int imap, int imaps) {}
