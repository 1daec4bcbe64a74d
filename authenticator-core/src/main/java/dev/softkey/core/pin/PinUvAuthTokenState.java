package dev.softkey.core.pin;

import dev.softkey.ctap.pin.Permission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The pinUvAuthToken state (CTAP 2.1 section 6.5.2.1) and its maintenance functions (section
 * 6.5.2.2): permissions RP ID, permissions set, usage timer, in use flag, initial usage time limit,
 * user present time limit, userVerified and userPresent flags.
 *
 * <p>The specification's pinUvAuthTokenUsageTimerObserver() runs in the background; here it runs
 * lazily ({@link #observe()}) before every read of the state, against the injected {@link Clock},
 * which gives the same observable behaviour. This authenticator does not use a rolling timer: once
 * the platform has used the token within the initial usage time limit, it stays in use until the
 * max usage time period ends.
 */
final class PinUvAuthTokenState {
  /** Default maximum initial usage time limit for USB (and for transports the spec does not list). */
  static final Duration USB_INITIAL_USAGE_TIME_LIMIT = Duration.ofSeconds(30);
  /** Default maximum initial usage time limit for NFC. */
  static final Duration NFC_INITIAL_USAGE_TIME_LIMIT = Duration.ofMillis(19_800);
  /** The max usage time period: 10 minutes. */
  static final Duration MAX_USAGE_TIME_PERIOD = Duration.ofMinutes(10);

  private final Clock clock;
  private Optional<String> permissionsRpId = Optional.empty();
  private final EnumSet<Permission> permissions = EnumSet.noneOf(Permission.class);
  private Instant usageTimerStart; // null while the usage timer is not running
  private boolean inUse;
  private Duration initialUsageTimeLimit = USB_INITIAL_USAGE_TIME_LIMIT;
  private Duration userPresentTimeLimit = USB_INITIAL_USAGE_TIME_LIMIT;
  private boolean userVerified;
  private boolean userPresent;
  private boolean usedByPlatform;

  PinUvAuthTokenState(Clock clock) {
    this.clock = clock;
  }

  /**
   * beginUsingPinUvAuthToken(userIsPresent): sets the userPresent flag, sets userVerified, sets the
   * transport's initial usage time limit (the user present time limit defaults to the same value),
   * starts the usage timer and marks the token in use.
   */
  void beginUsingPinUvAuthToken(boolean userIsPresent, Duration transportInitialUsageTimeLimit) {
    stopUsingPinUvAuthToken();
    userPresent = userIsPresent;
    userVerified = true;
    initialUsageTimeLimit = transportInitialUsageTimeLimit;
    userPresentTimeLimit = transportInitialUsageTimeLimit;
    usageTimerStart = clock.instant();
    inUse = true;
  }

  /** pinUvAuthTokenUsageTimerObserver(), evaluated now. */
  void observe() {
    if (!inUse || usageTimerStart == null) {
      return;
    }
    Duration elapsed = Duration.between(usageTimerStart, clock.instant());
    if (elapsed.compareTo(MAX_USAGE_TIME_PERIOD) >= 0) {
      stopUsingPinUvAuthToken();
      return;
    }
    if (elapsed.compareTo(userPresentTimeLimit) >= 0) {
      clearUserPresentFlag();
    }
    if (elapsed.compareTo(initialUsageTimeLimit) >= 0 && !usedByPlatform) {
      stopUsingPinUvAuthToken();
    }
  }

  /** The platform used the token in an authenticator operation (a successful verify). */
  void markUsedByPlatform() {
    observe();
    if (inUse) {
      usedByPlatform = true;
    }
  }

  boolean inUse() {
    observe();
    return inUse;
  }

  /** getUserPresentFlagValue(). */
  boolean getUserPresentFlagValue() {
    observe();
    return inUse && userPresent;
  }

  /** getUserVerifiedFlagValue(). */
  boolean getUserVerifiedFlagValue() {
    observe();
    return inUse && userVerified;
  }

  /** clearUserPresentFlag(). */
  void clearUserPresentFlag() {
    if (inUse) {
      userPresent = false;
    }
  }

  /** clearUserVerifiedFlag(). */
  void clearUserVerifiedFlag() {
    observe();
    if (inUse) {
      userVerified = false;
    }
  }

  /** clearPinUvAuthTokenPermissionsExceptLbw(). */
  void clearPinUvAuthTokenPermissionsExceptLbw() {
    observe();
    if (inUse) {
      permissions.retainAll(Set.of(Permission.LARGE_BLOB_WRITE));
    }
  }

  /** stopUsingPinUvAuthToken(): every state variable back to its initial value. */
  void stopUsingPinUvAuthToken() {
    permissionsRpId = Optional.empty();
    permissions.clear();
    usageTimerStart = null;
    inUse = false;
    initialUsageTimeLimit = USB_INITIAL_USAGE_TIME_LIMIT;
    userPresentTimeLimit = USB_INITIAL_USAGE_TIME_LIMIT;
    userVerified = false;
    userPresent = false;
    usedByPlatform = false;
  }

  void assignPermissions(Set<Permission> requested) {
    permissions.clear();
    permissions.addAll(requested);
  }

  void setPermissionsRpId(String rpId) {
    permissionsRpId = Optional.of(rpId);
  }

  boolean hasPermission(Permission p) {
    observe();
    return inUse && permissions.contains(p);
  }

  Optional<String> permissionsRpId() {
    observe();
    return inUse ? permissionsRpId : Optional.empty();
  }
}
