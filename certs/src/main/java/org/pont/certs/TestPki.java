package org.pont.certs;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * A test PKI shaped like IGC-Santé, generated in memory: a root CA, an intermediate CA for
 * organisations and one for persons; per organisation domain separate TLS server, TLS client,
 * signature and encryption credentials; per person signature and encryption credentials whose
 * rfc822Name is their MSSanté address; a CRL per CA; and, for negative tests, one revoked and one
 * expired signature certificate. {@link #writeTo} lays it out as PEM and PKCS#12 files.
 *
 * <p>For tests and local trust spaces only: every name says TEST, and the keys live in memory.
 */
public final class TestPki {
  private static final Pattern DOMAIN = Pattern.compile("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}$");
  private static final String ORGANISATION = "PONT TEST PKI";

  private final KeyAlgorithm algorithm;
  private final Instant createdAt;
  private final Credential root;
  private final Credential organisationCa;
  private final Credential personCa;
  private final Map<String, Organisation> organisations;
  private final Map<String, Person> persons;
  private final Credential revoked;
  private final Credential expired;
  private final List<X509CRL> crls;

  private TestPki(Builder b) {
    SecureRandom random = new SecureRandom();
    this.algorithm = b.algorithm;
    this.createdAt = b.now.truncatedTo(ChronoUnit.SECONDS);
    // CAs start well before "now" so that the expired certificate below was issued inside their validity.
    Instant caStart = createdAt.minus(Duration.ofDays(3 * 365));
    Instant caEnd = createdAt.plus(Duration.ofDays(20 * 365));
    Instant leafStart = createdAt.minus(Duration.ofHours(1));
    Instant leafEnd = createdAt.plus(b.validity);

    CertificateAuthority rootCa = CertificateAuthority.root(caName("AC RACINE PONT TEST"), algorithm, caStart, caEnd, random);
    CertificateAuthority orgCa = rootCa.subordinate(caName("AC PONT TEST ORGANISATIONS"), caStart, caEnd.minus(Duration.ofDays(1)));
    CertificateAuthority perCa = rootCa.subordinate(caName("AC PONT TEST PERSONNES"), caStart, caEnd.minus(Duration.ofDays(1)));
    this.root = rootCa.credential();
    this.organisationCa = orgCa.credential();
    this.personCa = perCa.credential();

    Map<String, Organisation> orgs = new LinkedHashMap<>();
    for (String domain : b.domains) {
      X500Name subject = entityName(domain, structureId(domain), domain.toUpperCase(Locale.ROOT));
      orgs.put(domain, new Organisation(domain,
          orgCa.issue(subject, Profile.organisation(Usage.TLS_SERVER, domain), leafStart, leafEnd),
          orgCa.issue(subject, Profile.organisation(Usage.TLS_CLIENT, domain), leafStart, leafEnd),
          orgCa.issue(subject, Profile.organisation(Usage.SIGNATURE, domain), leafStart, leafEnd),
          orgCa.issue(subject, Profile.organisation(Usage.ENCRYPTION, domain), leafStart, leafEnd)));
    }
    this.organisations = java.util.Collections.unmodifiableMap(orgs);
    for (String domain : b.revokedOperators) {
      // An operator whose TLS certificates were revoked: a peer every gateway must refuse.
      orgCa.revoke(orgs.get(domain).credential(Usage.TLS_SERVER).certificate(), createdAt.minus(Duration.ofMinutes(30)));
      orgCa.revoke(orgs.get(domain).credential(Usage.TLS_CLIENT).certificate(), createdAt.minus(Duration.ofMinutes(30)));
    }

    Map<String, Person> people = new LinkedHashMap<>();
    for (String address : b.persons) {
      X500Name subject = entityName(address, professionalId(address), domainOf(address).toUpperCase(Locale.ROOT));
      people.put(address, new Person(address,
          perCa.issue(subject, Profile.person(Usage.SIGNATURE, address), leafStart, leafEnd),
          perCa.issue(subject, Profile.person(Usage.ENCRYPTION, address), leafStart, leafEnd)));
    }
    this.persons = java.util.Collections.unmodifiableMap(people);

    String negativeDomain = !b.domains.isEmpty() ? b.domains.iterator().next()
        : !b.persons.isEmpty() ? domainOf(b.persons.iterator().next()) : "pont.test";
    String revokedAddress = "revoque@" + negativeDomain;
    this.revoked = perCa.issue(entityName(revokedAddress, professionalId(revokedAddress), negativeDomain.toUpperCase(Locale.ROOT)),
        Profile.person(Usage.SIGNATURE, revokedAddress), leafStart, leafEnd);
    perCa.revoke(revoked.certificate(), createdAt.minus(Duration.ofMinutes(30)));
    String expiredAddress = "expire@" + negativeDomain;
    this.expired = perCa.issue(entityName(expiredAddress, professionalId(expiredAddress), negativeDomain.toUpperCase(Locale.ROOT)),
        Profile.person(Usage.SIGNATURE, expiredAddress), createdAt.minus(Duration.ofDays(2 * 365)), createdAt.minus(Duration.ofDays(365)));

    Instant crlStart = createdAt.minus(Duration.ofMinutes(5));
    Instant crlEnd = createdAt.plus(b.crlValidity);
    this.crls = List.of(rootCa.crl(crlStart, crlEnd), orgCa.crl(crlStart, crlEnd), perCa.crl(crlStart, crlEnd));
  }

  public static Builder builder() {
    return new Builder();
  }

  public KeyAlgorithm keyAlgorithm() {
    return algorithm;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** The self-signed root CA (its key too: tests may need to issue odd certificates). */
  public Credential root() {
    return root;
  }

  public Credential organisationCa() {
    return organisationCa;
  }

  public Credential personCa() {
    return personCa;
  }

  /** The root certificates a verifier trusts. */
  public List<X509Certificate> trustAnchors() {
    return List.of(root.certificate());
  }

  /** The intermediate CA certificates (organisations, persons) a verifier may need to build chains. */
  public List<X509Certificate> intermediates() {
    return List.of(organisationCa.certificate(), personCa.certificate());
  }

  /** One CRL per CA: root, organisations, persons (the last lists {@link #revoked()}). */
  public List<X509CRL> crls() {
    return crls;
  }

  public Map<String, Organisation> organisations() {
    return organisations;
  }

  public Map<String, Person> persons() {
    return persons;
  }

  /** The credentials of an organisation domain given to the builder. */
  public Organisation organisation(String domain) {
    Organisation o = organisations.get(domain.toLowerCase(Locale.ROOT));
    if (o == null) {
      throw new IllegalArgumentException("no organisation '" + domain + "' in this PKI (it has " + organisations.keySet() + ")");
    }
    return o;
  }

  /** The credentials of a person given to the builder. */
  public Person person(String address) {
    Person p = persons.get(address.toLowerCase(Locale.ROOT));
    if (p == null) {
      throw new IllegalArgumentException("no person '" + address + "' in this PKI (it has " + persons.keySet() + ")");
    }
    return p;
  }

  /** A person signature credential ({@code revoque@<first domain>}) listed as revoked in the persons CA's CRL. */
  public Credential revoked() {
    return revoked;
  }

  /** A person signature credential ({@code expire@<first domain>}) whose validity ended a year ago. */
  public Credential expired() {
    return expired;
  }

  /**
   * Writes the PKI as files (layout in {@link PkiFolder}); private keys only in password-protected
   * PKCS#12 and encrypted PKCS#8 PEM.
   */
  public PkiFolder writeTo(Path dir, char[] password) throws IOException {
    return PkiFolder.write(this, dir, password);
  }

  static String domainOf(String address) {
    return address.substring(address.indexOf('@') + 1);
  }

  private static X500Name caName(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.C, "FR").addRDN(BCStyle.O, ORGANISATION).addRDN(BCStyle.OU, "TEST - NOT FOR PRODUCTION")
        .addRDN(BCStyle.CN, commonName).build();
  }

  /** Shaped like IGC-Santé end entities: CN, OU = a structure or professional id, O, C=FR. */
  private static X500Name entityName(String commonName, String id, String organisation) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.C, "FR").addRDN(BCStyle.O, organisation + " (" + ORGANISATION + ")").addRDN(BCStyle.OU, id)
        .addRDN(BCStyle.CN, commonName).build();
  }

  /** A stable 15-digit pseudo-SIRET for a domain, like the OU of an operator certificate. */
  private static String structureId(String domain) {
    return "3" + String.format("%014d", Math.floorMod((long) domain.hashCode() * 7919L, 100_000_000_000_000L));
  }

  /** A stable 11-digit pseudo-RPPS for a person (RPPS numbers start with 10 or 8 in tests). */
  private static String professionalId(String address) {
    return "8" + String.format("%010d", Math.floorMod((long) address.hashCode() * 104_729L, 10_000_000_000L));
  }

  /** Collects what to issue; {@link #build()} generates the keys (the slow part: ~50 ms per RSA key). */
  public static final class Builder {
    private final Set<String> domains = new LinkedHashSet<>();
    private final Set<String> persons = new LinkedHashSet<>();
    private final Set<String> revokedOperators = new LinkedHashSet<>();
    private KeyAlgorithm algorithm = KeyAlgorithm.RSA_2048;
    private Instant now = Instant.now();
    private Duration validity = Duration.ofDays(3 * 365);
    private Duration crlValidity = Duration.ofDays(365);

    private Builder() {}

    /** An organisation domain, e.g. {@code hopital.test}. */
    public Builder domain(String domain) {
      String d = Objects.requireNonNull(domain, "domain").strip().toLowerCase(Locale.ROOT);
      if (!DOMAIN.matcher(d).matches()) {
        throw new IllegalArgumentException("'" + domain + "' is not a domain name (e.g. hopital.test)");
      }
      domains.add(d);
      return this;
    }

    /**
     * An organisation domain like {@link #domain}, whose TLS server and TLS client certificates are
     * listed as revoked in the organisations CA's CRL (negative tests of operator links).
     */
    public Builder revokedOperator(String domain) {
      domain(domain);
      revokedOperators.add(domain.strip().toLowerCase(Locale.ROOT));
      return this;
    }

    /** A professional's MSSanté address, e.g. {@code dr.martin@cabinet.test}. */
    public Builder person(String address) {
      String a = Objects.requireNonNull(address, "address").strip().toLowerCase(Locale.ROOT);
      int at = a.indexOf('@');
      if (at <= 0 || at != a.lastIndexOf('@') || !DOMAIN.matcher(a.substring(at + 1)).matches()
          || !a.substring(0, at).matches("[a-z0-9._+-]+")) {
        throw new IllegalArgumentException("'" + address + "' is not a mail address (e.g. dr.martin@cabinet.test)");
      }
      persons.add(a);
      return this;
    }

    public Builder keyAlgorithm(KeyAlgorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /** The instant the PKI is made at (default: now); certificate dates derive from it. */
    public Builder now(Instant now) {
      this.now = Objects.requireNonNull(now, "now");
      return this;
    }

    /** How long end-entity certificates are valid (default three years, as IGC-Santé issues them). */
    public Builder validity(Duration validity) {
      if (validity.isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("validity must be positive");
      }
      this.validity = validity;
      return this;
    }

    /** How long the CRLs are current (default one year: a local trust space has no CRL publisher). */
    public Builder crlValidity(Duration crlValidity) {
      if (crlValidity.isNegative() || crlValidity.isZero()) {
        throw new IllegalArgumentException("CRL validity must be positive");
      }
      this.crlValidity = crlValidity;
      return this;
    }

    public TestPki build() {
      if (domains.isEmpty() && persons.isEmpty()) {
        throw new IllegalArgumentException("a PKI needs at least one domain or person");
      }
      return new TestPki(this);
    }
  }

  /** For {@link PkiFolder}: every credential with the path it is written under. */
  Map<String, Credential> credentialsByPath() {
    Map<String, Credential> out = new LinkedHashMap<>();
    out.put("ca/root", root);
    out.put("ca/organisations", organisationCa);
    out.put("ca/persons", personCa);
    for (Organisation o : organisations.values()) {
      for (Usage u : Usage.values()) {
        out.put("domains/" + o.domain() + "/" + u.fileName(), o.credential(u));
      }
    }
    for (Person p : persons.values()) {
      out.put("persons/" + p.address() + "/signature", p.signature());
      out.put("persons/" + p.address() + "/encryption", p.encryption());
    }
    out.put("negative/revoked", revoked);
    out.put("negative/expired", expired);
    return out;
  }

  List<X509Certificate> allCaCertificates() {
    List<X509Certificate> out = new ArrayList<>(trustAnchors());
    out.addAll(intermediates());
    return out;
  }
}
