package org.pont.tracking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An MDN {@code Disposition} field (RFC 8098 §3.2.6):
 * {@code action-mode/sending-mode; type[/modifier,...]}, e.g.
 * {@code automatic-action/MDN-sent-automatically; processed} or the ANS integration error
 * {@code automatic-action/MDN-sent-automatically; processed/Error: 902^Patient inconnu}.
 * Keywords are written exactly as the RFC spells them and read case-insensitively.
 */
public record Disposition(ActionMode actionMode, SendingMode sendingMode, Type type, List<String> modifiers) {

  /** Whether the disposition was taken by a person or by software. */
  public enum ActionMode {
    MANUAL("manual-action"),
    AUTOMATIC("automatic-action");

    private final String keyword;

    ActionMode(String keyword) {
      this.keyword = keyword;
    }

    public String keyword() {
      return keyword;
    }
  }

  /** Whether the MDN itself was sent by a person's decision or automatically. */
  public enum SendingMode {
    MANUALLY("MDN-sent-manually"),
    AUTOMATICALLY("MDN-sent-automatically");

    private final String keyword;

    SendingMode(String keyword) {
      this.keyword = keyword;
    }

    public String keyword() {
      return keyword;
    }
  }

  /**
   * Disposition types. RFC 8098 defines {@code displayed}, {@code deleted}, {@code dispatched},
   * {@code processed}; {@code denied} and {@code failed} come from RFC 3798/2298 and are still
   * sent by Direct implementations, so they are read (and can be written) too.
   */
  public enum Type {
    DISPLAYED("displayed"),
    DELETED("deleted"),
    DISPATCHED("dispatched"),
    PROCESSED("processed"),
    /** Obsolete in RFC 8098 (RFC 3798): the recipient refused to send a positive MDN. */
    DENIED("denied"),
    /** Obsolete in RFC 8098 (RFC 3798); used by the Direct Project for failed delivery. */
    FAILED("failed");

    private final String keyword;

    Type(String keyword) {
      this.keyword = keyword;
    }

    public String keyword() {
      return keyword;
    }

    static Optional<Type> ofKeyword(String keyword) {
      return Arrays.stream(values()).filter(t -> t.keyword.equalsIgnoreCase(keyword)).findFirst();
    }
  }

  public Disposition {
    Objects.requireNonNull(actionMode, "actionMode");
    Objects.requireNonNull(sendingMode, "sendingMode");
    Objects.requireNonNull(type, "type");
    modifiers = List.copyOf(modifiers);
    for (String m : modifiers) {
      if (m.isBlank() || m.contains("\r") || m.contains("\n")) {
        throw new IllegalArgumentException("bad disposition modifier: '" + m + "'");
      }
    }
  }

  /** {@code automatic-action/MDN-sent-automatically; processed}: the ANS integration acknowledgement. */
  public static Disposition processed() {
    return new Disposition(ActionMode.AUTOMATIC, SendingMode.AUTOMATICALLY, Type.PROCESSED, List.of());
  }

  /** {@code automatic-action/MDN-sent-automatically; processed/Error: <code>^<label>}. */
  public static Disposition integrationError(IntegrationError error) {
    return new Disposition(ActionMode.AUTOMATIC, SendingMode.AUTOMATICALLY, Type.PROCESSED, List.of(error.modifier()));
  }

  /** {@code manual-action/MDN-sent-manually; displayed}: a person opened the message and chose to send the receipt. */
  public static Disposition displayedManually() {
    return new Disposition(ActionMode.MANUAL, SendingMode.MANUALLY, Type.DISPLAYED, List.of());
  }

  /** {@code automatic-action/MDN-sent-automatically; dispatched}. */
  public static Disposition dispatched() {
    return new Disposition(ActionMode.AUTOMATIC, SendingMode.AUTOMATICALLY, Type.DISPATCHED, List.of());
  }

  /** The integration error carried in a modifier, if any. */
  public Optional<IntegrationError> integrationError() {
    return modifiers.stream().map(IntegrationError::fromModifier).flatMap(Optional::stream).findFirst();
  }

  /** The field value, e.g. {@code automatic-action/MDN-sent-automatically; processed/Error: 902^Patient inconnu}. */
  public String format() {
    String value = actionMode.keyword() + "/" + sendingMode.keyword() + "; " + type.keyword();
    return modifiers.isEmpty() ? value : value + "/" + String.join(",", modifiers);
  }

  /**
   * Reads a field value. RFC comments in parentheses before the type are dropped.
   *
   * @throws IllegalArgumentException with a message naming what is wrong
   */
  public static Disposition parse(String value) {
    String v = value.strip();
    int semi = v.indexOf(';');
    if (semi < 0) {
      throw new IllegalArgumentException("Disposition has no ';' between mode and type: '" + value + "'");
    }
    String[] modes = stripComments(v.substring(0, semi)).split("/", -1);
    if (modes.length != 2) {
      throw new IllegalArgumentException("Disposition mode is not action-mode/sending-mode: '" + value + "'");
    }
    ActionMode action = Arrays.stream(ActionMode.values()).filter(m -> m.keyword.equalsIgnoreCase(modes[0].strip()))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown Disposition action mode '" + modes[0].strip() + "'"));
    SendingMode sending = Arrays.stream(SendingMode.values()).filter(m -> m.keyword.equalsIgnoreCase(modes[1].strip()))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown Disposition sending mode '" + modes[1].strip() + "'"));
    String rest = v.substring(semi + 1).strip();
    int slash = rest.indexOf('/');
    String typeWord = stripComments(slash < 0 ? rest : rest.substring(0, slash)).strip();
    Type type = Type.ofKeyword(typeWord)
        .orElseThrow(() -> new IllegalArgumentException("unknown Disposition type '" + typeWord + "'"));
    List<String> modifiers = new ArrayList<>();
    if (slash >= 0) {
      String mods = rest.substring(slash + 1).strip();
      if (mods.toLowerCase(Locale.ROOT).startsWith("error:")) {
        modifiers.add(mods); // ANS form: the label after '^' is free text and may hold commas
      } else {
        for (String m : mods.split(",")) {
          if (!m.isBlank()) {
            modifiers.add(m.strip());
          }
        }
      }
    }
    return new Disposition(action, sending, type, modifiers);
  }

  private static String stripComments(String s) {
    return s.replaceAll("\\([^)]*\\)", "").strip();
  }
}
