package org.pont.smime;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;

/**
 * Signs with Bouncy Castle directly, bypassing Pont's own refusals, to produce the signatures a
 * careless or hostile peer would send (expired certificate, wrong key, no certificates).
 */
final class RawSmime {
  private RawSmime() {}

  static MimeMessage sign(MimeMessage message, KeyCredential key, Instant signingTime, boolean includeCertificates) throws Exception {
    ASN1EncodableVector attrs = new ASN1EncodableVector();
    attrs.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(signingTime)))));
    SMIMESignedGenerator gen = new SMIMESignedGenerator();
    String alg = "EC".equals(key.privateKey().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    gen.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(Bc.PROVIDER)
        .setSignedAttributeGenerator(new AttributeTable(attrs)).build(alg, key.privateKey(), key.certificate()));
    if (includeCertificates) {
      gen.addCertificates(new JcaCertStore(List.<X509Certificate>copyOf(key.chainWithoutRoot())));
    }
    MimeBodyPart content = MimeSupport.contentEntity(message, true);
    MimeMultipart signed = gen.generate(content);
    return MimeSupport.rewrap(message, signed);
  }
}
