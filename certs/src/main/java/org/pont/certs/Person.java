package org.pont.certs;

import java.util.Objects;

/** A professional's personal signature and encryption credentials; rfc822Name = their MSSanté address. */
public record Person(String address, Credential signature, Credential encryption) {

  public Person {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(encryption, "encryption");
  }
}
