package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link CtapOptions}, the options of makeCredential (CTAP 2.1 section 6.1.1, 0x07) and
 * getAssertion (section 6.2.1, 0x05): rk, up and uv, each a boolean the platform may leave out.
 */
class CtapOptionsProperties {
  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(WireGenerators::options, (x, r) -> WireSchema.assertRoundTrip(x, CtapOptions::fromCbor));
  }

  @Test
  void anOptionOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(WireGenerators::options, (x, r) -> assertThat(WireSchema.assertWrongTypeRejected(WireSchema.OPTIONS, x, CtapOptions::fromCbor, r)).isEqualTo(3));
  }

  /** Sections 6.1.2 step 5 and 6.2.2 step 5: option keys that are not understood are treated as absent. */
  @Test
  void anOptionNotUnderstood_isTreatedAsAbsent() {
    WireCases.forAll(WireGenerators::options, (x, r) -> {
      Map<Object, Object> m = new LinkedHashMap<>(WireSchema.decoded(x).asMap());
      String unknown = WireGenerators.textOf(r, "plat", "clientPin", "ep", "alwaysUv", "uvToken");
      m.put(java.util.Set.of("rk", "up", "uv").contains(unknown) ? "plat" : unknown, WireGenerators.scalar(r));
      CborMap received = CborDecoder.decodeMap(CborEncoder.encode(m));
      assertThat(CtapOptions.fromCbor(received)).isEqualTo(x);
    });
  }
}
