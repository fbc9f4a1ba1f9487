package org.pont.index;

import java.util.Objects;

/**
 * Where a message lives on the IMAP server: its folder (IMAP "mailbox"), the folder's UIDVALIDITY
 * and the message's UID. Together they name one message for as long as the folder's UIDVALIDITY
 * does not change, so a search hit can be fetched again and opened.
 */
public record MessageRef(String folder, long uidValidity, long uid) {

  public MessageRef {
    Objects.requireNonNull(folder, "folder");
    if (folder.isEmpty()) {
      throw new IllegalArgumentException("folder is empty");
    }
    if (uidValidity <= 0 || uid <= 0) {
      throw new IllegalArgumentException("UIDVALIDITY and UID are positive numbers, got " + uidValidity + "/" + uid);
    }
  }

  public static MessageRef of(String folder, long uidValidity, long uid) {
    return new MessageRef(folder, uidValidity, uid);
  }

  /** The index key: unique per (folder, UIDVALIDITY, UID), so indexing the same message twice replaces it. */
  String key() {
    return folder + '\u001f' + uidValidity + '\u001f' + uid;
  }

  @Override
  public String toString() {
    return folder + ";UIDVALIDITY=" + uidValidity + ";UID=" + uid;
  }
}
