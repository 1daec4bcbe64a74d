package dev.softkey.core.bio;

import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.ctap.command.EnrollSampleStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.Objects;

/**
 * The user's finger on the emulated fingerprint sensor, as a test (or the CLI's presence policy)
 * chooses it: which enrolled template the finger presented for verification matches, if any, and
 * what the sensor makes of each enrollment sample. Ready-made fingers are in {@link Fingers}.
 *
 * <p>Implementations may block (a console prompt, a delay) but must send keepalives through the
 * context at least every 100 ms and answer {@link Cancelled} promptly once the context is cancelled.
 */
public interface SimulatedFinger {
  /** What happens when the sensor waits for a finger to verify (built-in UV). */
  sealed interface Touch permits EnrolledFinger, FingerOf, UnknownFinger, NoFinger, Cancelled {}

  /** What happens when an enrollment waits for a sample (enrollBegin, enrollCaptureNextSample). */
  sealed interface Sample permits Captured, NoFinger, Cancelled {}

  /** The finger of an enrolled template, whichever (the first one): verified while any is enrolled. */
  record EnrolledFinger() implements Touch {}

  /** The finger enrolled as {@code templateId}: verified while that template is enrolled. */
  record FingerOf(Bytes templateId) implements Touch {
    public FingerOf {
      Objects.requireNonNull(templateId, "templateId");
    }
  }

  /** A finger that matches no template: a failed attempt, counted against uvRetries. */
  record UnknownFinger() implements Touch {}

  /** No finger within the time the sensor waits: a user action timeout. */
  record NoFinger() implements Touch, Sample {}

  /** The platform cancelled while the sensor waited. */
  record Cancelled() implements Touch, Sample {}

  /** A sample was taken; {@link EnrollSampleStatus#FP_GOOD} counts towards the enrollment. */
  record Captured(EnrollSampleStatus status) implements Sample {
    public Captured {
      Objects.requireNonNull(status, "status");
    }
  }

  /** One built-in user verification attempt. */
  Touch touch(UserRequest request, OperationContext ctx);

  /** One enrollment sample. */
  Sample sample(UserRequest request, OperationContext ctx);
}
