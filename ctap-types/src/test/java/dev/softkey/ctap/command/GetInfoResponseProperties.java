package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.code;
import static dev.softkey.ctap.command.WireGenerators.list;
import static dev.softkey.ctap.command.WireGenerators.textOf;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.WireSchema.Kind;
import dev.softkey.ctap.command.WireSchema.Member;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link GetInfoResponse} (CTAP 2.1 section 6.4, members 0x16 to 0x1D from CTAP 2.2): all 29
 * members, each optional one present or absent at random (all of them in one case out of eight).
 */
class GetInfoResponseProperties {
  /** The options CTAP 2.1 section 6.4 and 2.2 define. */
  static final String[] OPTION_IDS = {
    "plat", "rk", "clientPin", "up", "uv", "pinUvAuthToken", "noMcGaPermissionsWithClientPin", "largeBlobs", "ep", "bioEnroll",
    "userVerificationMgmtPreview", "uvBioEnroll", "authnrCfg", "uvAcfg", "credMgmt", "perCredMgmtRO", "credentialMgmtPreview",
    "setMinPINLength", "makeCredUvNotRqd", "alwaysUv"
  };

  /** The certification names of CTAP 2.1 section 7.3. */
  static final String[] CERTIFICATIONS = {"FIPS-CMVP-2", "FIPS-CMVP-3", "FIPS-CMVP-2-PHY", "FIPS-CMVP-3-PHY", "CC-EAL", "FIDO"};

  /**
   * The members' types. The options map holds booleans under text keys: its shape is the options
   * {@code x} reports, each a boolean member.
   */
  static WireSchema schema(GetInfoResponse x) {
    List<Member> options = new ArrayList<>();
    x.options().ifPresent(o -> o.keySet().forEach(k -> options.add(opt(k, Kind.BOOLEAN))));
    return WireSchema.of(
        req(0x01, Kind.TEXT_ARRAY),
        opt(0x02, Kind.TEXT_ARRAY),
        req(0x03, Kind.BYTES),
        opt(0x04, Kind.MAP, new WireSchema(options)),
        opt(0x05, Kind.UNSIGNED),
        opt(0x06, Kind.UNSIGNED_ARRAY),
        opt(0x07, Kind.UNSIGNED),
        opt(0x08, Kind.UNSIGNED),
        opt(0x09, Kind.TEXT_ARRAY),
        opt(0x0A, Kind.MAP_ARRAY, WireSchema.PARAMETERS),
        opt(0x0B, Kind.UNSIGNED),
        opt(0x0C, Kind.BOOLEAN),
        opt(0x0D, Kind.UNSIGNED),
        opt(0x0E, Kind.UNSIGNED),
        opt(0x0F, Kind.UNSIGNED),
        opt(0x10, Kind.UNSIGNED),
        opt(0x11, Kind.UNSIGNED),
        opt(0x12, Kind.UNSIGNED),
        opt(0x13, Kind.MAP),
        opt(0x14, Kind.UNSIGNED),
        opt(0x15, Kind.UNSIGNED_ARRAY),
        opt(0x16, Kind.TEXT_ARRAY),
        opt(0x17, Kind.UNSIGNED),
        opt(0x18, Kind.BOOLEAN),
        opt(0x19, Kind.BYTES),
        opt(0x1A, Kind.TEXT_ARRAY),
        opt(0x1B, Kind.BOOLEAN),
        opt(0x1C, Kind.BYTES),
        opt(0x1D, Kind.UNSIGNED));
  }

  /** Draws the optional members of one response: each with probability 0.6, or all of them. */
  private record Members(SplittableRandom r, boolean all) {
    <T> Optional<T> opt(Function<SplittableRandom, T> g) {
      return all ? Optional.of(g.apply(r)) : WireGenerators.opt(r, g);
    }

    Optional<Long> unsigned() {
      return opt(WireGenerators::unsigned);
    }

    Optional<Boolean> bool() {
      return opt(WireGenerators::bool);
    }
  }

  static Map<String, Boolean> options(SplittableRandom r) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    for (String id : OPTION_IDS) {
      if (r.nextInt(3) == 0) {
        m.put(id, r.nextBoolean());
      }
    }
    if (r.nextInt(4) == 0) {
      m.put(WireGenerators.text(r), r.nextBoolean());
    }
    return m;
  }

  static CborMap certifications(SplittableRandom r) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      m.put(textOf(r, CERTIFICATIONS), r.nextLong(1, 8));
    }
    return new CborMap(m);
  }

  static GetInfoResponse response(SplittableRandom r) {
    Members o = new Members(r, r.nextInt(8) == 0);
    return new GetInfoResponse(
        list(r, 1, 4, g -> textOf(g, "U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE", "FIDO_2_1", "FIDO_2_2")),
        o.opt(g -> list(g, 5, h -> textOf(h, WireGenerators.EXTENSION_IDS))),
        bytes(r, 16),
        o.opt(GetInfoResponseProperties::options),
        o.unsigned(),
        o.opt(g -> list(g, 3, h -> code(h, 1, 2))),
        o.unsigned(),
        o.unsigned(),
        o.opt(g -> list(g, 4, h -> textOf(h, WireGenerators.TRANSPORTS))),
        o.opt(g -> list(g, 5, WireGenerators::parameters)),
        o.unsigned(),
        o.bool(),
        o.unsigned(),
        o.unsigned(),
        o.unsigned(),
        o.unsigned(),
        o.unsigned(),
        o.unsigned(),
        o.opt(GetInfoResponseProperties::certifications),
        o.unsigned(),
        o.opt(g -> list(g, 3, WireGenerators::unsigned)),
        o.opt(g -> list(g, 3, h -> textOf(h, "packed", "none", "tpm", "fido-u2f", "android-key", "apple"))),
        o.unsigned(),
        o.bool(),
        o.opt(g -> bytes(g)),
        o.opt(g -> list(g, 3, h -> textOf(h, WireGenerators.TRANSPORTS))),
        o.bool(),
        o.opt(g -> bytes(g)),
        o.unsigned());
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(GetInfoResponseProperties::response, (x, r) -> WireSchema.assertRoundTrip(x, GetInfoResponse::fromCbor));
  }

  @Test
  void theReplyAPlatformReads_reencodesIdentically() {
    WireCases.forAll(GetInfoResponseProperties::response, (x, r) -> WireReplies.assertReplyRoundTrip(x, GetInfoResponse::fromCbor));
  }

  @Test
  void everyMember_isWrittenUnderItsKey() {
    WireCases.forAll(GetInfoResponseProperties::response, (x, r) -> {
      CborMap m = WireSchema.decoded(x);
      List<Object> components = new ArrayList<>();
      for (var c : GetInfoResponse.class.getRecordComponents()) {
        components.add(c.getAccessor().invoke(x));
      }
      assertThat(components).hasSize(GetInfoResponse.MEMBER_NAMES.size());
      long key = 1;
      for (Object c : components) {
        boolean present = !(c instanceof Optional<?> opt) || opt.isPresent();
        assertThat(m.has(key)).as("member 0x%02x (%s)", key, GetInfoResponse.MEMBER_NAMES.get(key)).isEqualTo(present);
        key++;
      }
    });
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(GetInfoResponseProperties::response, (x, r) -> WireSchema.assertWrongTypeRejected(schema(x), x, GetInfoResponse::fromCbor, r));
  }

  /** versions, aaguid, and each algorithm's alg and type. */
  @Test
  void aMissingRequiredMember_isMissingParameter() {
    WireCases.forAll(
        GetInfoResponseProperties::response,
        (x, r) ->
            assertThat(WireSchema.assertMissingRejected(schema(x), x, GetInfoResponse::fromCbor))
                .isEqualTo(2 + 2 * x.algorithms().map(List::size).orElse(0)));
  }

  /** Options are text keys to booleans: an option under an integer key is the wrong type. */
  @Test
  void anOptionUnderAKeyThatIsNotText_isCborUnexpectedType() {
    WireCases.forAll(GetInfoResponseProperties::response, x -> x.options().isPresent(), (x, r) -> {
      Map<Object, Object> options = new LinkedHashMap<>(x.options().get());
      options.put(r.nextLong(0, 30), r.nextBoolean());
      CborMap received = received(WireSchema.replace(WireSchema.decoded(x), List.of(GetInfoResponse.OPTIONS), Optional.of(new CborMap(options))));
      assertThat(catchThrowableOfType(CtapException.class, () -> GetInfoResponse.fromCbor(received)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    });
  }

  /** Section 6.4: the aaguid is 16 bytes; another length is refused as CTAP2_ERR_INVALID_CBOR, received or built. */
  @Test
  void anAaguidOfAnotherLength_isInvalidCbor() {
    WireCases.forAll(GetInfoResponseProperties::response, (x, r) -> {
      int length = r.nextInt(0, 40);
      Bytes aaguid = bytes(r, length == 16 ? 17 : length);
      CborMap received = received(WireSchema.replace(WireSchema.decoded(x), List.of(GetInfoResponse.AAGUID), Optional.of(aaguid)));
      assertThat(catchThrowableOfType(CtapException.class, () -> GetInfoResponse.fromCbor(received)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_INVALID_CBOR);
      assertThat(catchThrowableOfType(CtapException.class, () -> GetInfoResponse.builder(x.versions(), aaguid).build()).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_INVALID_CBOR);
    });
  }

  /** Members the record does not know (a later version's, or a vendor's) are ignored when reading. */
  @Test
  void anUnknownMember_isIgnored() {
    WireCases.forAll(GetInfoResponseProperties::response, (x, r) -> {
      Map<Object, Object> m = new LinkedHashMap<>(WireSchema.decoded(x).asMap());
      Object key = r.nextBoolean() ? (Object) r.nextLong(0x1E, 0x100) : WireGenerators.text(r);
      m.put(key, WireGenerators.scalar(r));
      assertThat(GetInfoResponse.fromCbor(received(m))).isEqualTo(x);
    });
  }

  private static CborMap received(Object m) {
    return CborDecoder.decodeMap(CborEncoder.encode(m));
  }
}
