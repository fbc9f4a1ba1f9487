package org.pont.message;

import java.math.BigInteger;
import org.pont.message.InvalidInsException.Reason;

/** The NIR/NIA control-key rule, shared by {@link Ins} and its parsers. */
final class InsKey {
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  private InsKey() {}

  /** Null when {@code value} is a well-formed 15-character INS with a right key, else why not. */
  static InvalidInsException problem(String value) {
    if (value == null || value.isEmpty()) {
      return new InvalidInsException(Reason.MISSING, "INS is missing");
    }
    if (value.length() != 15) {
      return new InvalidInsException(Reason.WRONG_LENGTH,
          "INS must be 15 characters (13-character matricule + 2-digit key), got " + value.length());
    }
    String head = value.substring(0, 5);
    String department = value.substring(5, 7);
    String tail = value.substring(7);
    if (!head.chars().allMatch(InsKey::isAsciiDigit)
        || !tail.chars().allMatch(InsKey::isAsciiDigit)
        || !(department.chars().allMatch(InsKey::isAsciiDigit) || department.equals("2A") || department.equals("2B"))) {
      return new InvalidInsException(Reason.WRONG_FORMAT, "INS must be digits only (department 2A or 2B allowed for Corsica)");
    }
    char sex = value.charAt(0);
    if (sex != '1' && sex != '2' && sex != '3' && sex != '4' && sex != '7' && sex != '8') {
      return new InvalidInsException(Reason.WRONG_FORMAT,
          "INS must start with 1, 2 (NIR), 3, 4 (temporary) or 7, 8 (NIA), got " + sex);
    }
    // Corsica: department 2A counts as 19 and 2B as 18 in the number the key is computed on.
    String digits = value.substring(0, 5) + department.replace("2A", "19").replace("2B", "18") + value.substring(7, 13);
    BigInteger number = new BigInteger(digits);
    int expected = 97 - number.mod(NINETY_SEVEN).intValue();
    int given = Integer.parseInt(value.substring(13));
    if (expected != given) {
      // Neither the key nor the expected key is echoed: both would help rebuild a patient identifier in logs.
      return new InvalidInsException(Reason.WRONG_KEY,
          "INS key does not match its matricule: check the number was copied correctly");
    }
    return null;
  }

  private static boolean isAsciiDigit(int c) {
    return c >= '0' && c <= '9';
  }
}
