package org.pont.gateway.mailet;

/**
 * Which sender domains the gateway accepts mail from (the MSSanté whitelist's role). The
 * directory's whitelist loader will implement it; until then {@link FileTrustedDomains} does.
 * Implementations are thread-safe: mailets ask concurrently.
 */
public interface TrustedDomains {

  /** True when mail from {@code domain} (lower or upper case) may be accepted. */
  boolean isTrusted(String domain);
}
