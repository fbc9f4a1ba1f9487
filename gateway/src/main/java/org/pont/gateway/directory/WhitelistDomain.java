package org.pont.gateway.directory;

import java.time.Instant;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * One {@code Domaine} of the whitelist: an MSSanté domain and the operator that serves it.
 *
 * @param name the domain, lower case
 * @param operatorDn the subject DN the operator's mTLS certificate must carry
 */
public record WhitelistDomain(
    String name,
    String description,
    X500Principal operatorDn,
    String responsibleContact,
    String supportContact,
    Optional<Instant> updated) {}
