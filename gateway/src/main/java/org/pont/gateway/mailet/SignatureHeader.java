package org.pont.gateway.mailet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.pont.smime.SignerBinding;

/**
 * The value of {@code X-Pont-Signature}, the verdict the gateway writes on inbound mail it
 * delivers opened, built and read here only:
 * <ul>
 *   <li>{@code VALID; signer=<address>; binding=DOMAIN|ADDRESS}</li>
 *   <li>{@code NOT_SIGNED} (when the policy delivers unsigned mail)</li>
 *   <li>{@code NOT_VERIFIED; end-to-end encrypted, the recipient verifies}</li>
 * </ul>
 * Invalid signatures are never delivered (they are quarantined), so there is no value for them.
 *
 * @param verdict what the gateway found
 * @param signer the signer's address, for {@link Verdict#VALID}
 * @param binding how the signer's certificate binds the From address, for {@link Verdict#VALID}
 */
public record SignatureHeader(Verdict verdict, Optional<String> signer, Optional<SignerBinding> binding) {

  static final String END_TO_END_NOTE = "end-to-end encrypted, the recipient verifies";

  /** The verdicts a delivered message can carry. */
  public enum Verdict {
    /** Signed, and the signature verified against the trust anchors. */
    VALID,
    /** No S/MIME signature (delivered only when {@code pont.policy.unsigned=deliver}). */
    NOT_SIGNED,
    /** End-to-end encrypted to a person: the gateway could not open it, the recipient verifies. */
    NOT_VERIFIED
  }

  public SignatureHeader {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(binding, "binding");
    if (verdict == Verdict.VALID) {
      String s = signer.orElseThrow(() -> new IllegalArgumentException("a VALID verdict names its signer"));
      if (s.isBlank() || s.chars().anyMatch(c -> c == ';' || Character.isWhitespace(c))) {
        throw new IllegalArgumentException("not a signer address: '" + s + "'");
      }
      if (binding.isEmpty() || binding.get() == SignerBinding.NONE) {
        throw new IllegalArgumentException("a VALID verdict says how the signer is bound (DOMAIN or ADDRESS)");
      }
    } else if (signer.isPresent() || binding.isPresent()) {
      throw new IllegalArgumentException(verdict + " has no signer nor binding");
    }
  }

  public static SignatureHeader valid(String signer, SignerBinding binding) {
    return new SignatureHeader(Verdict.VALID, Optional.of(signer), Optional.of(binding));
  }

  public static SignatureHeader notSigned() {
    return new SignatureHeader(Verdict.NOT_SIGNED, Optional.empty(), Optional.empty());
  }

  public static SignatureHeader endToEnd() {
    return new SignatureHeader(Verdict.NOT_VERIFIED, Optional.empty(), Optional.empty());
  }

  /** The header value. */
  public String value() {
    return switch (verdict) {
      case VALID -> "VALID; signer=" + signer.orElseThrow() + "; binding=" + binding.orElseThrow().name();
      case NOT_SIGNED -> "NOT_SIGNED";
      case NOT_VERIFIED -> "NOT_VERIFIED; " + END_TO_END_NOTE;
    };
  }

  /** Whether the message carried a signature (verified or not). */
  public boolean signed() {
    return verdict != Verdict.NOT_SIGNED;
  }

  /**
   * Reads a header value this class wrote; empty when it is not one (a header that should not be
   * there: the pipeline strips senders' {@code X-Pont-*} headers before it writes its own).
   */
  public static Optional<SignatureHeader> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (String p : value.split(";")) {
      parts.add(p.strip());
    }
    try {
      Verdict verdict = Verdict.valueOf(parts.get(0).toUpperCase(Locale.ROOT));
      String signer = null;
      SignerBinding binding = null;
      for (String p : parts.subList(1, parts.size())) {
        int eq = p.indexOf('=');
        String key = eq < 0 ? "" : p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String v = eq < 0 ? "" : p.substring(eq + 1).strip();
        switch (key) {
          case "signer" -> signer = v;
          case "binding" -> binding = SignerBinding.valueOf(v.toUpperCase(Locale.ROOT));
          default -> {
            if (!(verdict == Verdict.NOT_VERIFIED && p.equals(END_TO_END_NOTE))) {
              return Optional.empty();
            }
          }
        }
      }
      return Optional.of(new SignatureHeader(verdict, Optional.ofNullable(signer), Optional.ofNullable(binding)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
