package org.pont.gateway.mailet;

import java.util.Locale;
import org.pont.gateway.directory.ReloadingWhitelist;

/**
 * The trust space as the policy mailets see it: the gateway's own domain, every domain of the
 * MSSanté whitelist file, and the domains of the older {@code trusted-domains.txt} list (still
 * written by the REST administration). Mail over the operator port is further held to the
 * whitelist's operator DN before it gets here ({@code OperatorDnCheck}); a domain known only from
 * {@code trusted-domains.txt} therefore cannot send over mTLS, it only passes this From check.
 */
public final class WhitelistTrustedDomains implements TrustedDomains {

  private final String own;
  private final ReloadingWhitelist whitelist;
  private final TrustedDomains extra;

  public WhitelistTrustedDomains(String ownDomain, ReloadingWhitelist whitelist, TrustedDomains extra) {
    this.own = ownDomain.strip().toLowerCase(Locale.ROOT);
    this.whitelist = whitelist;
    this.extra = extra;
  }

  @Override
  public boolean isTrusted(String domain) {
    if (domain == null || domain.isBlank()) {
      return false;
    }
    String d = domain.strip().toLowerCase(Locale.ROOT);
    return d.equals(own) || whitelist.current().isTrusted(d) || extra.isTrusted(d);
  }
}
