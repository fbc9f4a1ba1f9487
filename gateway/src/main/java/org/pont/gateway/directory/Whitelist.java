package org.pont.gateway.directory;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/**
 * The MSSanté whitelist (liste blanche): the domains mail may come from or go to, and the
 * operator certificate DNs each one's mTLS peer may present. Immutable; safe to share between
 * threads. Load it with {@link WhitelistLoader}.
 *
 * <p>A domain may appear in several {@code Domaine} elements, one per operator SMTP server (the
 * real March 2025 snapshot has 619 elements for 516 domains, {@code 15-20.mssante.fr} with five
 * DNs), so a domain has a <em>set</em> of operator DNs and a peer matching any of them is its
 * operator.
 */
public final class Whitelist {
  private final Instant generated;
  private final List<WhitelistDomain> entries;
  private final Map<String, List<WhitelistDomain>> byDomain;
  private final List<String> warnings;

  Whitelist(Instant generated, List<WhitelistDomain> entries, List<String> warnings) {
    this.generated = generated;
    this.entries = List.copyOf(entries);
    Map<String, List<WhitelistDomain>> m = entries.stream().collect(
        Collectors.groupingBy(WhitelistDomain::name, LinkedHashMap::new, Collectors.toUnmodifiableList()));
    this.byDomain = Map.copyOf(m);
    this.warnings = List.copyOf(warnings);
  }

  /** Whether mail from or to {@code domain} (case-insensitive, trailing dot ignored) is allowed. */
  public boolean isTrusted(String domain) {
    return !entries(domain).isEmpty();
  }

  /** The published entries for {@code domain} (one per operator server); empty if not whitelisted. */
  public List<WhitelistDomain> entries(String domain) {
    if (domain == null) {
      return List.of();
    }
    String d = domain.strip().toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    return byDomain.getOrDefault(d, List.of());
  }

  /** The first published entry for {@code domain}, if whitelisted. */
  public Optional<WhitelistDomain> domain(String domain) {
    return entries(domain).stream().findFirst();
  }

  /**
   * The DNs the operator of {@code domain} may present in operator-to-operator mTLS; empty when
   * the domain is not whitelisted.
   */
  public Set<X500Principal> operatorDns(String domain) {
    return entries(domain).stream().map(WhitelistDomain::operatorDn)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /**
   * Whether {@code peer} (the mTLS peer certificate's subject) is one of the operators published
   * for {@code domain}; DNs are compared as X.500 names in canonical form, not as strings.
   */
  public boolean isOperatorOf(String domain, X500Principal peer) {
    if (peer == null) {
      return false;
    }
    String canonical = peer.getName(X500Principal.CANONICAL);
    return operatorDns(domain).stream().anyMatch(dn -> dn.getName(X500Principal.CANONICAL).equals(canonical));
  }

  /** Number of distinct domains. */
  public int size() {
    return byDomain.size();
  }

  /** Number of {@code Domaine} elements (a domain served by several operator servers counts once per server). */
  public int entryCount() {
    return entries.size();
  }

  /** {@code DateDeGeneration}. */
  public Instant generated() {
    return generated;
  }

  /** All entries in document order. */
  public Collection<WhitelistDomain> entries() {
    return entries;
  }

  /** What the loader accepted with reservation (e.g. a truncated file recovered); empty if none. */
  public List<String> warnings() {
    return warnings;
  }
}
