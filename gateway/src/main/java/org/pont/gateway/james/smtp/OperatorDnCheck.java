package org.pont.gateway.james.smtp;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.pont.gateway.audit.AuditEvent;
import org.pont.gateway.audit.AuditLog;
import org.pont.gateway.directory.ReloadingWhitelist;
import org.pont.gateway.directory.Whitelist;
import org.pont.gateway.directory.WhitelistDomain;
import org.pont.gateway.relay.PeerRevocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator port, at MAIL FROM: the peer's TLS client certificate (already chained to the trust
 * anchors by the listener) must carry a subject DN the whitelist publishes as
 * {@code DNCertificatOperateur} for the sender's domain. DNs are compared as X.500 names, not
 * strings. A null sender ({@code <>}, a DSN or MDN) names no domain, so any whitelisted
 * operator's DN is accepted for it. Refusals answer {@code 550 5.7.1} with the reason, and are
 * logged and written to the audit trail as {@code PEER_REFUSED} (domain and DN only: an envelope
 * carries no patient data).
 */
public final class OperatorDnCheck implements MailHook {

  static final String REASON = "OPERATOR_DN_MISMATCH";
  private static final Logger LOG = LoggerFactory.getLogger(OperatorDnCheck.class);

  static final String REVOKED = "OPERATOR_CERTIFICATE_REVOKED";

  private final ReloadingWhitelist whitelist;
  private final AuditLog audit;
  private final PeerRevocation revocation;

  @Inject
  public OperatorDnCheck(ReloadingWhitelist whitelist, AuditLog audit, PeerRevocation revocation) {
    this.whitelist = whitelist;
    this.audit = audit;
    this.revocation = revocation;
  }

  @Override
  public HookResult doMail(SMTPSession session, MaybeSender sender) {
    Optional<X500Principal> peer = peerSubject(session);
    String senderText = sender.asString("<>");
    if (peer.isEmpty()) {
      return refuse(session, senderText, "(none)", "no TLS client certificate was presented");
    }
    // James's TLS checked the chain to the anchors; revocation is checked here, by the trust
    // space's CRLs, failing closed (ADR 0011).
    try {
      revocation.check(peerChain(session));
    } catch (java.security.cert.CertificateException e) {
      return refuse(session, senderText, peer.get().getName(), e.getMessage(), REVOKED);
    }
    Whitelist current = whitelist.current();
    if (sender.isNullSender()) {
      String canonical = peer.get().getName(X500Principal.CANONICAL);
      boolean anyOperator = current.entries().stream().map(WhitelistDomain::operatorDn)
          .anyMatch(dn -> dn.getName(X500Principal.CANONICAL).equals(canonical));
      return anyOperator ? HookResult.DECLINED
          : refuse(session, senderText, peer.get().getName(), "the certificate subject " + peer.get().getName()
              + " is no operator of the whitelist (null sender)");
    }
    String domain = sender.get().getDomain().asString();
    if (current.isOperatorOf(domain, peer.get())) {
      return HookResult.DECLINED; // the next hooks and James's own checks decide
    }
    String why = current.isTrusted(domain)
        ? "the certificate subject " + peer.get().getName() + " is not the operator the whitelist publishes for " + domain
        : "the domain " + domain + " is not in the whitelist";
    return refuse(session, senderText, peer.get().getName(), why);
  }

  private HookResult refuse(SMTPSession session, String sender, String dn, String why) {
    return refuse(session, sender, dn, why, REASON);
  }

  private HookResult refuse(SMTPSession session, String sender, String dn, String why, String reason) {
    LOG.warn("Operator port refused MAIL FROM:<{}> from {} (certificate {}): {}", sender,
        session.getRemoteAddress(), dn, why);
    audit.record(new AuditEvent(Instant.now(), AuditEvent.Type.PEER_REFUSED, Optional.empty(), sender, List.of(),
        List.of(), Optional.empty(), Optional.of(reason + ": " + why)));
    return HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode("550")
        .smtpDescription("5.7.1 Operator not authorised: " + why)
        .build();
  }

  private static X509Certificate[] peerChain(SMTPSession session) {
    try {
      Certificate[] chain = session.getSSLSession().orElseThrow().getPeerCertificates();
      X509Certificate[] out = new X509Certificate[chain.length];
      for (int i = 0; i < chain.length; i++) {
        out[i] = (X509Certificate) chain[i];
      }
      return out;
    } catch (SSLPeerUnverifiedException | ClassCastException | java.util.NoSuchElementException e) {
      return new X509Certificate[0];
    }
  }

  private static Optional<X500Principal> peerSubject(SMTPSession session) {
    Optional<SSLSession> ssl = session.getSSLSession();
    if (ssl.isEmpty()) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = ssl.get().getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
        return Optional.of(leaf.getSubjectX500Principal());
      }
      return Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }
}
