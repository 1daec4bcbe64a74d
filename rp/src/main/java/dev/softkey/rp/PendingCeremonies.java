package dev.softkey.rp;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ceremonies between their options and their verify, by ceremonyId (16 random bytes, base64url),
 * each for {@code timeout}; a verify takes its ceremony out, so one options answer serves one
 * verify. At most {@code capacity} are held: when full, the oldest goes (a forgotten ceremony is
 * an "unknown ceremony" later, never an unbounded heap).
 */
final class PendingCeremonies<T> {
  private record Entry<T>(T value, Instant expires) {}

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Entry<T>> pending = new LinkedHashMap<>();
  private final Duration timeout;
  private final int capacity;
  private final Clock clock;

  PendingCeremonies(Duration timeout, int capacity, Clock clock) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the ceremony timeout must be positive");
    }
    this.timeout = timeout;
    this.capacity = capacity;
    this.clock = clock;
  }

  /** Holds {@code value} and returns its new ceremonyId. */
  synchronized String put(T value) {
    Instant now = clock.instant();
    expire(now);
    if (pending.size() >= capacity) {
      Iterator<String> oldest = pending.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    byte[] id = new byte[16];
    random.nextBytes(id);
    String key = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    pending.put(key, new Entry<>(value, now.plus(timeout)));
    return key;
  }

  /** Takes the ceremony out; empty when unknown, already taken, or expired. */
  synchronized Optional<T> take(String id) {
    Instant now = clock.instant();
    Entry<T> e = pending.remove(id);
    expire(now);
    if (e == null || !now.isBefore(e.expires())) {
      return Optional.empty();
    }
    return Optional.of(e.value());
  }

  synchronized int size() {
    return pending.size();
  }

  Duration timeout() {
    return timeout;
  }

  private void expire(Instant now) {
    // insertion order is expiry order (one timeout for all)
    for (Iterator<Entry<T>> it = pending.values().iterator(); it.hasNext(); ) {
      if (now.isBefore(it.next().expires())) {
        break;
      }
      it.remove();
    }
  }
}
