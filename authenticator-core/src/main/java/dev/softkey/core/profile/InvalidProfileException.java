package dev.softkey.core.profile;

import java.util.List;

/**
 * A profile that cannot be used: a profile file with a missing, mistyped, misspelled or unknown
 * field, or a profile that breaks an invariant of {@link Profile#validate()}. The message names
 * the profile (file or ID) and every problem; {@link #problems()} lists them one by one.
 */
public final class InvalidProfileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String subject;
  private final List<String> problems;

  /**
   * @param subject what is wrong, for the message: "profile my.json", "profile generic"
   * @param problems one sentence each, naming the field
   */
  public InvalidProfileException(String subject, List<String> problems) {
    super(subject + ": " + String.join("; ", problems));
    this.subject = subject;
    this.problems = List.copyOf(problems);
  }

  /** "profile my.json", "profile generic". */
  public String subject() {
    return subject;
  }

  /** Each problem, naming its field. */
  public List<String> problems() {
    return problems;
  }
}
