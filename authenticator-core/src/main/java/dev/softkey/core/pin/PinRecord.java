package dev.softkey.core.pin;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.model.Bytes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The persistent PIN state, stored as the {@code DeviceStateStore} record {@value #STORE_KEY}: a
 * CBOR map with integer keys (never reused): 1 version, 2 CurrentStoredPIN (LEFT(SHA-256(pin), 16),
 * absent when no PIN is set), 3 PINCodePointLength, 4 pinRetries, 5 uvRetries, 6 minPINLength, 7
 * forcePINChange.
 *
 * @param currentStoredPin LEFT(SHA-256(pin), 16), or empty when no PIN is set (secret)
 * @param pinCodePointLength the PIN's length in Unicode code points (0 when no PIN is set)
 * @param pinRetries remaining PIN attempts
 * @param uvRetries remaining built-in UV attempts
 * @param minPinLength current minimum PIN length in code points
 * @param forcePinChange getInfo forcePINChange
 */
record PinRecord(
    Optional<Bytes> currentStoredPin,
    int pinCodePointLength,
    int pinRetries,
    int uvRetries,
    int minPinLength,
    boolean forcePinChange) {
  static final String STORE_KEY = "pin";
  static final long VERSION = 1;
  private static final long K_VERSION = 1;
  private static final long K_PIN = 2;
  private static final long K_PIN_LENGTH = 3;
  private static final long K_PIN_RETRIES = 4;
  private static final long K_UV_RETRIES = 5;
  private static final long K_MIN_PIN_LENGTH = 6;
  private static final long K_FORCE_PIN_CHANGE = 7;

  PinRecord {
    if (pinRetries < 0 || uvRetries < 0 || minPinLength < 4 || pinCodePointLength < 0) {
      throw new IllegalArgumentException("PIN record out of range");
    }
    if (currentStoredPin.isPresent() && currentStoredPin.get().length() != 16) {
      throw new IllegalArgumentException("CurrentStoredPIN must be 16 bytes");
    }
  }

  static PinRecord initial(int minPinLength, int maxPinRetries, int maxUvRetries) {
    return new PinRecord(Optional.empty(), 0, maxPinRetries, maxUvRetries, minPinLength, false);
  }

  PinRecord withPin(Bytes storedPin, int codePoints) {
    return new PinRecord(Optional.of(storedPin), codePoints, pinRetries, uvRetries, minPinLength, forcePinChange);
  }

  PinRecord withPinRetries(int n) {
    return new PinRecord(currentStoredPin, pinCodePointLength, n, uvRetries, minPinLength, forcePinChange);
  }

  PinRecord withUvRetries(int n) {
    return new PinRecord(currentStoredPin, pinCodePointLength, pinRetries, n, minPinLength, forcePinChange);
  }

  PinRecord withMinPinLength(int n) {
    return new PinRecord(currentStoredPin, pinCodePointLength, pinRetries, uvRetries, n, forcePinChange);
  }

  PinRecord withForcePinChange(boolean b) {
    return new PinRecord(currentStoredPin, pinCodePointLength, pinRetries, uvRetries, minPinLength, b);
  }

  Bytes encode() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(K_VERSION, VERSION);
    m.put(K_PIN, currentStoredPin.orElse(null));
    m.put(K_PIN_LENGTH, (long) pinCodePointLength);
    m.put(K_PIN_RETRIES, (long) pinRetries);
    m.put(K_UV_RETRIES, (long) uvRetries);
    m.put(K_MIN_PIN_LENGTH, (long) minPinLength);
    m.put(K_FORCE_PIN_CHANGE, forcePinChange);
    return CborEncoder.encodeBytes(m);
  }

  /** Decodes a stored record; throws IllegalStateException if it is corrupt or from a newer version. */
  static PinRecord decode(Bytes stored) {
    try {
      CborMap m = CborDecoder.decodeMap(stored.unsafeArray());
      long version = m.longValue(K_VERSION);
      if (version != VERSION) {
        throw new IllegalStateException("unsupported PIN record version " + version);
      }
      return new PinRecord(
          m.optBytes(K_PIN),
          (int) m.longValue(K_PIN_LENGTH),
          (int) m.longValue(K_PIN_RETRIES),
          (int) m.longValue(K_UV_RETRIES),
          (int) m.longValue(K_MIN_PIN_LENGTH),
          m.optBool(K_FORCE_PIN_CHANGE).orElse(false));
    } catch (CtapException | IllegalArgumentException e) {
      throw new IllegalStateException("corrupt PIN record", e);
    }
  }

  @Override
  public String toString() {
    return "PinRecord[pinSet=" + currentStoredPin.isPresent() + ", pinRetries=" + pinRetries + ", uvRetries="
        + uvRetries + ", minPinLength=" + minPinLength + ", forcePinChange=" + forcePinChange + "]";
  }
}
