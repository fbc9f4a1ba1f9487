package org.pont.smime;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Reading the parts of a certificate that S/MIME policy looks at. */
public final class Certificates {
  private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
  private static final int SAN_RFC822 = 1;
  private static final int SAN_DNS = 2;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private Certificates() {}

  /** The mail addresses a certificate names: rfc822Name alternative names, else the subject's emailAddress. */
  public static List<String> emailAddresses(X509Certificate cert) {
    List<String> out = alternativeNames(cert, SAN_RFC822);
    if (out.isEmpty()) {
      try {
        for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("1.2.840.113549.1.9.1") || rdn.getType().equalsIgnoreCase("EMAILADDRESS")) {
            Object v = rdn.getValue();
            out.add(v instanceof byte[] ? new String((byte[]) v, java.nio.charset.StandardCharsets.US_ASCII) : v.toString());
          }
        }
      } catch (InvalidNameException e) {
        // an unparsable subject simply names no address
      }
    }
    return out.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
  }

  /** The dNSName alternative names (an organisation certificate names its domain). */
  public static List<String> dnsNames(X509Certificate cert) {
    return alternativeNames(cert, SAN_DNS).stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
  }

  /** True when the certificate may sign mail: digitalSignature or nonRepudiation, and emailProtection if EKU is present. */
  public static boolean allowsMailSignature(X509Certificate cert) {
    boolean[] ku = cert.getKeyUsage();
    boolean usage = ku == null || ku[0] || ku[1];
    return usage && allowsEmailProtection(cert);
  }

  /** True when the certificate's key may carry a content key: keyEncipherment (RSA) or keyAgreement (EC). */
  public static boolean allowsMailEncryption(X509Certificate cert) {
    boolean[] ku = cert.getKeyUsage();
    boolean ec = "EC".equals(cert.getPublicKey().getAlgorithm());
    boolean usage = ku == null || (ec ? ku[4] : ku[2]);
    return usage && allowsEmailProtection(cert);
  }

  private static boolean allowsEmailProtection(X509Certificate cert) {
    try {
      List<String> eku = cert.getExtendedKeyUsage();
      return eku == null || eku.contains(EMAIL_PROTECTION) || eku.contains(ANY_EXTENDED_KEY_USAGE);
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  /** A short, human-readable name for messages: the subject and serial number. */
  public static String describe(X509Certificate cert) {
    return "'" + cert.getSubjectX500Principal().getName() + "' (serial " + cert.getSerialNumber().toString(16) + ")";
  }

  static String day(java.util.Date date) {
    return DAY.format(date.toInstant());
  }

  private static List<String> alternativeNames(X509Certificate cert, int type) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          if (((Integer) n.get(0)) == type && n.get(1) instanceof String s) {
            out.add(s);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // a malformed extension names nothing; callers then refuse the binding
    }
    return out;
  }
}
