package org.pont.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

class LoopPreventionTest {

  private static MimeMessage plain(String extraHeaders) {
    return Samples.parse(("From: a@hopital.test\r\nTo: b@cabinet.test\r\nSubject: s\r\n" + extraHeaders
        + "Content-Type: text/plain\r\n\r\nbody\r\n"));
  }

  @Test
  void anOrdinaryMessageMayBeAnswered() {
    assertThat(LoopPrevention.mayNotify(plain(""))).isTrue();
    assertThat(LoopPrevention.mayNotify(plain("Auto-Submitted: no\r\nReturn-Path: <a@hopital.test>\r\nPrecedence: first-class\r\n"))).isTrue();
  }

  @Test
  void aDsnIsNeverAnswered() {
    assertThat(LoopPrevention.mayNotify(Samples.sample("direct-DSNMessage.txt"))).isFalse();
  }

  @Test
  void anMdnIsNeverAnswered() {
    assertThat(LoopPrevention.mayNotify(Samples.sample("direct-MDNMessage.txt"))).isFalse();
    assertThat(LoopPrevention.mayNotify(Samples.sample("direct-MDNResponse.txt"))).isFalse();
  }

  @Test
  void aMessageMarkedAutoSubmittedIsNotAnswered() {
    assertThat(LoopPrevention.mayNotify(plain("Auto-Submitted: auto-replied\r\n"))).isFalse();
    assertThat(LoopPrevention.mayNotify(plain("Auto-Submitted: auto-generated (daily report)\r\n"))).isFalse();
  }

  @Test
  void aMessageWithANullReturnPathIsNotAnswered() {
    assertThat(LoopPrevention.whyNot(plain("Return-Path: < >\r\n"))).get().asString().contains("null return path");
  }

  @Test
  void listAndBulkMailIsNotAnswered() {
    assertThat(LoopPrevention.mayNotify(plain("Precedence: bulk\r\n"))).isFalse();
    assertThat(LoopPrevention.mayNotify(plain("Precedence: junk\r\n"))).isFalse();
    assertThat(LoopPrevention.mayNotify(plain("Precedence: List\r\n"))).isFalse();
  }

  @Test
  void mailFromAListIdentifiedByListIdIsNotAnswered() {
    assertThat(LoopPrevention.whyNot(plain("List-Id: Cardiologie <cardio.list.hopital.test>\r\n"))).get().asString().contains("List-Id");
  }

  @Test
  void whatPontBuildsIsNeverAnsweredEither() throws Exception {
    MimeMessage mdn = MdnBuilder.of("<x@hopital.test>", "a@hopital.test").from("b@cabinet.test").build();
    assertThat(LoopPrevention.mayNotify(Samples.reread(mdn))).isFalse();
  }
}
