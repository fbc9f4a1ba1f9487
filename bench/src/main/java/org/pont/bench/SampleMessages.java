package org.pont.bench;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/** The messages the benchmarks send and read: a PDF of a given size, and the MSSanté message Pont builds around it. */
public final class SampleMessages {

  private SampleMessages() {}

  /** The unsigned MSSanté message for {@code pdf} with the REST call's metadata (patient, type, subject), as MIME bytes. */
  public static byte[] mssanteMessage(byte[] pdf, String sender, String recipient, String ins, Session session) throws Exception {
    org.pont.message.Patient patient = new org.pont.message.Patient(
        org.pont.message.Ins.of(ins, org.pont.message.InsKind.INS_NIR_TEST), "Pat-Trois", List.of("Dominique"),
        java.time.LocalDate.of(1979, 3, 28), org.pont.message.Sex.FEMALE);
    org.pont.message.DocumentType type = org.pont.message.DocumentType.byCode("11490-0").orElseThrow();
    org.pont.cda.Organization hospital = org.pont.cda.Organization.finess("330781196", "Hopital du bench");
    org.pont.cda.CdaHeader header = org.pont.cda.CdaHeader.builder(type).title("Lettre de liaison")
        .effectiveTime(java.time.OffsetDateTime.now()).patient(patient)
        .author(org.pont.cda.Author.of(org.pont.cda.InstanceId.rpps("10000000001"), org.pont.cda.PersonName.of("Anne", "Bench"),
            org.pont.cda.Author.specialty("G15_10/SM26", "Médecin - Qualifié en Médecine Générale (SM)"), hospital))
        .custodian(hospital).healthcareFacilityType(org.pont.cda.CdaCode.FACILITY_PUBLIC_HOSPITAL)
        .practiceSetting(org.pont.cda.CdaCode.PRACTICE_HOSPITAL).build();
    byte[] xml = org.pont.cda.Level1Document.pdf(header, pdf).toXml();
    org.pont.message.CoordinationMessage m = org.pont.message.CoordinationMessage.builder()
        .from(org.pont.message.Party.of(sender)).to(org.pont.message.Party.of(recipient)).subject("Sortie")
        .body("Bonjour, ci-joint la lettre de liaison.").patient(patient)
        .document(new org.pont.message.ClinicalDocument(type, "Lettre de liaison", org.pont.message.ClinicalDocument.CDA_MEDIA_TYPE,
            "document.xml", xml))
        .build();
    MimeMessage mime = org.pont.mssante.MssanteMessageWriter.of("Pont-bench/1.0", "1.2.250.1.999.1").write(m, session);
    mime.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length * 3);
    mime.writeTo(out);
    return out.toByteArray();
  }

  /** A PDF of about {@code size} bytes: one stream object of random (incompressible) bytes, as compressed content is. */
  public static byte[] pdf(int size, SplittableRandom rnd) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 512);
    byte[] content = new byte[Math.max(0, size - 200)];
    rnd.nextBytes(content);
    out.write("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        .getBytes(StandardCharsets.US_ASCII));
    out.write(("3 0 obj << /Length " + content.length + " >>\nstream\n").getBytes(StandardCharsets.US_ASCII));
    out.write(content);
    out.write("\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

}
