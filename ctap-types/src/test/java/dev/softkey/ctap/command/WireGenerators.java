package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborNull;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Generators for the values wire records hold, and for the shared entity records: plain functions
 * of a {@link SplittableRandom}, so a case is reproduced from its seed alone (see {@link
 * WireCases}). Each {@code XxxProperties} class builds its record's generator from these. Values
 * are what the strict decoder gives back ({@code Long}, never {@code Integer}; {@link CborMap}
 * with {@code Long} or {@code String} keys), so generated records compare equal to decoded ones.
 */
final class WireGenerators {
  private WireGenerators() {}

  /** The CBOR head boundaries (RFC 8949 section 3: 23/24, 255/256, 65535/65536, 2^32-1/2^32) and the largest long. */
  private static final long[] UNSIGNED_EDGES = {
    0, 1, 23, 24, 255, 256, 65_535, 65_536, 0xFFFF_FFFFL, 0x1_0000_0000L, Long.MAX_VALUE
  };

  /** The same for major type 1 (-1 - n), and the smallest long. */
  private static final long[] NEGATIVE_EDGES = {
    -1, -24, -25, -256, -257, -65_536, -65_537, -0x1_0000_0000L, -0x1_0000_0001L, Long.MIN_VALUE
  };

  /** Byte strings from empty to a little over the 64 bytes of a user handle, and 32-byte hashes often. */
  static Bytes bytes(SplittableRandom r) {
    return r.nextInt(3) == 0 ? bytes(r, 32) : bytes(r, r.nextInt(81));
  }

  static Bytes bytes(SplittableRandom r, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return Bytes.wrap(b);
  }

  /** Byte strings of {@code min} to {@code max} bytes. */
  static Bytes bytes(SplittableRandom r, int min, int max) {
    return bytes(r, r.nextInt(min, max + 1));
  }

  /**
   * Text from Unicode scalar values (no lone surrogates, which UTF-8 cannot carry): printable ASCII
   * mostly, any scalar value sometimes, so 1- to 4-byte UTF-8; empty now and then.
   */
  static String text(SplittableRandom r) {
    int length = r.nextInt(5) == 0 ? 0 : r.nextInt(1, 17);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int cp;
      if (r.nextInt(3) != 0) {
        cp = r.nextInt(0x20, 0x7F);
      } else {
        do {
          cp = r.nextInt(0, 0x110000);
        } while (cp >= 0xD800 && cp <= 0xDFFF);
      }
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  /** One of {@code known} mostly, any text sometimes. */
  static String textOf(SplittableRandom r, String... known) {
    return r.nextInt(5) == 0 ? text(r) : known[r.nextInt(known.length)];
  }

  /** Unsigned integers: small ones often, the CBOR head boundaries, and any length of head. */
  static long unsigned(SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 -> UNSIGNED_EDGES[r.nextInt(UNSIGNED_EDGES.length)];
      case 1 -> (r.nextLong() >>> 1) >>> r.nextInt(63);
      default -> r.nextLong(0, 301);
    };
  }

  /** Any integer CBOR can carry in a Java long: unsigned ones, or major type 1 with its boundaries. */
  static long integer(SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 -> NEGATIVE_EDGES[r.nextInt(NEGATIVE_EDGES.length)];
      case 1 -> -1 - unsigned(r);
      default -> unsigned(r);
    };
  }

  /** A subcommand-like number: one of {@code known} mostly, any unsigned integer sometimes (an unknown one must reach the handler). */
  static long code(SplittableRandom r, long... known) {
    return r.nextInt(5) == 0 ? unsigned(r) : known[r.nextInt(known.length)];
  }

  static boolean bool(SplittableRandom r) {
    return r.nextBoolean();
  }

  /** Present with probability 0.6. */
  static <T> Optional<T> opt(SplittableRandom r, Function<SplittableRandom, T> g) {
    return r.nextInt(5) < 3 ? Optional.of(g.apply(r)) : Optional.empty();
  }

  /** 0 to {@code max} elements. */
  static <T> List<T> list(SplittableRandom r, int max, Function<SplittableRandom, T> g) {
    return list(r, 0, max, g);
  }

  static <T> List<T> list(SplittableRandom r, int min, int max, Function<SplittableRandom, T> g) {
    int n = r.nextInt(min, max + 1);
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(g.apply(r));
    }
    return List.copyOf(out);
  }

  static List<String> texts(SplittableRandom r) {
    return list(r, 4, WireGenerators::text);
  }

  static Optional<Long> pinUvAuthProtocol(SplittableRandom r) {
    return opt(r, g -> code(g, 1, 2));
  }

  /** pinUvAuthParam: 16 bytes (protocol 1), 32 (protocol 2) or anything. */
  static Optional<Bytes> pinUvAuthParam(SplittableRandom r) {
    return opt(r, g -> switch (g.nextInt(3)) {
      case 0 -> bytes(g, 16);
      case 1 -> bytes(g, 32);
      default -> bytes(g);
    });
  }

  /** A scalar CBOR value: an integer, a byte or text string, a boolean or null. */
  static Object scalar(SplittableRandom r) {
    return switch (r.nextInt(5)) {
      case 0 -> integer(r);
      case 1 -> bytes(r);
      case 2 -> text(r);
      case 3 -> r.nextBoolean();
      default -> r.nextBoolean() ? Boolean.FALSE : CborNull.INSTANCE;
    };
  }

  /** A CBOR map of the kind a COSE_Key or an unmodelled parameter map is: integer and text keys, scalar and small nested values. */
  static CborMap cborMap(SplittableRandom r) {
    return cborMap(r, g -> g.nextBoolean() ? (Object) g.nextLong(-6, 41) : text(g));
  }

  /** A map with keys from {@code key} and scalar values, arrays of them or (one level down) maps. */
  static CborMap cborMap(SplittableRandom r, Function<SplittableRandom, Object> key) {
    Map<Object, Object> m = new LinkedHashMap<>();
    int n = r.nextInt(7);
    for (int i = 0; i < n; i++) {
      Object value =
          switch (r.nextInt(6)) {
            case 0 -> list(r, 3, WireGenerators::scalar);
            case 1 -> new CborMap(new LinkedHashMap<>(Map.of(text(r), scalar(r))));
            default -> scalar(r);
          };
      m.put(key.apply(r), value);
    }
    return new CborMap(m);
  }

  /** Text-keyed maps, as extension inputs and outputs and attestation statements are. */
  static CborMap textKeyedMap(SplittableRandom r, String... known) {
    return cborMap(r, g -> textOf(g, known));
  }

  /** A COSE_Key: EC2 P-256 (kty 2, alg -7, crv 1, x, y), OKP Ed25519 (kty 1, alg -8, crv 6, x) or any map. */
  static CborMap coseKey(SplittableRandom r) {
    return switch (r.nextInt(3)) {
      case 0 -> cose(Map.of(1L, 2L, 3L, -7L, -1L, 1L, -2L, bytes(r, 32), -3L, bytes(r, 32)));
      case 1 -> cose(Map.of(1L, 1L, 3L, -8L, -1L, 6L, -2L, bytes(r, 32)));
      default -> cborMap(r);
    };
  }

  private static CborMap cose(Map<Object, Object> m) {
    return new CborMap(new LinkedHashMap<>(m));
  }

  static PublicKeyCredentialRpEntity rpEntity(SplittableRandom r) {
    return new PublicKeyCredentialRpEntity(text(r), opt(r, WireGenerators::text));
  }

  /** A user entity whose id is a valid user handle (WebAuthn L3 section 5.4.3: at most 64 bytes). */
  static PublicKeyCredentialUserEntity userEntity(SplittableRandom r) {
    Bytes id = r.nextInt(4) == 0 ? bytes(r, PublicKeyCredentialUserEntity.MAX_ID_LENGTH) : bytes(r, 0, PublicKeyCredentialUserEntity.MAX_ID_LENGTH);
    return new PublicKeyCredentialUserEntity(id, opt(r, WireGenerators::text), opt(r, WireGenerators::text));
  }

  /** A user entity whose id may be longer than a user handle: what the records that do not check its length carry. */
  static PublicKeyCredentialUserEntity anyUserEntity(SplittableRandom r) {
    return new PublicKeyCredentialUserEntity(bytes(r), opt(r, WireGenerators::text), opt(r, WireGenerators::text));
  }

  static final String[] TRANSPORTS = {"usb", "nfc", "ble", "hybrid", "internal", "smart-card"};

  static PublicKeyCredentialDescriptor descriptor(SplittableRandom r) {
    String type = r.nextInt(4) == 0 ? text(r) : PublicKeyCredentialDescriptor.PUBLIC_KEY;
    List<String> transports = r.nextBoolean() ? list(r, 3, g -> TRANSPORTS[g.nextInt(TRANSPORTS.length)]) : texts(r);
    return new PublicKeyCredentialDescriptor(type, bytes(r), transports);
  }

  /** The COSE algorithms authenticators offer (ES256, EdDSA, ES384, ES512, RS256, ESP256), or any integer. */
  static final long[] ALGORITHMS = {-7, -8, -35, -36, -257, -9};

  static PublicKeyCredentialParameters parameters(SplittableRandom r) {
    String type = r.nextInt(4) == 0 ? text(r) : PublicKeyCredentialDescriptor.PUBLIC_KEY;
    long alg = r.nextInt(4) == 0 ? integer(r) : ALGORITHMS[r.nextInt(ALGORITHMS.length)];
    return new PublicKeyCredentialParameters(type, alg);
  }

  static CtapOptions options(SplittableRandom r) {
    return new CtapOptions(opt(r, WireGenerators::bool), opt(r, WireGenerators::bool), opt(r, WireGenerators::bool));
  }

  /** The extension identifiers of CTAP 2.1 section 12 and CTAP 2.2, as keys of extension maps. */
  static final String[] EXTENSION_IDS = {
    "credProtect", "credBlob", "largeBlobKey", "minPinLength", "hmac-secret", "hmac-secret-mc", "thirdPartyPayment"
  };

  static CborMap extensions(SplittableRandom r) {
    return textKeyedMap(r, EXTENSION_IDS);
  }
}
