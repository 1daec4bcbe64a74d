package dev.softkey.core.bio;

import dev.softkey.core.OperationContext;
import dev.softkey.core.bio.SimulatedFinger.Cancelled;
import dev.softkey.core.bio.SimulatedFinger.EnrolledFinger;
import dev.softkey.core.bio.SimulatedFinger.FingerOf;
import dev.softkey.core.bio.SimulatedFinger.NoFinger;
import dev.softkey.core.bio.SimulatedFinger.Touch;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fingerprint sensor of a model with built-in UV (getInfo uvModality
 * USER_VERIFY_FINGERPRINT_INTERNAL): the enrolled templates, persisted in the {@link
 * DeviceStateStore} record {@code "bio"} before each change is acknowledged and wiped by
 * authenticatorReset, and the {@link SimulatedFinger} that touches it. ClientPin asks it for
 * built-in UV ({@link #verify}); authenticatorBioEnrollment enrolls, renames and removes templates.
 *
 * <p>Built-in UV is configured (getInfo uv true) exactly while at least one template is enrolled.
 * Template IDs are one byte, the smallest one not in use (1 to 255).
 */
public final class FingerprintSensor {
  /** What one verification attempt came to. */
  public enum Match {
    /** The finger matched an enrolled template: the user is verified (and was present). */
    VERIFIED,
    /** A finger that matches no enrolled template: one failed attempt. */
    MISMATCH,
    /** No finger within the time the sensor waits (a user action timeout). */
    TIMEOUT,
    /** The platform cancelled the request while the sensor waited. */
    CANCELLED
  }

  private final Profile.Fingerprint config;
  private final DeviceStateStore store;
  private final SimulatedFinger finger;
  private List<Template> templates;

  /**
   * @param preEnrolled the templates of a new device (no {@code "bio"} record yet), written at once;
   *     ignored when the store already has a record
   */
  public FingerprintSensor(
      Profile.Fingerprint config, DeviceStateStore store, SimulatedFinger finger, List<Template> preEnrolled) {
    this.config = Objects.requireNonNull(config, "config");
    this.store = Objects.requireNonNull(store, "store");
    this.finger = Objects.requireNonNull(finger, "finger");
    Optional<Bytes> stored = store.get(TemplatesRecord.STORE_KEY);
    if (stored.isPresent()) {
      this.templates = TemplatesRecord.decode(stored.get()).templates();
    } else {
      if (preEnrolled.size() > config.maxTemplates()) {
        throw new IllegalArgumentException("more pre-enrolled templates than the sensor holds");
      }
      persist(preEnrolled);
    }
  }

  /** The first template of a new device when the builder pre-enrolls one. */
  public static Template defaultTemplate() {
    return new Template(Bytes.of(new byte[] {1}), Optional.of("softkey finger"));
  }

  public Profile.Fingerprint config() {
    return config;
  }

  /** The enrolled templates, in enrollment order. */
  public synchronized List<Template> templates() {
    return templates;
  }

  /** Whether built-in UV is configured: at least one template is enrolled. */
  public synchronized boolean hasTemplates() {
    return !templates.isEmpty();
  }

  public synchronized Optional<Template> template(Bytes templateId) {
    return templates.stream().filter(t -> t.templateId().equals(templateId)).findFirst();
  }

  /** Whether another template fits (profile management.fingerprint.maxTemplates). */
  public synchronized boolean full() {
    return templates.size() >= config.maxTemplates();
  }

  /** The ID the next enrollment gets: CTAP2_ERR_FP_DATABASE_FULL when the sensor is full. */
  public synchronized Bytes nextTemplateId() {
    CtapException.check(!full(), CtapStatus.CTAP2_ERR_FP_DATABASE_FULL);
    for (int id = 1; id <= 0xFF; id++) {
      Bytes candidate = Bytes.of(new byte[] {(byte) id});
      if (template(candidate).isEmpty()) {
        return candidate;
      }
    }
    throw new CtapException(CtapStatus.CTAP2_ERR_FP_DATABASE_FULL);
  }

  /** Stores a finished enrollment, durably. */
  public synchronized void add(Template t) {
    CtapException.check(!full(), CtapStatus.CTAP2_ERR_FP_DATABASE_FULL);
    if (template(t.templateId()).isPresent()) {
      throw new IllegalStateException("template ID in use");
    }
    List<Template> next = new ArrayList<>(templates);
    next.add(t);
    persist(next);
  }

  /** Sets a template's friendly name, durably; false when no template has that ID. */
  public synchronized boolean rename(Bytes templateId, String friendlyName) {
    List<Template> next = new ArrayList<>();
    boolean found = false;
    for (Template t : templates) {
      if (t.templateId().equals(templateId)) {
        next.add(t.withFriendlyName(friendlyName));
        found = true;
      } else {
        next.add(t);
      }
    }
    if (found) {
      persist(next);
    }
    return found;
  }

  /** Removes a template, durably; false when no template has that ID. */
  public synchronized boolean remove(Bytes templateId) {
    List<Template> next = new ArrayList<>(templates);
    boolean found = next.removeIf(t -> t.templateId().equals(templateId));
    if (found) {
      persist(next);
    }
    return found;
  }

  /** authenticatorReset: every template is gone (and stays gone after a restart). */
  public synchronized void reset() {
    persist(List.of());
  }

  /**
   * One built-in UV attempt: asks the finger (without holding the sensor's lock, as the user may
   * take a while) and matches it against the templates enrolled then.
   */
  public Match verify(UserRequest request, OperationContext ctx) {
    Touch touch = finger.touch(request, ctx);
    if (touch instanceof NoFinger) {
      return Match.TIMEOUT;
    }
    if (touch instanceof Cancelled) {
      return Match.CANCELLED;
    }
    synchronized (this) {
      if (touch instanceof EnrolledFinger) {
        return templates.isEmpty() ? Match.MISMATCH : Match.VERIFIED;
      }
      if (touch instanceof FingerOf f) {
        return template(f.templateId()).isPresent() ? Match.VERIFIED : Match.MISMATCH;
      }
      return Match.MISMATCH;
    }
  }

  /** One enrollment sample, as the finger gives it. */
  public SimulatedFinger.Sample sample(UserRequest request, OperationContext ctx) {
    return finger.sample(request, ctx);
  }

  private void persist(List<Template> next) {
    store.put(TemplatesRecord.STORE_KEY, new TemplatesRecord(next).encode());
    templates = List.copyOf(next);
  }

  @Override
  public synchronized String toString() {
    return "FingerprintSensor[" + templates.size() + " of " + config.maxTemplates() + " templates]";
  }
}
