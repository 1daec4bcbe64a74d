package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborNull;
import dev.softkey.ctap.model.Bytes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators for the values wire records hold, and for the shared entity records. Each
 * {@code XxxProperties} class builds its record's generator from these; a record with more than
 * eight components is combined from two tuples. Values are what the strict decoder gives back
 * ({@code Long}, never {@code Integer}; {@link CborMap} with {@code Long} or {@code String} keys), so
 * generated records compare equal to decoded ones.
 */
final class WireArbitraries {
  private WireArbitraries() {}

  /** Byte strings from empty to a little over the 64 bytes of a user handle, and 32-byte hashes often. */
  static Arbitrary<Bytes> bytes() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(80).map(Bytes::wrap),
        Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes::wrap));
  }

  static Arbitrary<Bytes> bytes(int size) {
    return Arbitraries.bytes().array(byte[].class).ofSize(size).map(Bytes::wrap);
  }

  /** Text from Unicode scalar values (no lone surrogates, which UTF-8 cannot carry), so 1- to 4-byte UTF-8. */
  static Arbitrary<String> text() {
    Arbitrary<Integer> scalar =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0x20, 0x7E),
            Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF));
    return scalar.list().ofMaxSize(16).map(cps -> {
      StringBuilder sb = new StringBuilder();
      cps.forEach(sb::appendCodePoint);
      return sb.toString();
    });
  }

  /** Unsigned integers, small ones often and the CBOR head boundaries (23/24, 255/256, ...) as jqwik's edge cases. */
  static Arbitrary<Long> unsigned() {
    return Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs().between(0, Long.MAX_VALUE));
  }

  /** Any integer CBOR can carry in a Java long. */
  static Arbitrary<Long> integer() {
    return Arbitraries.oneOf(Arbitraries.longs().between(-300, 300), Arbitraries.longs());
  }

  /** A subcommand-like number: one of {@code known} mostly, any unsigned integer sometimes (an unknown one must reach the handler). */
  static Arbitrary<Long> code(long... known) {
    Long[] boxed = new Long[known.length];
    for (int i = 0; i < known.length; i++) {
      boxed[i] = known[i];
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.of(boxed)), net.jqwik.api.Tuple.of(1, unsigned()));
  }

  static <T> Arbitrary<Optional<T>> opt(Arbitrary<T> a) {
    return a.optional(0.6);
  }

  static Arbitrary<List<String>> texts() {
    return text().list().ofMaxSize(4);
  }

  static Arbitrary<Optional<Long>> pinUvAuthProtocol() {
    return opt(Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.of(1L, 2L)), net.jqwik.api.Tuple.of(1, unsigned())));
  }

  /** pinUvAuthParam: 16 bytes (protocol 1), 32 (protocol 2) or anything. */
  static Arbitrary<Optional<Bytes>> pinUvAuthParam() {
    return opt(Arbitraries.oneOf(bytes(16), bytes(32), bytes()));
  }

  /** A CBOR map of the kind a COSE_Key or an unmodelled parameter map is: integer and text keys, scalar and small nested values. */
  static Arbitrary<CborMap> cborMap() {
    Arbitrary<Object> key = Arbitraries.oneOf(Arbitraries.longs().between(-6, 40).map(l -> (Object) l), text().map(s -> (Object) s));
    Arbitrary<Object> scalar =
        Arbitraries.oneOf(
            integer().map(l -> (Object) l),
            bytes().map(b -> (Object) b),
            text().map(s -> (Object) s),
            Arbitraries.of(Boolean.TRUE, Boolean.FALSE, CborNull.INSTANCE).map(o -> (Object) o));
    Arbitrary<Object> value = Arbitraries.oneOf(scalar, scalar, scalar, scalar.list().ofMaxSize(3).map(l -> (Object) List.copyOf(l)));
    return Arbitraries.maps(key, value).ofMaxSize(6).map(m -> new CborMap(new LinkedHashMap<>(m)));
  }

  /** A COSE_Key: EC2 P-256 (kty 2, alg -7, crv 1, x, y), OKP Ed25519 (kty 1, alg -8, crv 6, x) or any map. */
  static Arbitrary<CborMap> coseKey() {
    Arbitrary<CborMap> ec2 =
        Combinators.combine(bytes(32), bytes(32)).as((x, y) -> cose(Map.of(1L, 2L, 3L, -7L, -1L, 1L, -2L, x, -3L, y)));
    Arbitrary<CborMap> okp = bytes(32).map(x -> cose(Map.of(1L, 1L, 3L, -8L, -1L, 6L, -2L, x)));
    return Arbitraries.oneOf(ec2, okp, cborMap());
  }

  private static CborMap cose(Map<Object, Object> m) {
    return new CborMap(new LinkedHashMap<>(m));
  }

  static Arbitrary<PublicKeyCredentialRpEntity> rpEntity() {
    return Combinators.combine(text(), opt(text())).as(PublicKeyCredentialRpEntity::new);
  }

  static Arbitrary<PublicKeyCredentialUserEntity> userEntity() {
    return Combinators.combine(bytes(), opt(text()), opt(text())).as(PublicKeyCredentialUserEntity::new);
  }

  static Arbitrary<PublicKeyCredentialDescriptor> descriptor() {
    Arbitrary<String> type = Arbitraries.oneOf(Arbitraries.just(PublicKeyCredentialDescriptor.PUBLIC_KEY), text());
    Arbitrary<List<String>> transports =
        Arbitraries.oneOf(Arbitraries.of("usb", "nfc", "ble", "hybrid", "internal", "smart-card").list().ofMaxSize(3).uniqueElements(), texts());
    return Combinators.combine(type, bytes(), transports).as(PublicKeyCredentialDescriptor::new);
  }
}
