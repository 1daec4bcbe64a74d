package dev.softkey.platform.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.crypto.RandomSource;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The PIN rules of the public provisioning tools (entra.md section 1.4). */
class PinPolicyTest {
  @Nested
  class Rules {
    final PinPolicy policy = PinPolicy.defaults();

    @Test
    void theBannedListOfEntraMd_isRefused() {
      assertThat(PinPolicy.DEFAULT_BANNED)
          .containsExactlyInAnyOrder("123456", "123123", "654321", "123321", "112233", "121212", "520520", "123654", "159753");
      PinPolicy.DEFAULT_BANNED.forEach(p -> assertThat(policy.allows(p)).as(p).isFalse());
    }

    @Test
    void allOneDigit_isRefused() {
      IntStream.range(0, 10).forEach(d -> assertThat(policy.allows(String.valueOf(d).repeat(6))).isFalse());
    }

    @Test
    void runsOfTheWholePin_upOrDown_alsoAcross9To0_areRefused() {
      assertThat(policy.allows("234567")).isFalse();
      assertThat(policy.allows("987654")).isFalse();
      assertThat(policy.allows("890123")).isFalse();
      assertThat(policy.allows("210987")).isFalse();
    }

    @Test
    void otherSixDigitPins_areAllowed_andOtherLengthsOrNonDigitsAreNot() {
      assertThat(policy.allows("482915")).isTrue();
      assertThat(policy.allows("123457")).isTrue();
      assertThat(policy.allows("48291")).isFalse();
      assertThat(policy.allows("48291a")).isFalse();
    }

    @Test
    void aLengthOutside4To63_isRefused() {
      assertThatThrownBy(() -> new PinPolicy(3, Set.of())).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new PinPolicy(64, Set.of())).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Generate {
    @Test
    void overManyDraws_neverABannedOrTrivialPin_andTheDigitsAreSpread() {
      // A banned list that takes a tenth of all 4-digit PINs: every draw must avoid it.
      Set<String> banned = new HashSet<>(PinPolicy.DEFAULT_BANNED);
      IntStream.range(0, 10_000).filter(i -> i % 10 == 3).forEach(i -> banned.add(String.format("%04d", i)));
      PinPolicy policy = new PinPolicy(4, banned);
      RandomSource random = RandomSource.seeded(42);
      int[] counts = new int[10];
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 4_000; i++) {
        String pin = policy.generate(random);
        assertThat(pin).hasSize(4).containsOnlyDigits();
        assertThat(banned).doesNotContain(pin);
        assertThat(policy.allows(pin)).isTrue();
        pin.chars().forEach(c -> counts[c - '0']++);
        seen.add(pin);
      }
      assertThat(seen.size()).isGreaterThan(2_500);
      // 16,000 digits: each near 1,600 (the last digit is never 3, so digit 3 is rarer).
      for (int d = 0; d < 10; d++) {
        assertThat(counts[d]).as("digit " + d).isBetween(1_000, 2_200);
      }
    }

    @Test
    void theDefaultPolicy_givesSixDigitsOutsideTheBannedList() {
      RandomSource random = RandomSource.seeded(7);
      PinPolicy policy = PinPolicy.defaults();
      for (int i = 0; i < 2_000; i++) {
        String pin = policy.generate(random);
        assertThat(pin).hasSize(6);
        assertThat(PinPolicy.DEFAULT_BANNED).doesNotContain(pin);
      }
    }

    @Test
    void aBannedListThatRulesOutEveryPin_failsWithoutNamingAPin() {
      Set<String> all = new HashSet<>();
      IntStream.range(0, 10_000).forEach(i -> all.add(String.format("%04d", i)));
      assertThatThrownBy(() -> new PinPolicy(4, all).generate(RandomSource.seeded(1)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("banned list rules out");
    }

    @Test
    void toString_showsNoPins() {
      assertThat(PinPolicy.defaults().toString()).doesNotContain("123456").contains("length=6");
    }
  }
}
