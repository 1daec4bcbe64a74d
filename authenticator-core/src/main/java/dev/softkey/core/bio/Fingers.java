package dev.softkey.core.bio;

import dev.softkey.core.bio.SimulatedFinger.Captured;
import dev.softkey.core.bio.SimulatedFinger.Cancelled;
import dev.softkey.core.bio.SimulatedFinger.EnrolledFinger;
import dev.softkey.core.bio.SimulatedFinger.FingerOf;
import dev.softkey.core.bio.SimulatedFinger.NoFinger;
import dev.softkey.core.bio.SimulatedFinger.Sample;
import dev.softkey.core.bio.SimulatedFinger.Touch;
import dev.softkey.core.bio.SimulatedFinger.UnknownFinger;
import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.ctap.command.EnrollSampleStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/** Ready-made {@link SimulatedFinger}s. */
public final class Fingers {
  private Fingers() {}

  /** An enrolled finger, every time; every enrollment sample is good (CI). */
  public static SimulatedFinger enrolled() {
    return of(new EnrolledFinger());
  }

  /** The finger enrolled as {@code templateId}, every time; every enrollment sample is good. */
  public static SimulatedFinger of(Bytes templateId) {
    return of(new FingerOf(templateId));
  }

  /** A finger that matches no template, every time; every enrollment sample is good (it is a new finger). */
  public static SimulatedFinger unknown() {
    return of(new UnknownFinger());
  }

  /** The same touch every time; every enrollment sample is good. */
  public static SimulatedFinger of(Touch touch) {
    return new SimulatedFinger() {
      @Override
      public Touch touch(UserRequest r, OperationContext ctx) {
        return touch;
      }

      @Override
      public Sample sample(UserRequest r, OperationContext ctx) {
        return new Captured(EnrollSampleStatus.FP_GOOD);
      }
    };
  }

  /**
   * The same simulated user as a presence policy: each attempt asks {@code presence} (so delays,
   * keepalives, prompts and cancellation behave as for a touch) and maps its answer. For
   * verification APPROVED is an enrolled finger, DENIED another finger; for enrollment APPROVED is
   * a good sample, DENIED a sample without user activity (the user never touched); TIMEOUT is no
   * finger, CANCELLED stays cancelled. This is what {@code AuthenticatorBuilder} wires for profiles
   * with built-in UV when no finger is given, so {@code --presence approve|deny} decides both.
   */
  public static SimulatedFinger following(UserPresence presence) {
    return new SimulatedFinger() {
      @Override
      public Touch touch(UserRequest r, OperationContext ctx) {
        return switch (presence.requestPresence(r, ctx)) {
          case APPROVED -> new EnrolledFinger();
          case DENIED -> new UnknownFinger();
          case TIMEOUT -> new NoFinger();
          case CANCELLED -> new Cancelled();
        };
      }

      @Override
      public Sample sample(UserRequest r, OperationContext ctx) {
        return switch (presence.requestPresence(r, ctx)) {
          case APPROVED -> new Captured(EnrollSampleStatus.FP_GOOD);
          case DENIED -> new Captured(EnrollSampleStatus.NO_USER_ACTIVITY);
          case TIMEOUT -> new NoFinger();
          case CANCELLED -> new Cancelled();
        };
      }
    };
  }

  /** Answers the given touches in order, one per attempt; after the last one, repeats it. Samples are good. */
  public static SimulatedFinger touches(List<? extends Touch> touches) {
    Deque<Touch> queue = script(touches);
    return new SimulatedFinger() {
      @Override
      public Touch touch(UserRequest r, OperationContext ctx) {
        return next(queue);
      }

      @Override
      public Sample sample(UserRequest r, OperationContext ctx) {
        return new Captured(EnrollSampleStatus.FP_GOOD);
      }
    };
  }

  /** {@code mismatches} attempts with an unknown finger, then an enrolled one from then on. */
  public static SimulatedFinger unknownThenEnrolled(int mismatches) {
    if (mismatches < 0) {
      throw new IllegalArgumentException("mismatches must not be negative");
    }
    List<Touch> script = new ArrayList<>(Collections.nCopies(mismatches, new UnknownFinger()));
    script.add(new EnrolledFinger());
    return touches(script);
  }

  /**
   * {@code finger} for verification, with enrollment samples scripted: the given samples in order,
   * then {@code finger}'s own.
   */
  public static SimulatedFinger withSamples(SimulatedFinger finger, List<? extends Sample> samples) {
    Deque<Sample> queue = new ArrayDeque<>(samples);
    return new SimulatedFinger() {
      @Override
      public Touch touch(UserRequest r, OperationContext ctx) {
        return finger.touch(r, ctx);
      }

      @Override
      public Sample sample(UserRequest r, OperationContext ctx) {
        synchronized (queue) {
          if (!queue.isEmpty()) {
            return queue.removeFirst();
          }
        }
        return finger.sample(r, ctx);
      }
    };
  }

  /** {@link #withSamples} with captured samples of the given statuses. */
  public static SimulatedFinger withSampleStatuses(SimulatedFinger finger, List<EnrollSampleStatus> statuses) {
    List<Sample> samples = new ArrayList<>();
    for (EnrollSampleStatus s : statuses) {
      samples.add(new Captured(s));
    }
    return withSamples(finger, samples);
  }

  private static <T> Deque<T> script(List<? extends T> items) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a script needs at least one entry");
    }
    return new ArrayDeque<>(items);
  }

  private static <T> T next(Deque<T> queue) {
    synchronized (queue) {
      return queue.size() > 1 ? queue.removeFirst() : queue.peekFirst();
    }
  }
}
