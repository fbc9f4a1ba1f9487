package org.pont.cda;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating one CDA document: which schematron ran, and every failed assertion
 * (plus Pont's own rules). The document is valid when no failure has {@link Severity#ERROR}.
 *
 * @param schematron the schematron file that ran, relative to the schematron folder when inside it
 * @param firedRules how many schematron rules matched something in the document: zero means the
 *     schematron did not apply to this document at all, which a caller should treat with suspicion
 * @param elapsed how long the validation took (compilation excluded)
 */
public record ValidationReport(String schematron, List<Failure> failures, int firedRules, Duration elapsed) {

  public ValidationReport {
    Objects.requireNonNull(schematron, "schematron");
    failures = List.copyOf(failures);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** True when nothing of severity {@link Severity#ERROR} failed. */
  public boolean isValid() {
    return errors().isEmpty();
  }

  public List<Failure> errors() {
    return failures.stream().filter(f -> f.severity() == Severity.ERROR).toList();
  }

  public List<Failure> warnings() {
    return failures.stream().filter(f -> f.severity() != Severity.ERROR).toList();
  }

  /** How serious a failure is, from the schematron's {@code role} (ANS: error, warning, info). */
  public enum Severity {
    ERROR, WARNING, INFO
  }

  /** Who stated the rule that failed. */
  public enum Origin {
    /** An assertion or report of the ANS schematron. */
    SCHEMATRON,
    /** A rule Pont adds on top of the schematron (e.g. an INS must identify the patient). */
    PONT
  }

  /**
   * One failed rule.
   *
   * @param location XPath of the element the rule fired on, e.g. {@code /*:ClinicalDocument[1]/*:code[1]}
   * @param test the XPath test that failed (schematron) or a short rule name (Pont)
   * @param message the rule's own explanation, whitespace collapsed
   */
  public record Failure(Severity severity, Origin origin, String location, String test, String message) {
    public Failure {
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(test, "test");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return severity + " " + location + ": " + message;
    }
  }
}
