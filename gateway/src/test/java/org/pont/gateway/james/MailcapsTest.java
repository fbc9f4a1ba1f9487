package org.pont.gateway.james;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MailcapsTest {

  @Test
  void eachActivationFrameworkGetsItsOwnHandlers() {
    Mailcaps.register();

    for (String type : new String[] {"text/plain", "text/html", "multipart/mixed", "message/rfc822"}) {
      assertThat(jakarta.activation.CommandMap.getDefaultCommandMap().createDataContentHandler(type))
          .as("jakarta " + type).isNotNull()
          .satisfies(h -> assertThat(h.getClass().getName()).startsWith("org.eclipse.angus.mail.handlers."));
      assertThat(javax.activation.CommandMap.getDefaultCommandMap().createDataContentHandler(type))
          .as("javax " + type).isNotNull()
          .satisfies(h -> assertThat(h.getClass().getName()).startsWith("com.sun.mail.handlers."));
    }
  }

  @Test
  void javaxReadsSmimeContentAsBytesInsteadOfBouncyCastlesJakartaHandlers() {
    Mailcaps.register();

    for (String type : new String[] {"application/pkcs7-mime", "application/pkcs7-signature"}) {
      assertThat(javax.activation.CommandMap.getDefaultCommandMap().createDataContentHandler(type))
          .as(type).isInstanceOf(JavaxRawContentHandler.class);
    }
  }
}
