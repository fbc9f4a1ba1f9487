package org.pont.tracking;

import java.util.Arrays;
import java.util.Optional;

/** A DSN per-recipient {@code Action} (RFC 3464 §2.3.3), with its exact keyword. */
public enum Action {
  FAILED("failed"),
  DELAYED("delayed"),
  DELIVERED("delivered"),
  RELAYED("relayed"),
  EXPANDED("expanded");

  private final String keyword;

  Action(String keyword) {
    this.keyword = keyword;
  }

  public String keyword() {
    return keyword;
  }

  static Optional<Action> ofKeyword(String keyword) {
    return Arrays.stream(values()).filter(a -> a.keyword.equalsIgnoreCase(keyword.strip())).findFirst();
  }
}
