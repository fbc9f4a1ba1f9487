package org.pont.transport;

import java.util.Arrays;
import java.util.Objects;

/**
 * A mailbox login: user name and a secret — a password (local development) or an OAuth 2 access
 * token sent with SASL XOAUTH2 (MSSanté PER/ORG mailboxes log in with a Pro Santé Connect token).
 * The secret is held as a {@code char[]} copy, never printed ({@link #toString()} masks it) and can
 * be wiped with {@link #destroy()}.
 */
public final class MailCredentials {
  /** How the secret is presented to the server. */
  public enum Mechanism {
    /** AUTH PLAIN / LOGIN with a password. */
    PASSWORD,
    /** SASL XOAUTH2 with an OAuth 2 access token (and nothing else). */
    XOAUTH2
  }

  private final String user;
  private final char[] password;
  private final Mechanism mechanism;

  private MailCredentials(String user, char[] password, Mechanism mechanism) {
    this.user = user;
    this.password = password;
    this.mechanism = mechanism;
  }

  /** A user and password; copies the password, so the caller may wipe its own array afterwards. */
  public static MailCredentials of(String user, char[] password) {
    return create(user, password, Mechanism.PASSWORD);
  }

  /** A user and an OAuth 2 access token, presented with XOAUTH2 only; copies the token. */
  public static MailCredentials oauth2(String user, char[] accessToken) {
    return create(user, accessToken, Mechanism.XOAUTH2);
  }

  private static MailCredentials create(String user, char[] secret, Mechanism mechanism) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(secret, "secret");
    if (user.isBlank()) {
      throw new IllegalArgumentException("user is empty");
    }
    return new MailCredentials(user, secret.clone(), mechanism);
  }

  public Mechanism mechanism() {
    return mechanism;
  }

  public String user() {
    return user;
  }

  /** A copy of the password or token. */
  public char[] password() {
    return password.clone();
  }

  /** Overwrites the password in memory; the credentials cannot log in afterwards. */
  public void destroy() {
    Arrays.fill(password, '\0');
  }

  @Override
  public String toString() {
    return "MailCredentials[user=" + user + ", " + mechanism + ", secret=****]";
  }
}
