package org.pont.smime;

import org.pont.PontException;

/** A message could not be signed, encrypted or decrypted; {@link #reason()} says why. */
public final class SmimeException extends PontException {
  private static final long serialVersionUID = 1L;

  /** Why an S/MIME operation failed. */
  public enum Reason {
    /** The message is not S/MIME encrypted (nothing to decrypt). */
    NOT_ENCRYPTED,
    /** None of our keys can open the envelope: it was encrypted for someone else. */
    NOT_FOR_THIS_RECIPIENT,
    /** The CMS or MIME structure is broken (truncated, bad base64, not CMS). */
    MALFORMED,
    /** The ciphertext or its authentication tag was altered, or the key does not fit. */
    DECRYPTION_FAILED,
    /** The message names no recipient to encrypt for. */
    NO_RECIPIENTS,
    /** A recipient's certificate is outside its validity period. */
    RECIPIENT_CERTIFICATE_EXPIRED,
    /** A recipient's certificate does not allow key encipherment / key agreement. */
    RECIPIENT_CERTIFICATE_WRONG_USAGE,
    /** A recipient's key type cannot be used with the requested algorithms. */
    RECIPIENT_KEY_UNSUPPORTED,
    /** Our own signing certificate is expired, lacks the signature usage, or its key is unusable. */
    SIGNER_CERTIFICATE_UNUSABLE,
    /** The message itself could not be read or written (I/O, MIME structure). */
    MESSAGE_UNREADABLE
  }

  private final Reason reason;

  public SmimeException(Reason reason, String message) {
    this(reason, message, null);
  }

  public SmimeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
