package org.pont.gateway.directory;

import java.util.Optional;

/**
 * A directory search: free text over names, organisation, profession, specialty, service and
 * place, plus optional filters; every part given must match.
 *
 * @param text free text (accent-insensitive, typo-tolerant), empty for none
 * @param profession filter on the profession or specialty (accent-insensitive)
 * @param city filter on city or postcode
 * @param mailbox filter on an exact mailbox address, or a domain when it starts with {@code @}
 * @param type filter on the type of a published mailbox (PER, ORG, APP, CAB)
 * @param page zero-based page
 * @param pageSize results per page, 1..{@value #MAX_PAGE_SIZE}
 */
public record DirectoryQuery(
    String text, Optional<String> profession, Optional<String> city, Optional<String> mailbox, int page, int pageSize,
    Optional<Mailbox.Type> type) {
  public static final int MAX_PAGE_SIZE = 200;

  public DirectoryQuery {
    text = text == null ? "" : text.strip();
    profession = profession.filter(s -> !s.isBlank());
    city = city.filter(s -> !s.isBlank());
    mailbox = mailbox.filter(s -> !s.isBlank());
    type = type == null ? Optional.empty() : type;
    if (page < 0) {
      throw new IllegalArgumentException("page must be >= 0: " + page);
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE_SIZE + ": " + pageSize);
    }
  }

  /** Without a mailbox-type filter. */
  public DirectoryQuery(
      String text, Optional<String> profession, Optional<String> city, Optional<String> mailbox, int page, int pageSize) {
    this(text, profession, city, mailbox, page, pageSize, Optional.empty());
  }

  /** Free text, first page of 20. */
  public static DirectoryQuery text(String text) {
    return new DirectoryQuery(text, Optional.empty(), Optional.empty(), Optional.empty(), 0, 20);
  }

  public DirectoryQuery withProfession(String p) {
    return new DirectoryQuery(text, Optional.ofNullable(p), city, mailbox, page, pageSize, type);
  }

  public DirectoryQuery withCity(String c) {
    return new DirectoryQuery(text, profession, Optional.ofNullable(c), mailbox, page, pageSize, type);
  }

  public DirectoryQuery withMailbox(String m) {
    return new DirectoryQuery(text, profession, city, Optional.ofNullable(m), page, pageSize, type);
  }

  public DirectoryQuery page(int page, int pageSize) {
    return new DirectoryQuery(text, profession, city, mailbox, page, pageSize, type);
  }

  /** Only entries with a published mailbox of this type; null for any. */
  public DirectoryQuery withType(Mailbox.Type t) {
    return new DirectoryQuery(text, profession, city, mailbox, page, pageSize, Optional.ofNullable(t));
  }
}
