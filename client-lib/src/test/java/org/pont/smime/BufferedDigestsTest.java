package org.pont.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Random;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

class BufferedDigestsTest {

  @Test
  void digestOfBytesFedOneAtATimeIsTheDigestOfTheWholeInput() throws Exception {
    byte[] data = new byte[100_003]; // not a multiple of the buffer: the tail must be flushed too
    new Random(7).nextBytes(data);
    DigestCalculator calc = new BufferedDigests(new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build())
        .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
    OutputStream out = calc.getOutputStream();
    // One byte at a time (as BC's canonicaliser writes), then small and large blocks.
    for (int i = 0; i < 50_000; i++) {
      out.write(data[i]);
    }
    out.write(data, 50_000, 10);
    out.write(data, 50_010, 40_000);
    out.write(data, 90_010, 9_993);
    assertThat(calc.getOutputStream()).isSameAs(out);
    assertThat(calc.getDigest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void jdkFirstDigestsAgreeWithBouncyCastleAndFallBackForWhatOnlyItKnows() throws Exception {
    byte[] data = new byte[70_001];
    new Random(11).nextBytes(data);
    var bc = new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build();
    var pont = BufferedDigests.preferringJdk();
    for (var oid : java.util.List.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384,
        NISTObjectIdentifiers.id_sha512, org.bouncycastle.asn1.oiw.OIWObjectIdentifiers.idSHA1,
        // Not in the JDK: served by Bouncy Castle.
        org.bouncycastle.asn1.gm.GMObjectIdentifiers.sm3)) {
      AlgorithmIdentifier alg = new AlgorithmIdentifier(oid);
      DigestCalculator expected = bc.get(alg);
      expected.getOutputStream().write(data);
      DigestCalculator actual = pont.get(alg);
      actual.getOutputStream().write(data);
      assertThat(actual.getDigest()).as(oid.getId()).isEqualTo(expected.getDigest());
    }
  }
}
