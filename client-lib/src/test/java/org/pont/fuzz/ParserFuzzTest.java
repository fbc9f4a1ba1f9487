package org.pont.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Properties;
import org.pont.cda.CdaException;
import org.pont.cda.CdaReader;
import org.pont.message.InvalidInsException;
import org.pont.message.Ins;
import org.pont.message.InsKind;
import org.pont.mssante.MssanteException;
import org.pont.mssante.MssanteMessageReader;
import org.pont.xdm.XdmException;
import org.pont.xdm.XdmLimits;
import org.pont.xdm.XdmReader;

/**
 * Coverage-guided fuzz targets (Jazzer) for the parsers that read what other operators send: the
 * MSSanté message reader (MIME), the XDM reader, the CDA header reader and the INS parser.
 *
 * <p>The contract under test: whatever the bytes, each parser either returns or throws its own
 * checked exception (which the gateway turns into a quarantine reason). Anything else escaping
 * (a RuntimeException, an Error such as StackOverflowError or OutOfMemoryError) is a finding: in
 * the gateway it would send the mail to James's error repository instead of the quarantine.
 *
 * <p>Under plain JUnit (the default build) each target runs once per file of its seed corpus in
 * {@code src/test/resources/org/pont/fuzz/ParserFuzzTestInputs/<target>/}, which also keeps the
 * reproducers of past findings. Fuzzing proper: {@code bench/fuzz <target> <seconds>} (docs/FUZZING.md).
 */
class ParserFuzzTest {
  private static final Session SESSION = Session.getInstance(new Properties());
  private static final MssanteMessageReader MSSANTE = MssanteMessageReader.withDefaults();
  // Small limits so that a fuzzer's zip bomb costs milliseconds, not the default 100 MiB.
  private static final XdmReader XDM = XdmReader.withLimits(new XdmLimits(1 << 20, 4 << 20, 200, 100, 1 << 20));
  private static final CdaReader CDA = new CdaReader();

  @FuzzTest(maxDuration = "5m")
  void mssanteMessage(byte[] data) {
    MimeMessage mime;
    try {
      mime = new MimeMessage(SESSION, new ByteArrayInputStream(data));
    } catch (MessagingException e) {
      return;
    }
    try {
      MSSANTE.read(mime);
    } catch (MssanteException expected) {
      // refused with a reason: what the gateway quarantines
    }
  }

  @FuzzTest(maxDuration = "5m")
  void xdmPackage(byte[] data) {
    try {
      XDM.read(new ByteArrayInputStream(data));
    } catch (XdmException | IOException expected) {
      // refused with a reason
    }
  }

  @FuzzTest(maxDuration = "5m")
  void cdaHeader(byte[] data) {
    try {
      CDA.read(data);
    } catch (CdaException expected) {
      // refused with a reason
    }
  }

  @FuzzTest(maxDuration = "5m")
  void ins(FuzzedDataProvider data) {
    String oid = data.consumeString(40);
    String cx = data.consumeString(200);
    String value = data.consumeRemainingAsString();
    for (InsKind kind : InsKind.values()) {
      try {
        Ins.parse(value, kind);
      } catch (InvalidInsException expected) {
        // refused with a reason
      }
    }
    try {
      Ins.parse(value, oid);
    } catch (InvalidInsException expected) {
      // refused with a reason
    }
    try {
      Ins.parseCx(cx);
    } catch (InvalidInsException expected) {
      // refused with a reason
    }
  }
}
