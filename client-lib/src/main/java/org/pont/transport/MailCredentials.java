package org.pont.transport;

import java.util.Arrays;
import java.util.Objects;

/**
 * A mailbox login: user name and password. The password is held as a {@code char[]} copy, never
 * printed ({@link #toString()} masks it) and can be wiped with {@link #destroy()}.
 */
public final class MailCredentials {
  private final String user;
  private final char[] password;

  private MailCredentials(String user, char[] password) {
    this.user = user;
    this.password = password;
  }

  /** Copies the password; the caller may wipe its own array afterwards. */
  public static MailCredentials of(String user, char[] password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isBlank()) {
      throw new IllegalArgumentException("user is empty");
    }
    return new MailCredentials(user, password.clone());
  }

  public String user() {
    return user;
  }

  /** A copy of the password. */
  public char[] password() {
    return password.clone();
  }

  /** Overwrites the password in memory; the credentials cannot log in afterwards. */
  public void destroy() {
    Arrays.fill(password, '\0');
  }

  @Override
  public String toString() {
    return "MailCredentials[user=" + user + ", password=****]";
  }
}
