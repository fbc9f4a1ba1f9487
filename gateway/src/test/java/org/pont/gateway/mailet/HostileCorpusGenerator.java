package org.pont.gateway.mailet;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Writes the hostile input corpus ({@code gateway/src/test/resources/hostile/}) once; the files are
 * kept in the repository and {@link HostileCorpusTest} feeds them to a gateway. Run again only to
 * change the corpus:
 *
 * <pre>
 * ./mvnw -B -ntp -q -pl gateway -am test-compile -DskipTests
 * java -cp "gateway/target/test-classes:gateway/target/classes:$(./mvnw -q -pl gateway dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *   org.pont.gateway.mailet.HostileCorpusGenerator gateway/src/test/resources/hostile
 * </pre>
 *
 * <p>SMTP cases are the <em>inner</em> message: the test signs (or encrypts, forges...) them at run
 * time with the gateway's fresh test PKI, as the manifest's {@code wrap} column says, byte for
 * byte, so that a malformation reaches the MSSanté reader rather than stopping at "unsigned". REST
 * cases are whole {@code multipart/form-data} bodies with the boundary {@value #BOUNDARY}. Nothing
 * cryptographic is stored: keys and certificates are made fresh by each test run.
 */
public final class HostileCorpusGenerator {
  static final String BOUNDARY = "HOSTILE-BOUNDARY-7f3a";
  static final String PEER = "kine.martin@cabinet.test";
  static final String TO = "secretariat@hopital.test";
  private static final String GOOD_INS = "279035121518989";

  private final Path dir;
  private final List<String> manifest = new ArrayList<>();
  private byte[] goodLetter;
  private Map<String, byte[]> goodXdm;

  private HostileCorpusGenerator(Path dir) {
    this.dir = dir;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "gateway/src/test/resources/hostile");
    new HostileCorpusGenerator(dir).generate();
  }

  private void generate() throws Exception {
    Files.createDirectories(dir.resolve("smtp"));
    Files.createDirectories(dir.resolve("rest"));
    MimeMessage letter = PolicyFixtures.dischargeLetter(PEER, TO);
    letter.setHeader("Message-ID", "<hostile-base@cabinet.test>");
    letter.setSentDate(new java.util.Date(1_793_000_000_000L));
    letter.saveChanges();
    letter.setHeader("Message-ID", "<hostile-base@cabinet.test>");
    goodLetter = PolicyFixtures.bytes(letter);
    goodXdm = unzip(xdmOf(goodLetter));
    manifest.add("# id\tcategory\tchannel\twrap\texpected\tdescription");
    smtpCases();
    restCases();
    Files.writeString(dir.resolve("manifest.tsv"), String.join("\n", manifest) + "\n");
    System.out.println((manifest.size() - 1) + " cases written to " + dir);
  }

  // ------------------------------------------------------------------ SMTP

  private void smtpCases() throws Exception {
    String good = latin1(goodLetter);
    // The control case: the same letter, well formed; the test sends it signed and encrypted at the end.
    smtp("control-good-letter", "control", "sign+encrypt", "DELIVERED", "the well-formed discharge letter (must be delivered)", goodLetter);

    // --- malformed MIME (signed by the peer, so the MSSanté reader meets them)
    String boundary = boundaryOf(good);
    smtp("mime-no-boundary-parameter", "mime", "sign-opaque", "DELIVERED", "multipart/mixed without a boundary parameter: Jakarta Mail recovers the boundary from the body; content intact and signed, so delivered",
        good.replaceFirst(";\\s*boundary=\"?" + Pattern.quote(boundary) + "\"?", ""));
    smtp("mime-boundary-never-used", "mime", "sign-opaque", "Q:MSSANTE_MALFORMED_MIME/Missing start boundary", "the declared boundary never appears in the body",
        good.replace("--" + boundary, "--other" + boundary.substring(5)).replaceFirst("boundary=\"?other", "boundary=\"" + boundary.substring(0, 5)));
    smtp("mime-unterminated-multipart", "mime", "sign-opaque", "Q:MSSANTE_MALFORMED_MIME/(?i)base64", "the message stops in the middle of the XDM attachment, no closing boundary",
        good.substring(0, good.length() - 2000));
    smtp("mime-nested-40-deep", "mime", "sign-opaque", "Q:MSSANTE_MALFORMED_MIME/nested more than 20", "multiparts nested 40 deep", nested(40));
    smtp("mime-unknown-transfer-encoding", "mime", "sign", "Q:MSSANTE_MALFORMED_MIME/Unknown encoding", "the XDM part says Content-Transfer-Encoding: x-evil",
        replaceXdmEncoding(good, "x-evil"));
    smtp("mime-broken-base64-xdm", "mime", "sign", "Q:MSSANTE_MALFORMED_MIME/(?i)base64", "the XDM attachment's base64 is garbage",
        garbleXdmBase64(good));
    smtp("mime-unknown-charset", "mime", "sign", "Q:MSSANTE_MALFORMED_MIME/x-no-such-charset", "the text part declares charset=x-no-such-charset",
        textMessage("text/plain; charset=x-no-such-charset", "Bonjour\r\n"));
    smtp("mime-8bit-garbage-headers", "mime", "sign", "Q:UNTRUSTED_DOMAIN/unreadable From", "raw 8-bit bytes and NULs in From and Subject",
        ("From: \u00ff\u00fe\u0000kine <" + PEER + "\u0080>\r\nTo: " + TO + "\r\nSubject: \u00c3\u0028\u0000\u00ff\r\nMessage-ID: <g8@cabinet.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nBonjour\r\n"));
    smtp("mime-8bit-garbage-body", "mime", "sign", "DELIVERED", "random 8-bit bytes declared text/plain us-ascii: readable, delivered as is",
        textMessage("text/plain; charset=us-ascii", latin1(random(4000, 8))));
    smtp("mime-8bit-to-address", "mime", "sign", "Q:MSSANTE_MALFORMED_MIME",
        "raw 8-bit bytes inside the To address's domain (the fuzzer's finding on the reader; through the gateway Jakarta Mail already refuses it)",
        "From: " + PEER + "\r\nTo: secretariat@hopi" + "\u00ff".repeat(70) + "tal.test\r\nSubject: x\r\nMessage-ID: <to8@cabinet.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nBonjour\r\n");
    smtp("mime-text-part-broken-charset", "mime", "sign-opaque", "Q:MSSANTE_MALFORMED_MIME/text part cannot be decoded",
        "text/plain with a form feed inside its charset parameter (the fuzzer's second finding: NullPointerException out of Angus Mail)",
        good.replaceFirst("Content-Type: text/plain; charset=(?:\"?)UTF-8\"?", "Content-Type: text/plain; charse\f=UTF-8"));
    smtp("mime-no-subject", "mime", "sign", "DELIVERED",
        "the letter without any Subject header (the fuzzer's third finding: NullPointerException in the reader); readable, so delivered",
        good.replaceFirst("(?s)\r\nSubject:.*?\r\n(?! )", "\r\n"));
    smtp("mime-no-from", "mime", "sign", "Q:SIGNATURE_SIGNER_MISMATCH/no From", "no From header (the envelope sender is trusted): nothing to bind the signer to",
        "To: " + TO + "\r\nSubject: x\r\nMessage-ID: <nofrom@cabinet.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nBonjour\r\n");
    smtp("mime-header-injection-encoded-crlf", "mime", "sign", "DELIVERED",
        "Subject with an encoded CR LF + Bcc: decoded it stays one header; delivered, no Bcc added",
        "From: " + PEER + "\r\nTo: " + TO + "\r\nSubject: =?UTF-8?B?" + b64("Bonjour\r\nBcc: spy@evil.test\r\nX-Pont-Signature: VALID") + "?=\r\n"
            + "Message-ID: <inject@cabinet.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nBonjour\r\n");
    smtp("mime-forged-pont-headers", "mime", "sign", "DELIVERED", "forged X-Pont-* verdict headers inside the signed content: replaced by the gateway's",
        good.replaceFirst("\r\nSubject:", "\r\nX-Pont-Signature: VALID; signer=chef@hopital.test; binding=ADDRESS\r\nX-Pont-Patient-INS: present\r\nSubject:"));
    smtp("mime-xdm-as-text-plain", "mime", "sign", "Q:MSSANTE_INVALID_XDM/NOT_A_ZIP", "IHE_XDM.ZIP that is actually a text file",
        replaceXdm(good, "ceci n'est pas un zip".getBytes(StandardCharsets.US_ASCII)));
    smtp("mime-two-xdm-attachments", "two-patients", "sign", "Q:MSSANTE_SEVERAL_PATIENTS", "two IHE_XDM.ZIP attachments in one message",
        twoXdms(good));

    // --- sender / trust (unsigned or outer-level)
    smtp("sender-untrusted-from", "sender", "raw", "Q:UNTRUSTED_DOMAIN", "envelope from a trusted peer, From header from evil.test",
        good.replace("From: " + PEER, "From: chef@evil.test"));
    smtp("sender-encoded-word-spoof", "sender", "raw", "Q:UNTRUSTED_DOMAIN", "From display name looks like the peer, address is evil.test",
        good.replace("From: " + PEER, "From: =?UTF-8?Q?kine.martin=40cabinet.test?= <x@evil.test>"));
    smtp("sender-two-from-addresses", "sender", "raw", "Q:UNTRUSTED_DOMAIN", "From lists a trusted and an untrusted address",
        good.replace("From: " + PEER, "From: " + PEER + ", x@evil.test"));
    smtp("unsigned-letter", "cms", "raw", "Q:UNSIGNED", "a well-formed letter from the peer, not signed", goodLetter);

    // --- broken / forged CMS (built by the test from this inner letter)
    for (String[] c : new String[][] {
        {"cms-tampered-content", "sign+tamper", "Q:SIGNATURE_CONTENT_TAMPERED", "one byte of the signed text changed after signing"},
        {"cms-garbage-signature", "sign+garbage-signature", "Q:SIGNATURE_MALFORMED", "the application/pkcs7-signature part is random bytes"},
        {"cms-truncated-signature", "sign+truncated-signature", "Q:SIGNATURE_MALFORMED", "the CMS SignedData is cut in half"},
        {"cms-empty-signature", "sign+empty-signature", "Q:SIGNATURE_MALFORMED", "the signature part is empty"},
        {"cms-signature-part-missing", "sign+drop-signature", "Q:SIGNATURE_MALFORMED", "multipart/signed with only the content part"},
        {"cms-no-signer-certificate", "sign-without-certificate", "Q:SIGNATURE_SIGNER_CERTIFICATE_MISSING", "SignedData without the signer's certificate"},
        {"cms-enveloped-garbage", "enveloped-garbage", "Q:UNDECRYPTABLE", "application/pkcs7-mime enveloped-data that is random bytes"},
        {"cms-encrypted-not-signed", "encrypt", "Q:UNSIGNED", "encrypted for the gateway but not signed"},
        {"cms-signed-twice-inner-tampered", "sign+tamper+sign", "Q:SIGNATURE_CONTENT_TAMPERED/inner signature", "a tampered signed message signed again: outer signature valid, inner broken (was delivered as VALID before the fix)"},
        {"cert-untrusted-ca", "sign:untrusted", "Q:SIGNATURE_UNTRUSTED", "signed with a certificate from another (untrusted) PKI for cabinet.test"},
        {"cert-wrong-usage", "sign:encryption-certificate", "Q:SIGNATURE_WRONG_KEY_USAGE", "signed with the peer's encryption (not signature) certificate"},
        {"cert-mismatched-address", "sign:person", "Q:SIGNATURE_SIGNER_MISMATCH", "signed by kine.martin's personal certificate, From another person of the same domain"},
    }) {
      byte[] inner = c[0].equals("cert-mismatched-address") ? latin1b(good.replace("From: " + PEER, "From: autre.personne@cabinet.test")) : goodLetter;
      smtp(c[0], c[0].startsWith("cert") ? "certificate" : "cms", c[1], c[2], c[3], inner);
    }
    smtp("cert-expired", "certificate", "sign:expired", "Q:SIGNATURE_EXPIRED", "signed by expire@cabinet.test, whose certificate ended a year ago",
        latin1b(good.replace("From: " + PEER, "From: expire@cabinet.test")));
    smtp("cert-revoked", "certificate", "sign:revoked", "Q:SIGNATURE_REVOKED", "signed by revoque@cabinet.test, listed in the CRL",
        latin1b(good.replace("From: " + PEER, "From: revoque@cabinet.test")));

    // --- XDM
    smtp("xdm-zip-bomb", "xdm", "sign", "Q:MSSANTE_INVALID_XDM/TOO_LARGE", "a 300 MB document of zeros deflated to ~300 kB",
        withXdm(good, bomb()));
    smtp("xdm-path-traversal", "xdm", "sign", "Q:MSSANTE_INVALID_XDM/PATH_TRAVERSAL", "an entry named ../../../../etc/cron.d/pont",
        withXdm(good, zip(put(goodXdm, "../../../../etc/cron.d/pont", "* * * * * root id\n"))));
    smtp("xdm-absolute-path", "xdm", "sign", "Q:MSSANTE_INVALID_XDM/PATH_TRAVERSAL", "an entry named /etc/passwd",
        withXdm(good, zip(put(goodXdm, "/etc/passwd", "root:x:0:0\n"))));
    smtp("xdm-backslash-traversal", "xdm", "sign", "Q:MSSANTE_INVALID_XDM/PATH_TRAVERSAL", "an entry named ..\\..\\windows\\evil.bat",
        withXdm(good, zip(put(goodXdm, "..\\..\\windows\\evil.bat", "echo\r\n"))));
    smtp("xdm-duplicate-entry", "xdm", "sign", "Q:MSSANTE_INVALID_XDM/DUPLICATE", "METADATA.XML twice with different content",
        withXdm(good, zipWithDuplicate(goodXdm)));
    smtp("xdm-too-many-entries", "xdm", "sign", "Q:MSSANTE_INVALID_XDM/TOO_MANY_ENTRIES", "1,001 empty entries (the limit is 1,000)",
        withXdm(good, zip(manyEntries(1001))));
    smtp("xdm-empty-zip", "xdm", "sign", "Q:MSSANTE_INVALID_XDM/NO_METADATA", "an empty zip", withXdm(good, zip(new LinkedHashMap<>())));
    smtp("xdm-truncated-zip", "xdm", "sign", "Q:MSSANTE_INVALID_XDM/CORRUPT_ZIP", "the good XDM cut in half",
        withXdm(good, java.util.Arrays.copyOf(zip(goodXdm), zip(goodXdm).length / 2)));
    smtp("xdm-no-metadata", "xdm", "sign", "Q:MSSANTE_INVALID_XDM/NO_METADATA", "the XDM without METADATA.XML",
        withXdm(good, zip(remove(goodXdm, "METADATA.XML"))));
    smtp("xdm-hash-mismatch", "xdm", "sign", "Q:MSSANTE_INVALID_XDM/HASH_MISMATCH", "the CDA altered without updating METADATA.XML",
        withXdm(good, zip(replaceText(goodXdm, "DOC0001.XML", "Suites simples.", "Suites compliq."))));
    smtp("xdm-metadata-xxe", "xml", "sign", "Q:MSSANTE_INVALID_XDM/XML_DTD_REFUSED", "METADATA.XML with an external entity reading /etc/passwd",
        withXdm(good, zip(prependDoctype(goodXdm, "METADATA.XML", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"))));
    smtp("xdm-metadata-billion-laughs", "xml", "sign", "Q:MSSANTE_INVALID_XDM/XML_DTD_REFUSED", "METADATA.XML with the billion laughs entities",
        withXdm(good, zip(prependDoctype(goodXdm, "METADATA.XML", LAUGHS))));

    // --- CDA inside a consistent XDM (hash and size updated, so the CDA parser meets the content)
    smtp("cda-xxe", "xml", "sign", "Q:MSSANTE_INVALID_CDA/DOCTYPE", "CDA with an external entity (file:///etc/passwd)",
        withXdm(good, zip(withCda(prepend(cda(), "<!DOCTYPE ClinicalDocument [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>")))));
    smtp("cda-billion-laughs", "xml", "sign", "Q:MSSANTE_INVALID_CDA/DOCTYPE", "CDA with the billion laughs entities",
        withXdm(good, zip(withCda(prepend(cda(), LAUGHS.replace("DOCTYPE x", "DOCTYPE ClinicalDocument"))))));
    smtp("cda-external-dtd", "xml", "sign", "Q:MSSANTE_INVALID_CDA/DOCTYPE", "CDA referencing an external DTD over http",
        withXdm(good, zip(withCda(prepend(cda(), "<!DOCTYPE ClinicalDocument SYSTEM \"http://127.0.0.1:9/evil.dtd\">")))));
    smtp("cda-not-xml", "xml", "sign", "Q:MSSANTE_INVALID_CDA/not well-formed", "DOC0001.XML holds random bytes", withXdm(good, zip(withCda(random(3000, 9)))));
    smtp("cda-deeply-nested", "xml", "sign", "Q:MSSANTE_INVALID_CDA/depth", "CDA body nested 100,000 elements deep",
        withXdm(good, zip(withCda(deepXml(100_000)))));
    smtp("ins-wrong-key-in-cda", "ins", "sign", "Q:MSSANTE_NO_INS", "the CDA's INS has a wrong control key (read as no usable INS)",
        withXdm(good, zip(withCda(latin1b(latin1(cda()).replace(GOOD_INS, "279035121518988"))))));
    smtp("ins-letters-in-cda", "ins", "sign", "Q:MSSANTE_NO_INS", "the CDA's INS holds letters",
        withXdm(good, zip(withCda(latin1b(latin1(cda()).replace(GOOD_INS, "27903512151898A"))))));
    smtp("ins-missing-in-cda", "ins", "sign", "Q:MSSANTE_NO_INS", "the CDA names the patient without an INS",
        withXdm(good, zip(withCda(latin1b(latin1(cda()).replace("1.2.250.1.213.1.4.10", "1.2.3.4.5")))))); 
    smtp("two-patients-metadata-vs-cda", "two-patients", "sign", "Q:MSSANTE_SEVERAL_PATIENTS", "XDM metadata names another patient than the CDA",
        withXdm(good, zip(replaceText(goodXdm, "METADATA.XML", GOOD_INS, "182017512345659"))));
    smtp("two-patients-two-record-targets", "two-patients", "sign", "Q:MSSANTE_INVALID_CDA/2 patients", "the CDA has two recordTarget (two patients)",
        withXdm(good, zip(withCda(twoRecordTargets()))));

    // --- oversize: too big to keep in the repository, so the test grows the stored letter at run time
    smtp("oversize-message", "oversize", "raw+grow-27MB", "SMTP:5", "the letter with a 27 MB attachment: over the 25 MB SMTP limit",
        goodLetter);
    smtp("oversize-xdm-document", "oversize", "sign+xdm-document-26MB", "Q:MSSANTE_INVALID_XDM/TOO_LARGE",
        "an XDM whose one document inflates to 26 MB (limit 25 MB per document) in a message under the SMTP limit", goodLetter);
  }

  // ------------------------------------------------------------------ REST

  private void restCases() throws Exception {
    String meta = restMeta(GOOD_INS, "1.2.250.1.213.1.4.10", "Sortie", "secretariat@hopital.test", "dr.martin@hopital.test");
    byte[] pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    rest("rest-control-good", "control", "HTTP:202", "a well-formed submission (must be accepted)", body(meta, pdf, null));
    rest("rest-ins-wrong-key", "ins", "HTTP:400:INVALID_INS", "INS with a wrong key",
        body(meta.replace(GOOD_INS, "279035121518988"), pdf, null));
    rest("rest-ins-letters", "ins", "HTTP:400:INVALID_INS", "INS with letters", body(meta.replace(GOOD_INS, "2790351215189AB"), pdf, null));
    rest("rest-ins-too-long", "ins", "HTTP:400:INVALID_INS", "INS of 10,000 digits", body(meta.replace(GOOD_INS, "1".repeat(10_000)), pdf, null));
    rest("rest-ins-unknown-oid", "ins", "HTTP:400:INVALID_INS", "INS with an unknown OID",
        body(meta.replace("1.2.250.1.213.1.4.10", "1.2.3.4"), pdf, null));
    rest("rest-cda-xxe", "xml", "HTTP:422:INVALID_CDA", "CDA with an external entity",
        body(meta, null, prepend(cda(), "<!DOCTYPE ClinicalDocument [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>")));
    rest("rest-cda-billion-laughs", "xml", "HTTP:422:INVALID_CDA", "CDA with billion laughs",
        body(meta, null, prepend(cda(), LAUGHS.replace("DOCTYPE x", "DOCTYPE ClinicalDocument"))));
    rest("rest-cda-external-dtd", "xml", "HTTP:422:INVALID_CDA", "CDA with an external DTD",
        body(meta, null, prepend(cda(), "<!DOCTYPE ClinicalDocument SYSTEM \"http://127.0.0.1:9/evil.dtd\">")));
    rest("rest-cda-deeply-nested", "xml", "HTTP:422:INVALID_CDA", "CDA nested 100,000 elements deep", body(meta, null, deepXml(100_000)));
    rest("rest-cda-other-patient", "two-patients", "HTTP:422:PATIENT_MISMATCH", "the CDA is about another patient than the metadata",
        body(meta, null, latin1b(latin1(cda()).replace(GOOD_INS, "182017512345659"))));
    rest("rest-cda-two-record-targets", "two-patients", "HTTP:422:INVALID_CDA", "the CDA has two recordTarget", body(meta, null, twoRecordTargets()));
    rest("rest-pdf-not-pdf", "mime", "HTTP:422:INVALID_PDF", "the pdf part is random bytes", body(meta, random(2000, 11), null));
    rest("rest-oversize", "oversize", "HTTP:413:OVERSIZE", "a 1.1 MB PDF (the test gateway accepts 1 MB)",
        body(meta, concat(pdf, new byte[1_100_000]), null));
    rest("rest-multipart-unterminated", "mime", "HTTP:400:MISSING_DOCUMENT", "no closing boundary",
        java.util.Arrays.copyOf(body(meta, pdf, null), body(meta, pdf, null).length - BOUNDARY.length() - 8));
    rest("rest-multipart-wrong-boundary", "mime", "HTTP:400:MISSING_METADATA", "the body uses another boundary than the header",
        latin1b(latin1(body(meta, pdf, null)).replace(BOUNDARY, "SOMETHING-ELSE")));
    rest("rest-metadata-not-json", "mime", "HTTP:400:INVALID_METADATA", "metadata is not JSON", body("{\"sender\": [unclosed", pdf, null));
    rest("rest-metadata-8bit-garbage", "mime", "HTTP:400:INVALID_METADATA", "metadata is random 8-bit bytes", body(latin1(random(500, 12)), pdf, null));
    rest("rest-subject-header-injection", "mime", "HTTP:202", "subject with CR LF Bcc: accepted, but the mail carries no Bcc header and goes to the one recipient",
        body(meta.replace("\"subject\":\"Sortie\"", "\"subject\":\"Sortie\\r\\nBcc: spy@evil.test\""), pdf, null));
    rest("rest-recipient-header-injection", "mime", "HTTP:400:INVALID_RECIPIENT", "recipient with CR LF Bcc:",
        body(meta.replace("\"dr.martin@hopital.test\"", "\"dr.martin@hopital.test\\r\\nBcc: spy@evil.test\""), pdf, null));
    rest("rest-sender-header-injection", "mime", "HTTP:400:INVALID_SENDER", "sender with CR LF",
        body(meta.replace("\"sender\":\"secretariat@hopital.test\"", "\"sender\":\"secretariat@hopital.test\\r\\nBcc: spy@evil.test\""), pdf, null));
    rest("rest-duplicate-metadata", "mime", "HTTP:400:DUPLICATE_PART", "two metadata parts",
        latin1b(latin1(body(meta, pdf, null)).replaceFirst("--" + BOUNDARY + "\r\n", "--" + BOUNDARY + "\r\n"
            + "Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n"
            + meta.replace("dr.martin", "spy") + "\r\n--" + BOUNDARY + "\r\n")));
    rest("rest-pdf-filename-traversal", "mime", "HTTP:202", "pdf filename ../../../../etc/passwd: accepted, the name is never used as a path (delivered to the one recipient)",
        latin1b(latin1(body(meta, pdf, null)).replace("filename=\"lettre.pdf\"", "filename=\"../../../../etc/passwd\"")));
  }

  // ------------------------------------------------------------------ builders

  private static final String LAUGHS = "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
      + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
      + "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
      + "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">"
      + "<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]>";

  private void smtp(String id, String category, String wrap, String expected, String description, String content) throws IOException {
    smtp(id, category, wrap, expected, description, latin1b(content));
  }

  private void smtp(String id, String category, String wrap, String expected, String description, byte[] content) throws IOException {
    Files.write(dir.resolve("smtp").resolve(id + ".eml"), content);
    manifest.add(String.join("\t", id, category, "SMTP", wrap, expected, description));
  }

  private void rest(String id, String category, String expected, String description, byte[] body) throws IOException {
    Files.write(dir.resolve("rest").resolve(id + ".multipart"), body);
    manifest.add(String.join("\t", id, category, "REST", "-", expected, description));
  }

  private static String restMeta(String ins, String oid, String subject, String sender, String recipient) {
    return "{\"sender\":\"" + sender + "\",\"recipients\":[\"" + recipient + "\"],\"patient\":{\"ins\":\"" + ins + "\",\"oid\":\"" + oid
        + "\",\"familyName\":\"Pat-Trois\",\"givenNames\":[\"Dominique\"],\"birthDate\":\"1979-03-28\",\"sex\":\"F\"},"
        + "\"documentType\":\"11490-0\",\"title\":\"Lettre de liaison\",\"subject\":\"" + subject + "\",\"body\":\"Bonjour\"}";
  }

  private static byte[] body(String metadata, byte[] pdf, byte[] cda) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    part(out, "Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json", latin1b(metadata));
    if (pdf != null) {
      part(out, "Content-Disposition: form-data; name=\"pdf\"; filename=\"lettre.pdf\"\r\nContent-Type: application/pdf", pdf);
    }
    if (cda != null) {
      part(out, "Content-Disposition: form-data; name=\"cda\"; filename=\"lettre.xml\"\r\nContent-Type: text/xml", cda);
    }
    out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static void part(ByteArrayOutputStream out, String headers, byte[] content) throws IOException {
    out.write(("--" + BOUNDARY + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(content);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] cda() {
    return goodXdm.get(name(goodXdm, "DOC0001.XML"));
  }

  private byte[] twoRecordTargets() {
    String cda = latin1(cda());
    int start = cda.indexOf("<recordTarget");
    int end = cda.indexOf("</recordTarget>") + "</recordTarget>".length();
    String other = cda.substring(start, end).replace(GOOD_INS, "182017512345659").replace("Pat-Trois", "Autre");
    return latin1b(cda.substring(0, end) + other + cda.substring(end));
  }

  private static byte[] deepXml(int depth) {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><ClinicalDocument xmlns=\"urn:hl7-org:v3\">");
    b.append("<a>".repeat(depth)).append("</a>".repeat(depth)).append("</ClinicalDocument>");
    return latin1b(b.toString());
  }

  /** The good XDM with its CDA replaced, METADATA.XML's hash and size updated to match. */
  private Map<String, byte[]> withCda(byte[] newCda) throws Exception {
    Map<String, byte[]> m = new LinkedHashMap<>(goodXdm);
    String docName = name(m, "DOC0001.XML");
    String metaName = name(m, "METADATA.XML");
    byte[] old = m.get(docName);
    String meta = new String(m.get(metaName), StandardCharsets.UTF_8);
    meta = meta.replace(sha1(old), sha1(newCda)).replace(sha1(old).toUpperCase(java.util.Locale.ROOT), sha1(newCda));
    Matcher size = Pattern.compile("(<(?:\\w+:)?Slot name=\"size\">\\s*<(?:\\w+:)?ValueList>\\s*<(?:\\w+:)?Value>)" + old.length + "<").matcher(meta);
    meta = size.replaceFirst("$1" + newCda.length + "<");
    m.put(metaName, meta.getBytes(StandardCharsets.UTF_8));
    m.put(docName, newCda);
    return m;
  }

  private static String sha1(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
  }

  private static Map<String, byte[]> put(Map<String, byte[]> base, String name, String content) {
    Map<String, byte[]> m = new LinkedHashMap<>(base);
    m.put(name, content.getBytes(StandardCharsets.US_ASCII));
    return m;
  }

  private static Map<String, byte[]> remove(Map<String, byte[]> base, String suffix) {
    Map<String, byte[]> m = new LinkedHashMap<>(base);
    m.remove(name(m, suffix));
    return m;
  }

  private static Map<String, byte[]> replaceText(Map<String, byte[]> base, String suffix, String from, String to) {
    Map<String, byte[]> m = new LinkedHashMap<>(base);
    String n = name(m, suffix);
    String s = new String(m.get(n), StandardCharsets.UTF_8);
    if (!s.contains(from)) {
      throw new IllegalStateException(n + " does not contain " + from);
    }
    m.put(n, s.replace(from, to).getBytes(StandardCharsets.UTF_8));
    return m;
  }

  private static Map<String, byte[]> prependDoctype(Map<String, byte[]> base, String suffix, String doctype) {
    Map<String, byte[]> m = new LinkedHashMap<>(base);
    String n = name(m, suffix);
    m.put(n, prepend(m.get(n), doctype));
    return m;
  }

  /** Inserts a DOCTYPE after the XML declaration (or at the start) and a reference to entity e in the first text. */
  private static byte[] prepend(byte[] xml, String doctype) {
    String s = new String(xml, StandardCharsets.UTF_8);
    int at = s.startsWith("<?xml") ? s.indexOf("?>") + 2 : 0;
    String entity = doctype.contains("ENTITY i ") ? "&i;" : doctype.contains("ENTITY e ") ? "&e;" : "";
    String out = s.substring(0, at) + doctype + s.substring(at);
    int title = out.indexOf("<title>");
    if (title > 0 && !entity.isEmpty()) {
      out = out.substring(0, title + 7) + entity + out.substring(title + 7);
    }
    return out.getBytes(StandardCharsets.UTF_8);
  }

  private static String name(Map<String, byte[]> m, String suffix) {
    return m.keySet().stream().filter(k -> k.toUpperCase(java.util.Locale.ROOT).endsWith(suffix)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + suffix + " in " + m.keySet()));
  }

  private static Map<String, byte[]> manyEntries(int n) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("IHE_XDM/SUBSET01/F" + i + ".TXT", new byte[0]);
    }
    return m;
  }

  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry ze = new ZipEntry(e.getKey());
        ze.setTime(1_793_000_000_000L);
        z.putNextEntry(ze);
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** Two central-directory entries with one name: ZipOutputStream refuses, so the second name is patched in the bytes. */
  private static byte[] zipWithDuplicate(Map<String, byte[]> base) throws IOException {
    String meta = name(base, "METADATA.XML");
    String twin = meta.substring(0, meta.length() - "METADATA.XML".length()) + "METADATA.XMK";
    Map<String, byte[]> m = new LinkedHashMap<>(base);
    m.put(twin, "<evil/>".getBytes(StandardCharsets.US_ASCII));
    byte[] z = zip(m);
    String s = latin1(z).replace(twin, meta);
    return latin1b(s);
  }

  private static byte[] bomb() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      ZipEntry ze = new ZipEntry("IHE_XDM/SUBSET01/DOC0001.XML");
      ze.setTime(1_793_000_000_000L);
      z.putNextEntry(ze);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 300; i++) {
        z.write(zeros);
      }
      z.closeEntry();
    }
    return out.toByteArray();
  }

  private static byte[] xdmOf(byte[] letter) throws Exception {
    MimeMessage m = new MimeMessage(PolicyFixtures.session(), new ByteArrayInputStream(letter));
    MimeMultipart mp = (MimeMultipart) m.getContent();
    for (int i = 0; i < mp.getCount(); i++) {
      if ("IHE_XDM.ZIP".equalsIgnoreCase(mp.getBodyPart(i).getFileName())) {
        return mp.getBodyPart(i).getInputStream().readAllBytes();
      }
    }
    throw new IllegalStateException("no IHE_XDM.ZIP in the letter");
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        m.put(e.getName(), z.readAllBytes());
      }
    }
    return m;
  }

  private static String boundaryOf(String message) {
    Matcher m = Pattern.compile("boundary=\"?([^\"\\s;]+)").matcher(message);
    if (!m.find()) {
      throw new IllegalStateException("no boundary");
    }
    return m.group(1);
  }

  /** The letter with its XDM attachment's base64 replaced by the base64 of {@code zip}. */
  private static String withXdm(String letter, byte[] zip) {
    Matcher m = xdmPart(letter);
    return letter.substring(0, m.start(2)) + mimeB64(zip) + letter.substring(m.end(2));
  }

  private static String replaceXdm(String letter, byte[] content) {
    return withXdm(letter, content);
  }

  private static String replaceXdmEncoding(String letter, String encoding) {
    Matcher m = xdmPart(letter);
    String headers = m.group(1).replaceFirst("(?i)Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: " + encoding);
    return letter.substring(0, m.start(1)) + headers + letter.substring(m.end(1));
  }

  private static String garbleXdmBase64(String letter) {
    Matcher m = xdmPart(letter);
    String b = m.group(2);
    StringBuilder g = new StringBuilder(b);
    Random r = new Random(7);
    for (int i = 0; i < g.length(); i += 7) {
      if (g.charAt(i) != '\r' && g.charAt(i) != '\n') {
        g.setCharAt(i, "!@#$%^&*()=-_~`".charAt(r.nextInt(15)));
      }
    }
    return letter.substring(0, m.start(2)) + g + letter.substring(m.end(2));
  }

  private static String twoXdms(String letter) {
    Matcher m = xdmPart(letter);
    int partStart = letter.lastIndexOf("\r\n--", m.start(1));
    int partEnd = letter.indexOf("\r\n--", m.end(2));
    String part = letter.substring(partStart, partEnd);
    return letter.substring(0, partEnd) + part + letter.substring(partEnd);
  }

  /** Group 1: the XDM part's headers; group 2: its base64 body. */
  private static Matcher xdmPart(String letter) {
    Matcher m = Pattern.compile("(?s)((?:[^\r\n]+\r\n)*?[^\r\n]*IHE_XDM\\.ZIP[^\r\n]*\r\n(?:[^\r\n]+\r\n)*)\r\n([A-Za-z0-9+/=\r\n]+?)(?=\r\n--)")
        .matcher(letter);
    if (!m.find()) {
      throw new IllegalStateException("no XDM part");
    }
    return m;
  }

  private static String mimeB64(byte[] b) {
    return java.util.Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(b);
  }

  private static String b64(String s) {
    return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String textMessage(String contentType, String body) {
    return "From: " + PEER + "\r\nTo: " + TO + "\r\nSubject: texte\r\nMessage-ID: <text-" + Integer.toHexString(contentType.hashCode())
        + "@cabinet.test>\r\nMIME-Version: 1.0\r\nContent-Type: " + contentType + "\r\n\r\n" + body;
  }

  private static String nested(int depth) {
    StringBuilder b = new StringBuilder("From: " + PEER + "\r\nTo: " + TO + "\r\nSubject: nested\r\nMessage-ID: <nested@cabinet.test>\r\nMIME-Version: 1.0\r\n");
    for (int i = 0; i < depth; i++) {
      b.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
    }
    b.append("Content-Type: text/plain\r\n\r\nfond");
    for (int i = depth - 1; i >= 0; i--) {
      b.append("\r\n--b").append(i).append("--");
    }
    return b.append("\r\n").toString();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static byte[] latin1b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
