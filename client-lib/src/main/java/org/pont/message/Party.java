package org.pont.message;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A sender or recipient: an MSSanté mailbox address and, optionally, the name people see.
 * The domain is kept in lower case so that addresses compare as mail servers compare them.
 */
public record Party(String address, Optional<String> displayName) {

  // Deliberately simple: one @, no spaces or angle brackets; full RFC 5322 parsing is the transport's job.
  private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\",;]+@[A-Za-z0-9.-]+\\.[A-Za-z0-9-]+");

  public Party {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(displayName, "displayName");
    if (!ADDRESS.matcher(address).matches()) {
      throw new IllegalArgumentException("not a mail address: '" + address + "'");
    }
    int at = address.lastIndexOf('@');
    address = address.substring(0, at + 1) + address.substring(at + 1).toLowerCase(Locale.ROOT);
  }

  public static Party of(String address) {
    return new Party(address, Optional.empty());
  }

  public static Party of(String address, String displayName) {
    return new Party(address, Optional.ofNullable(displayName).filter(n -> !n.isBlank()));
  }

  /** The part after the @, in lower case. */
  public String domain() {
    return address.substring(address.lastIndexOf('@') + 1);
  }
}
