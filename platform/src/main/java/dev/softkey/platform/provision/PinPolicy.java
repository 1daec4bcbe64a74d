package dev.softkey.platform.provision;

import dev.softkey.ctap.crypto.RandomSource;
import java.util.Objects;
import java.util.Set;

/**
 * How a provisioning tool picks the PIN it sets for a user: random decimal digits, {@link #length}
 * of them, never all one digit, never an ascending or descending run of the whole PIN (123456,
 * 987654, also across 9-0: 890123), never one of {@link #banned}. The rules are those of the public
 * provisioning tools (YubicoLabs/entraId-register-passkeys-on-behalf-of-users,
 * step2CreateAndActivateCredential.py {@code generate_pin}: six digits, not all one digit, not in
 * its disallowed list; ../shared/docs/entra.md section 1.4), with the whole-PIN runs added.
 *
 * @param length the number of digits, 4 (CTAP 2.1's smallest minPINLength) to 63 (the longest PIN
 *     that fits paddedNewPin)
 * @param banned PINs never chosen
 */
public record PinPolicy(int length, Set<String> banned) {
  /** Six digits, as the YubicoLabs and JMarkstrom tools set. */
  public static final int DEFAULT_LENGTH = 6;

  /** The disallowed list of YubicoLabs' generate_pin (entra.md section 1.4). */
  public static final Set<String> DEFAULT_BANNED =
      Set.of("123456", "123123", "654321", "123321", "112233", "121212", "520520", "123654", "159753");

  /** Draws before {@link #generate} gives up (a banned list that rules out nearly every PIN of the length). */
  static final int MAX_DRAWS = 10_000;

  public PinPolicy {
    if (length < 4 || length > 63) {
      throw new IllegalArgumentException("a PIN length must be 4 to 63 digits, not " + length);
    }
    banned = Set.copyOf(Objects.requireNonNull(banned, "banned"));
  }

  /** Six digits and {@link #DEFAULT_BANNED}. */
  public static PinPolicy defaults() {
    return new PinPolicy(DEFAULT_LENGTH, DEFAULT_BANNED);
  }

  /** The same banned list with another length. */
  public PinPolicy withLength(int n) {
    return new PinPolicy(n, banned);
  }

  /** Whether {@code pin} is {@link #length} digits that the rules allow. */
  public boolean allows(String pin) {
    if (pin.length() != length || !pin.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    return !allOneDigit(pin) && !run(pin, 1) && !run(pin, 9) && !banned.contains(pin);
  }

  /**
   * A PIN the rules allow, from {@code random} (each digit uniform: bytes of 250 and above are
   * drawn again). The PIN is a secret: callers must not log it.
   */
  public String generate(RandomSource random) {
    char[] digits = new char[length];
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
      int i = 0;
      while (i < length) {
        for (byte x : random.bytes(length - i + 4)) {
          int b = x & 0xFF;
          if (b < 250 && i < length) {
            digits[i++] = (char) ('0' + b % 10);
          }
        }
      }
      String pin = new String(digits);
      if (allows(pin)) {
        java.util.Arrays.fill(digits, '\0');
        return pin;
      }
    }
    throw new IllegalStateException("no " + length + "-digit PIN passes the policy after " + MAX_DRAWS
        + " draws: the banned list rules out (nearly) all of them; shorten it or choose a longer PIN");
  }

  private static boolean allOneDigit(String pin) {
    return pin.chars().distinct().count() == 1;
  }

  /** Each digit is the previous one plus {@code step} modulo 10 (1: ascending, 9: descending). */
  private static boolean run(String pin, int step) {
    for (int i = 1; i < pin.length(); i++) {
      if ((pin.charAt(i - 1) - '0' + step) % 10 != pin.charAt(i) - '0') {
        return false;
      }
    }
    return true;
  }

  /** The length and the size of the banned list; never a PIN. */
  @Override
  public String toString() {
    return "PinPolicy[length=" + length + ", banned=" + banned.size() + " PINs]";
  }
}
