package org.pont.smime;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSignerInfoVerifierBuilder;
import org.bouncycastle.mail.smime.SMIMESigned;
import org.bouncycastle.mail.smime.SMIMESignedParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.Store;

/**
 * Checks S/MIME signatures (multipart/signed and opaque signed-data) against configured trust
 * anchors and returns a {@link SignatureVerdict}; it never throws on bad input. Checks, in order:
 * structure, signer certificate present, validity at signing time, key usage, content integrity and
 * signature value, chain to a trust anchor, revocation by CRL, and that the certificate names the
 * From address (or, for an organisation certificate, its domain). Thread-safe.
 */
public final class SmimeVerifier {
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final int CACHE_SIZE = 1024;

  private final TrustAnchors trust;
  private final RevocationPolicy revocation;
  private final Clock clock;
  private final Map<X500Principal, List<X509CRL>> crlsByIssuer;
  // Chains already built, keyed by leaf: PKIX building costs far more than the signature check,
  // and a mailbox sees the same few signers again and again. Dates are re-checked on every hit.
  private final Map<X509Certificate, List<X509Certificate>> chainCache = lru();
  // The signer's certificate as carried (DER) → decoded certificate and BC verifier. Decoding the
  // certificate and building the verifier cost about a tenth of a 10 KB verification; both are
  // pure functions of the certificate's bytes, so reusing them skips no check.
  private final Map<X509CertificateHolder, Signer> signerCache = lru();

  private record Signer(X509Certificate cert, SignerInformationVerifier verifier) {}

  private static <K, V> Map<K, V> lru() {
    return java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> e) {
        return size() > CACHE_SIZE;
      }
    });
  }

  private SmimeVerifier(TrustAnchors trust, RevocationPolicy revocation, Clock clock) {
    this.trust = Objects.requireNonNull(trust, "trust");
    this.revocation = Objects.requireNonNull(revocation, "revocation");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.crlsByIssuer = trust.verifiedCrlsByIssuer();
  }

  /** A verifier that requires a current CRL for every certificate of the chain. */
  public static SmimeVerifier of(TrustAnchors trust) {
    return new SmimeVerifier(trust, RevocationPolicy.REQUIRE_CRL, Clock.systemUTC());
  }

  public SmimeVerifier withRevocationPolicy(RevocationPolicy policy) {
    return new SmimeVerifier(trust, policy, clock);
  }

  public SmimeVerifier withClock(Clock c) {
    return new SmimeVerifier(trust, revocation, c);
  }

  /** The result of {@link #verifyAndUnwrap}: the verdict and the content that was signed. */
  public record Verified(SignatureVerdict verdict, MimeMessage content) {}

  /** Checks the message's signature. */
  public SignatureVerdict verify(MimeMessage message) {
    return check(message, false).verdict();
  }

  /**
   * Checks the signature and returns the signed content as a message (the envelope headers around
   * the signed entity). For an unsigned or unreadable message the content is the message itself.
   */
  public Verified verifyAndUnwrap(MimeMessage message) {
    return check(message, true);
  }

  /** With {@code unwrap} false only the verdict is wanted: the signed content is not copied out. */
  private Verified check(MimeMessage message, boolean unwrap) {
    File backing = null;
    try {
      String type = MimeSupport.baseType(message);
      SMIMESignedParser parser = null;
      BodyPart detachedContent = null;
      SignatureVerdict verdict;
      if (type.equals("multipart/signed")) {
        Object content = message.getContent();
        if (!(content instanceof MimeMultipart mp) || mp.getCount() != 2) {
          return new Verified(SignatureVerdict.failure(VerdictReason.MALFORMED,
              "multipart/signed must hold exactly the content and the signature"), message);
        }
        detachedContent = mp.getBodyPart(0);
        // First over the signed part's bytes as received (what the unwrapped message is written
        // from, so what is checked is what is delivered): one bulk write into the digest. Bouncy
        // Castle's own path (SMIMESigned) re-serialises the part through its canonicaliser, parsing
        // nested multiparts again and feeding the digest a byte at a time: 5x the cost of signing at
        // 1 MB. It still decides whenever the bytes as received do not match (e.g. a message
        // stored with bare LF line ends, which it canonicalises to CRLF), so nothing it accepted is
        // refused; a tampered message fails both.
        CMSSignedData raw = new CMSSignedData(new PartAsReceived(detachedContent), mp.getBodyPart(1).getInputStream());
        verdict = checkSigners(raw.getSignerInfos(), raw.getCertificates(), message);
        if (verdict.reason() == VerdictReason.CONTENT_TAMPERED) {
          // SMIMESigned, not SMIMESignedParser: the parser first copies the signed part into a
          // temporary file (byte by byte) and reads it back; SMIMESigned digests the part straight
          // from the message when the signature is checked and holds only the signature part.
          SMIMESigned signed = new SMIMESigned(mp, "7bit");
          verdict = checkSigners(signed.getSignerInfos(), signed.getCertificates(), message);
        }
      } else if ((type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime"))
          && "signed-data".equals(SmimeDecryptor.smimeType(message))) {
        backing = Files.createTempFile("pont-signed-", ".eml").toFile();
        parser = new SMIMESignedParser(digests(), message, backing);
        // The parser has already streamed the encapsulated content through the digests.
        verdict = checkSigners(parser.getSignerInfos(), parser.getCertificates(), message);
      } else {
        return new Verified(SignatureVerdict.failure(VerdictReason.NOT_SIGNED,
            "the message is not S/MIME signed (Content-Type " + type + ")"), message);
      }
      if (!unwrap) {
        return new Verified(verdict, message);
      }
      SpillBuffer out = new SpillBuffer();
      SmimeDecryptor.writeEnvelopeHeaders(message, out);
      if (detachedContent != null) {
        detachedContent.writeTo(out);
      } else {
        parser.getContent().writeTo(out);
      }
      return new Verified(verdict, out.toMessage());
    } catch (CMSException | MessagingException | IOException | org.bouncycastle.mail.smime.SMIMEException
        | RuntimeException e) {
      return new Verified(SignatureVerdict.failure(VerdictReason.MALFORMED,
          "the signature cannot be read (truncated, bad base64, or not CMS): " + rootMessage(e)), message);
    } finally {
      if (backing != null) {
        backing.delete();
      }
    }
  }

  private SignatureVerdict checkSigners(SignerInformationStore signerInfos, Store<X509CertificateHolder> carried,
      MimeMessage message) throws CMSException, MessagingException {
    Collection<SignerInformation> signers = signerInfos.getSigners();
    if (signers.isEmpty()) {
      return SignatureVerdict.failure(VerdictReason.MALFORMED, "the signature names no signer");
    }
    SignatureVerdict first = null;
    for (SignerInformation signer : signers) {
      SignatureVerdict v = checkSigner(signer, carried, message);
      if (!v.isValid()) {
        return v; // every signer must hold: one bad signature spoils the message
      }
      if (first == null) {
        first = v;
      }
    }
    return first;
  }

  @SuppressWarnings("unchecked")
  private SignatureVerdict checkSigner(SignerInformation signer, Store<X509CertificateHolder> carried, MimeMessage message) {
    Collection<X509CertificateHolder> matches = carried.getMatches(signer.getSID());
    if (matches.isEmpty()) {
      return SignatureVerdict.failure(VerdictReason.SIGNER_CERTIFICATE_MISSING,
          "the signature does not carry the signer's certificate: ask the sender to include it");
    }
    Signer known;
    try {
      known = signer(matches.iterator().next());
    } catch (CertificateException | OperatorCreationException e) {
      return SignatureVerdict.failure(VerdictReason.MALFORMED, "the signer's certificate cannot be decoded: " + e.getMessage());
    }
    X509Certificate cert = known.cert();
    Instant now = clock.instant();
    Optional<Instant> signingTime = signingTime(signer);
    Instant at = signingTime.orElse(now);
    if (at.isAfter(now.plus(CLOCK_SKEW))) {
      return SignatureVerdict.failure(VerdictReason.NOT_YET_VALID,
          "the signing time " + at + " lies in the future: the sender's clock is wrong or the time was forged", cert, at);
    }
    Date atDate = Date.from(at);
    if (atDate.after(cert.getNotAfter())) {
      return SignatureVerdict.failure(VerdictReason.EXPIRED, "signer certificate " + Certificates.describe(cert) + " expired on "
          + Certificates.day(cert.getNotAfter()) + ", before the message was signed (" + at + ")", cert, at);
    }
    if (atDate.before(cert.getNotBefore())) {
      return SignatureVerdict.failure(VerdictReason.NOT_YET_VALID, "signer certificate " + Certificates.describe(cert) + " is valid only from "
          + Certificates.day(cert.getNotBefore()) + ", after the message was signed (" + at + ")", cert, at);
    }
    if (!Certificates.allowsMailSignature(cert)) {
      return SignatureVerdict.failure(VerdictReason.WRONG_KEY_USAGE, "certificate " + Certificates.describe(cert)
          + " is not a mail signature certificate (keyUsage digitalSignature/nonRepudiation, EKU emailProtection)", cert, at);
    }
    try {
      boolean ok = signer.verify(known.verifier());
      if (!ok) {
        return SignatureVerdict.failure(VerdictReason.SIGNATURE_INVALID,
            "the signature value does not verify with " + Certificates.describe(cert) + ": forged or corrupted", cert, at);
      }
    } catch (CMSSignerDigestMismatchException e) {
      return SignatureVerdict.failure(VerdictReason.CONTENT_TAMPERED,
          "the content was changed after it was signed: do not trust it, ask the sender to resend", cert, at);
    } catch (CMSVerifierCertificateNotValidException e) {
      return SignatureVerdict.failure(VerdictReason.EXPIRED, "signer certificate " + Certificates.describe(cert) + " was not valid at signing time", cert, at);
    } catch (CMSException | RuntimeException e) {
      return SignatureVerdict.failure(VerdictReason.SIGNATURE_INVALID,
          "the signature does not verify with " + Certificates.describe(cert) + ": " + rootMessage(e), cert, at);
    }
    List<X509Certificate> chain;
    try {
      chain = chain(cert, carried, atDate);
    } catch (GeneralSecurityException e) {
      return SignatureVerdict.failure(VerdictReason.UNTRUSTED, "signer certificate " + Certificates.describe(cert)
          + " does not chain to a trusted authority (issuer '" + cert.getIssuerX500Principal().getName() + "'): "
          + rootMessage(e), cert, at);
    }
    SignatureVerdict revoked = checkRevocation(chain, cert, at, now);
    if (revoked != null) {
      return revoked;
    }
    return bind(cert, message, at);
  }

  private SignatureVerdict bind(X509Certificate cert, MimeMessage message, Instant at) {
    String from;
    try {
      Address[] addresses = message.getFrom();
      if (addresses == null || addresses.length == 0 || !(addresses[0] instanceof InternetAddress ia)) {
        return SignatureVerdict.failure(VerdictReason.SIGNER_MISMATCH, "the message has no From address to match the signer against", cert, at);
      }
      from = ia.getAddress().toLowerCase(Locale.ROOT);
    } catch (MessagingException e) {
      return SignatureVerdict.failure(VerdictReason.SIGNER_MISMATCH, "the From header cannot be read: " + e.getMessage(), cert, at);
    }
    List<String> emails = Certificates.emailAddresses(cert);
    if (emails.contains(from)) {
      return new SignatureVerdict(VerdictReason.VALID, "signed by " + from, Optional.of(cert), Optional.of(from),
          Optional.of(at), SignerBinding.ADDRESS);
    }
    String domain = from.substring(from.lastIndexOf('@') + 1);
    if (emails.isEmpty() && Certificates.dnsNames(cert).contains(domain)) {
      return new SignatureVerdict(VerdictReason.VALID, "signed by the organisation of " + domain + " for " + from,
          Optional.of(cert), Optional.of(from), Optional.of(at), SignerBinding.DOMAIN);
    }
    List<String> named = emails.isEmpty() ? Certificates.dnsNames(cert) : emails;
    return SignatureVerdict.failure(VerdictReason.SIGNER_MISMATCH, "the message is from " + from
        + " but was signed with a certificate for " + (named.isEmpty() ? "no address" : String.join(", ", named)), cert, at);
  }

  private Signer signer(X509CertificateHolder holder) throws CertificateException, OperatorCreationException {
    Signer known = signerCache.get(holder);
    if (known == null) {
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
      known = new Signer(cert, new JcaSignerInfoVerifierBuilder(DIGESTS).setProvider(Bc.PROVIDER).build(cert));
      signerCache.put(holder, known);
    }
    return known;
  }

  /** The carried certificates are decoded only when the chain is not cached yet. */
  private List<X509Certificate> chain(X509Certificate leaf, Store<X509CertificateHolder> carried, Date at)
      throws GeneralSecurityException {
    List<X509Certificate> cached = chainCache.get(leaf);
    if (cached != null) {
      for (X509Certificate c : cached) {
        c.checkValidity(at);
      }
      return cached;
    }
    X509CertSelector target = new X509CertSelector();
    target.setCertificate(leaf);
    PKIXBuilderParameters params = new PKIXBuilderParameters(trust.pkixAnchors(), target);
    params.setRevocationEnabled(false); // CRLs are checked below, with reasons of our own
    params.setDate(at);
    List<Certificate> pool = new ArrayList<>(trust.intermediates());
    JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
    for (X509CertificateHolder h : carried.getMatches(null)) {
      pool.add(conv.getCertificate(h));
    }
    pool.add(leaf);
    params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
    try {
      PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
      List<X509Certificate> path = new ArrayList<>();
      for (Certificate c : result.getCertPath().getCertificates()) {
        path.add((X509Certificate) c);
      }
      path.add(result.getTrustAnchor().getTrustedCert());
      List<X509Certificate> chain = List.copyOf(path);
      chainCache.put(leaf, chain);
      return chain;
    } catch (CertPathBuilderException e) {
      throw new GeneralSecurityException(e.getMessage() == null ? "no path to a trust anchor" : e.getMessage(), e);
    }
  }

  /** Null when no certificate of the chain (anchor excluded) is revoked or of unknown status. */
  private SignatureVerdict checkRevocation(List<X509Certificate> chain, X509Certificate leaf, Instant at, Instant now) {
    if (revocation == RevocationPolicy.IGNORE) {
      return null;
    }
    for (int i = 0; i < chain.size() - 1; i++) {
      X509Certificate cert = chain.get(i);
      X509Certificate issuer = chain.get(i + 1);
      List<X509CRL> crls = crlsByIssuer.getOrDefault(issuer.getSubjectX500Principal(), List.of());
      X509CRL current = null;
      for (X509CRL crl : crls) {
        if (crl.getNextUpdate() == null || crl.getNextUpdate().toInstant().isAfter(now)) {
          current = crl;
          break;
        }
      }
      if (current == null) {
        if (revocation == RevocationPolicy.REQUIRE_CRL) {
          String why = crls.isEmpty() ? "no CRL from '" + issuer.getSubjectX500Principal().getName() + "' is configured"
              : "the CRL from '" + issuer.getSubjectX500Principal().getName() + "' expired on "
                  + Certificates.day(crls.get(0).getNextUpdate());
          return SignatureVerdict.failure(VerdictReason.REVOCATION_UNKNOWN, "cannot tell whether "
              + Certificates.describe(cert) + " is revoked: " + why + "; load a current CRL", leaf, at);
        }
        continue;
      }
      X509CRLEntry entry = current.getRevokedCertificate(cert);
      if (entry != null) {
        return SignatureVerdict.failure(VerdictReason.REVOKED, "certificate " + Certificates.describe(cert)
            + " was revoked on " + Certificates.day(entry.getRevocationDate())
            + (entry.getRevocationReason() == null ? "" : " (" + entry.getRevocationReason() + ")")
            + ": do not trust this message", leaf, at);
      }
    }
    return null;
  }

  private static Optional<Instant> signingTime(SignerInformation signer) {
    AttributeTable attrs = signer.getSignedAttributes();
    if (attrs == null) {
      return Optional.empty();
    }
    Attribute a = attrs.get(CMSAttributes.signingTime);
    if (a == null || a.getAttrValues().size() != 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(Time.getInstance(a.getAttrValues().getObjectAt(0)).getDate().toInstant());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Buffered, the JDK's digests first (see {@link BufferedDigests#preferringJdk}); stateless, shared. */
  private static final org.bouncycastle.operator.DigestCalculatorProvider DIGESTS = BufferedDigests.preferringJdk();

  private static org.bouncycastle.operator.DigestCalculatorProvider digests() {
    return DIGESTS;
  }


  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** A detached signature's content: the signed body part written as it was received. */
  private record PartAsReceived(BodyPart part) implements CMSTypedData {
    @Override
    public ASN1ObjectIdentifier getContentType() {
      return CMSObjectIdentifiers.data;
    }

    @Override
    public void write(java.io.OutputStream out) throws IOException, CMSException {
      try {
        part.writeTo(out);
      } catch (MessagingException e) {
        throw new CMSException("the signed part cannot be written: " + e.getMessage(), e);
      }
    }

    @Override
    public Object getContent() {
      return part;
    }
  }
}
