package org.pont.bench;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.mail.smime.SMIMEAuthEnveloped;
import org.bouncycastle.mail.smime.SMIMEAuthEnvelopedGenerator;
import org.bouncycastle.mail.smime.SMIMESigned;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.util.Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pont.certs.Credential;
import org.pont.certs.TestPki;
import org.pont.smime.KeyCredential;
import org.pont.smime.SmimeDecryptor;
import org.pont.smime.SmimeEncryptor;
import org.pont.smime.SmimeSigner;
import org.pont.smime.SignatureVerdict;
import org.pont.smime.SmimeVerifier;
import org.pont.smime.TrustAnchors;

/**
 * Pont's S/MIME operations against raw Bouncy Castle doing the same work with the same keys and
 * algorithms (SHA256withRSA; AES-256-GCM with RSA-OAEP-SHA256). Each side writes its result to a
 * counting stream so that lazy, streaming generators do their whole job. Pont's verify also builds
 * the chain to the trust anchor, checks the CRLs and the signer/From binding, which raw BC does not.
 * Setup checks that every operation succeeds (a failing verify would otherwise be timed as a fast
 * one). Methods are named operation first so that JMH, which runs them in name order, measures
 * Pont and raw BC back to back: on a shared machine the load drifts between distant runs.
 *
 * <p>Run: {@code ./pont bench SmimeBenchmark -prof gc} (see docs/PERFORMANCE.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SmimeBenchmark {
  private static final String FROM = "dr.durand@hopital.test";
  private static final String TO = "dr.martin@cabinet.test";
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  @Param({"10240", "1048576"})
  public int size;

  private Session session;
  private KeyCredential signer;
  private KeyCredential recipient;
  private X509Certificate recipientCert;
  private MimeMessage plain;
  private byte[] signedWire;
  private byte[] encryptedWire;
  private SmimeSigner pontSigner;
  private SmimeEncryptor pontEncryptor;
  private SmimeVerifier pontVerifier;
  private SmimeDecryptor pontDecryptor;
  private List<X509Certificate> signerChain;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    session = Session.getInstance(new Properties());
    TestPki pki = TestPki.builder().domain("hopital.test").domain("cabinet.test").person(FROM).person(TO).build();
    signer = key(pki.person(FROM).signature());
    recipient = key(pki.person(TO).encryption());
    recipientCert = recipient.certificate();
    signerChain = List.of(signer.chain().get(0), signer.chain().get(1));
    TrustAnchors trust = TrustAnchors.of(pki.trustAnchors(), pki.intermediates(), pki.crls());
    plain = message(size);
    pontSigner = SmimeSigner.of(signer);
    pontEncryptor = SmimeEncryptor.withDefaults();
    pontVerifier = SmimeVerifier.of(trust);
    pontDecryptor = SmimeDecryptor.of(recipient);
    signedWire = bytes(pontSigner.sign(plain));
    encryptedWire = bytes(pontEncryptor.encrypt(plain, List.of(recipientCert)));
    // A benchmark that measures a fast failure path measures nothing: check each side succeeds.
    SignatureVerdict verdict = pontVerifier.verify(parse(signedWire));
    check(verdict.isValid(), "Pont's verify must accept its own signature, got " + verdict);
    check(verifyRawBc(), "raw BC must verify Pont's signature");
    check(decryptPont() > size && decryptRawBc() > size, "both decryptions must recover the whole content");
    check(signPont() > size && signRawBc() > size && encryptPont() > size && encryptRawBc() > size,
        "every producer must write the whole message");
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }

  private static KeyCredential key(Credential c) {
    return KeyCredential.of(c.privateKey(), c.certificate(), c.chain());
  }

  private MimeMessage message(int bytes) throws Exception {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(FROM));
    m.setRecipients(MimeMessage.RecipientType.TO, TO);
    m.setSubject("Lettre de liaison");
    MimeMultipart mp = new MimeMultipart();
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Veuillez trouver ci-joint la lettre de liaison.", "UTF-8");
    mp.addBodyPart(text);
    MimeBodyPart file = new MimeBodyPart();
    byte[] data = new byte[bytes];
    new Random(1).nextBytes(data);
    file.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(data, "application/pdf")));
    file.setFileName("lettre.pdf");
    mp.addBodyPart(file);
    m.setContent(mp);
    m.saveChanges();
    return new MimeMessage(session, new SharedByteArrayInputStream(bytes(m)));
  }

  private static byte[] bytes(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toByteArray();
  }

  private MimeMessage parse(byte[] wire) throws Exception {
    return new MimeMessage(session, new SharedByteArrayInputStream(wire));
  }

  /** Counts what is written, so that streaming producers do all their work without a copy. */
  static final class Counter extends OutputStream {
    long n;

    @Override
    public void write(int b) {
      n++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      n += len;
    }
  }

  private static long drain(MimeMessage m) throws Exception {
    Counter c = new Counter();
    m.writeTo(c);
    return c.n;
  }

  // ---- sign

  @Benchmark
  public long signPont() throws Exception {
    return drain(pontSigner.sign(plain));
  }

  @Benchmark
  public long signRawBc() throws Exception {
    // The same signed attributes as Pont (capabilities, signing time; BC adds content type,
    // message digest and algorithm protection to both).
    ASN1EncodableVector attributes = new ASN1EncodableVector();
    SMIMECapabilityVector caps = new SMIMECapabilityVector();
    caps.addCapability(CMSAlgorithm.AES256_GCM);
    caps.addCapability(CMSAlgorithm.AES256_CBC);
    caps.addCapability(SMIMECapability.aES128_CBC);
    attributes.add(new SMIMECapabilitiesAttribute(caps));
    attributes.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(new Date()))));
    SMIMESignedGenerator gen = new SMIMESignedGenerator(SMIMESignedGenerator.RFC5751_MICALGS);
    gen.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BC)
        .setSignedAttributeGenerator(new AttributeTable(attributes))
        .build("SHA256withRSA", signer.privateKey(), signer.certificate()));
    gen.addCertificates(new JcaCertStore(signerChain));
    MimeMultipart mm = gen.generate(plain);
    MimeMessage out = new MimeMessage(session);
    out.setContent(mm);
    out.saveChanges();
    return drain(out);
  }

  // ---- encrypt

  @Benchmark
  public long encryptPont() throws Exception {
    return drain(pontEncryptor.encrypt(plain, List.of(recipientCert)));
  }

  @Benchmark
  public long encryptRawBc() throws Exception {
    SMIMEAuthEnvelopedGenerator gen = new SMIMEAuthEnvelopedGenerator();
    OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipientCert,
        new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, oaep)).setProvider(BC));
    MimeBodyPart enc = gen.generate(plain, new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM).setProvider(BC).build());
    MimeMessage out = new MimeMessage(session);
    out.setContent(enc.getContent(), enc.getContentType());
    // Keep the generator's transfer encoding (base64), as Pont does: without it jakarta.mail picks
    // one by writing the content once more, i.e. a second RSA key wrap and a partial encryption.
    out.setHeader("Content-Transfer-Encoding", enc.getEncoding());
    out.saveChanges();
    return drain(out);
  }

  // ---- verify

  @Benchmark
  public boolean verifyPont() throws Exception {
    return pontVerifier.verify(parse(signedWire)).isValid();
  }

  @Benchmark
  public boolean verifyRawBc() throws Exception {
    MimeMessage m = parse(signedWire);
    SMIMESigned signed = new SMIMESigned((MimeMultipart) m.getContent());
    boolean ok = true;
    Store<X509CertificateHolder> certs = signed.getCertificates();
    for (SignerInformation si : signed.getSignerInfos().getSigners()) {
      // The certificate the signature carries, as a receiver must use (not the one we happen to hold).
      X509CertificateHolder cert = (X509CertificateHolder) certs.getMatches(si.getSID()).iterator().next();
      ok &= si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(cert));
    }
    return ok;
  }

  // ---- decrypt

  @Benchmark
  public long decryptPont() throws Exception {
    return drain(pontDecryptor.decrypt(parse(encryptedWire)));
  }

  @Benchmark
  public long decryptRawBc() throws Exception {
    SMIMEAuthEnveloped env = new SMIMEAuthEnveloped(parse(encryptedWire));
    RecipientInformation ri = env.getRecipientInfos().get(new JceKeyTransRecipientId(recipientCert));
    return ri.getContent(new JceKeyTransAuthEnvelopedRecipient(recipient.privateKey()).setProvider(BC)).length;
  }
}
