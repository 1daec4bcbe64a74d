package dev.softkey.core.bio;

import dev.softkey.ctap.model.Bytes;
import java.util.Objects;
import java.util.Optional;

/**
 * One enrolled fingerprint (CTAP 2.1 section 6.7: a template with its templateId and, once set, a
 * templateFriendlyName). softkey keeps no biometric data: a template is what identifies a simulated
 * finger.
 */
public record Template(Bytes templateId, Optional<String> friendlyName) {
  public Template {
    Objects.requireNonNull(templateId, "templateId");
    Objects.requireNonNull(friendlyName, "friendlyName");
    if (templateId.length() == 0) {
      throw new IllegalArgumentException("a templateId has at least one byte");
    }
  }

  public Template withFriendlyName(String name) {
    return new Template(templateId, Optional.of(name));
  }
}
