package dev.softkey.ctap.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.testvectors.CborVector;
import dev.softkey.testvectors.CborVectors;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random and mutated input: the decoder either returns a value or throws {@link CtapException} with
 * a CBOR status, never another exception and never hangs. Whatever it accepts is canonical, so
 * re-encoding a float-free result gives back the exact input.
 */
class CborFuzzTest {
  private static final Set<CtapStatus> CBOR_STATUSES =
      EnumSet.of(CtapStatus.CTAP2_ERR_INVALID_CBOR, CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);

  private int accepted;

  private void check(byte[] input) {
    Object v;
    try {
      v = CborDecoder.decode(input);
    } catch (CtapException e) {
      assertThat(e.status()).as("input %s", Bytes.of(input).hex()).isIn(CBOR_STATUSES);
      return;
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      fail("input " + Bytes.of(input).hex() + " threw " + e, e);
      return;
    }
    accepted++;
    if (!containsFloat(v)) {
      assertThat(CborEncoder.encode(v))
          .as("accepted input %s must be canonical", Bytes.of(input).hex())
          .isEqualTo(input);
    }
  }

  private static boolean containsFloat(Object v) {
    if (v instanceof Double) {
      return true;
    }
    if (v instanceof List<?> l) {
      return l.stream().anyMatch(CborFuzzTest::containsFloat);
    }
    if (v instanceof CborMap m) {
      return m.asMap().values().stream().anyMatch(CborFuzzTest::containsFloat);
    }
    return false;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void randomByteStrings_decodeOrThrowCtapException() {
    Random r = new Random(0xf022L);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[r.nextInt(i % 10 == 0 ? 200 : 12)];
      r.nextBytes(b);
      check(b);
    }
    assertThat(accepted).as("some random inputs are valid CBOR").isPositive();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void mutatedValidEncodings_decodeOrThrowCtapException() {
    Random r = new Random(0xbadc0deL);
    CborValues gen = new CborValues(99);
    List<byte[]> seeds = new ArrayList<>();
    for (CborVector v : CborVectors.rfc8949AppendixA().vectors()) {
      seeds.add(v.bytes());
    }
    for (int i = 0; i < 300; i++) {
      seeds.add(CborEncoder.encode(gen.value(0)));
    }
    for (int i = 0; i < 20_000; i++) {
      byte[] seed = seeds.get(r.nextInt(seeds.size()));
      check(mutate(seed, r));
    }
    assertThat(accepted).isPositive();
  }

  private static byte[] mutate(byte[] in, Random r) {
    byte[] b = in.clone();
    int rounds = 1 + r.nextInt(3);
    for (int k = 0; k < rounds; k++) {
      if (b.length == 0) {
        return new byte[] {(byte) r.nextInt(256)};
      }
      int pos = r.nextInt(b.length);
      switch (r.nextInt(6)) {
        case 0 -> b[pos] ^= (byte) (1 << r.nextInt(8)); // flip a bit
        case 1 -> b[pos] = (byte) r.nextInt(256); // replace a byte
        case 2 -> b = java.util.Arrays.copyOf(b, pos); // truncate
        case 3 -> { // insert a byte
          byte[] c = new byte[b.length + 1];
          System.arraycopy(b, 0, c, 0, pos);
          c[pos] = (byte) r.nextInt(256);
          System.arraycopy(b, pos, c, pos + 1, b.length - pos);
          b = c;
        }
        case 4 -> { // delete a byte
          byte[] c = new byte[b.length - 1];
          System.arraycopy(b, 0, c, 0, pos);
          System.arraycopy(b, pos + 1, c, pos, b.length - pos - 1);
          b = c;
        }
        default -> b[pos] = (byte) (b[pos] & 0xE0 | (24 + r.nextInt(8))); // long/indefinite head
      }
    }
    return b;
  }
}
