package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The CBOR shape of a wire record, as the specification's member tables give it: each member's key,
 * CBOR type and whether it is required, with the shape of nested maps and array elements. From it
 * and a record's encoding, the properties find every place a member sits (or may sit), put a value
 * of another CBOR type there or take a required member away, and expect the record's strict
 * fromCbor to answer CTAP2_ERR_CBOR_UNEXPECTED_TYPE or CTAP2_ERR_MISSING_PARAMETER.
 *
 * @param members the members of the map
 */
record WireSchema(List<Member> members) {
  WireSchema {
    members = List.copyOf(members);
  }

  static WireSchema of(Member... members) {
    return new WireSchema(Arrays.asList(members));
  }

  /** The CBOR type a member has. */
  enum Kind {
    /** Major type 0 only: a negative integer is the wrong type. */
    UNSIGNED,
    /** Major type 0 or 1 (members the record does not restrict to unsigned). */
    INTEGER,
    BYTES,
    TEXT,
    BOOLEAN,
    /** A map; {@link Member#nested} gives its members when the record types them. */
    MAP,
    /** An array of text strings. */
    TEXT_ARRAY,
    /** An array of unsigned integers. */
    UNSIGNED_ARRAY,
    /** An array of maps of shape {@link Member#nested}. */
    MAP_ARRAY
  }

  /**
   * One member.
   *
   * @param key the CBOR key ({@code Long} or {@code String})
   * @param kind its type
   * @param required whether leaving it out is CTAP2_ERR_MISSING_PARAMETER
   * @param nested the shape of a map member or of the elements of a map array, when typed
   */
  record Member(Object key, Kind kind, boolean required, Optional<WireSchema> nested) {
    Member {
      key = key instanceof Integer i ? Long.valueOf(i) : key;
    }
  }

  static Member req(Object key, Kind kind) {
    return new Member(key, kind, true, Optional.empty());
  }

  static Member opt(Object key, Kind kind) {
    return new Member(key, kind, false, Optional.empty());
  }

  static Member req(Object key, Kind kind, WireSchema nested) {
    return new Member(key, kind, true, Optional.of(nested));
  }

  static Member opt(Object key, Kind kind, WireSchema nested) {
    return new Member(key, kind, false, Optional.of(nested));
  }

  /** The shape of PublicKeyCredentialRpEntity. */
  static final WireSchema RP_ENTITY =
      of(req("id", Kind.TEXT), opt("name", Kind.TEXT), opt("icon", Kind.TEXT));

  /** The shape of PublicKeyCredentialUserEntity. */
  static final WireSchema USER_ENTITY =
      of(req("id", Kind.BYTES), opt("name", Kind.TEXT), opt("displayName", Kind.TEXT), opt("icon", Kind.TEXT));

  /** The shape of PublicKeyCredentialDescriptor. */
  static final WireSchema DESCRIPTOR =
      of(req("type", Kind.TEXT), req("id", Kind.BYTES), opt("transports", Kind.TEXT_ARRAY));

  /** The shape of PublicKeyCredentialParameters. */
  static final WireSchema PARAMETERS = of(req("alg", Kind.INTEGER), req("type", Kind.TEXT));

  /** The shape of the options of makeCredential and getAssertion (CtapOptions); other options are not read. */
  static final WireSchema OPTIONS = of(opt("rk", Kind.BOOLEAN), opt("up", Kind.BOOLEAN), opt("uv", Kind.BOOLEAN));

  /** A place in a decoded message: map keys and array indexes from the top. */
  record Site(List<Object> path, Kind kind, boolean required) {}

  /** Every place of {@code value} (a decoded map of this shape) where a member sits or may sit. */
  List<Site> sites(CborMap value) {
    List<Site> out = new ArrayList<>();
    collect(List.of(), value, out);
    return out;
  }

  private void collect(List<Object> prefix, CborMap value, List<Site> out) {
    for (Member m : members) {
      List<Object> path = append(prefix, m.key());
      out.add(new Site(path, m.kind(), m.required()));
      Optional<Object> v = value.opt(m.key());
      if (v.isEmpty()) {
        continue;
      }
      if (m.kind() == Kind.MAP && m.nested().isPresent()) {
        m.nested().get().collect(path, (CborMap) v.get(), out);
      } else if (m.kind() == Kind.MAP_ARRAY || m.kind() == Kind.TEXT_ARRAY || m.kind() == Kind.UNSIGNED_ARRAY) {
        List<?> list = (List<?>) v.get();
        for (int i = 0; i < list.size(); i++) {
          List<Object> at = append(path, i);
          if (m.kind() == Kind.TEXT_ARRAY) {
            out.add(new Site(at, Kind.TEXT, true));
          } else if (m.kind() == Kind.UNSIGNED_ARRAY) {
            out.add(new Site(at, Kind.UNSIGNED, true));
          } else {
            out.add(new Site(at, Kind.MAP, true));
            if (m.nested().isPresent()) {
              m.nested().get().collect(at, (CborMap) list.get(i), out);
            }
          }
        }
      }
    }
  }

  private static List<Object> append(List<Object> prefix, Object step) {
    List<Object> p = new ArrayList<>(prefix);
    p.add(step);
    return p;
  }

  /** Values of each CBOR type, to put where another type belongs. */
  private static final List<Object> SAMPLES =
      List.of(5L, -5L, Bytes.fromHex("0102"), "x", Boolean.TRUE, List.of(), new CborMap(new LinkedHashMap<>()));

  /** The samples whose CBOR type is not {@code kind}. */
  static List<Object> wrongValuesFor(Kind kind) {
    List<Object> out = new ArrayList<>();
    for (Object s : SAMPLES) {
      boolean fits =
          switch (kind) {
            case UNSIGNED -> s instanceof Long l && l >= 0;
            case INTEGER -> s instanceof Long;
            case BYTES -> s instanceof Bytes;
            case TEXT -> s instanceof String;
            case BOOLEAN -> s instanceof Boolean;
            case MAP -> s instanceof CborMap;
            case TEXT_ARRAY, UNSIGNED_ARRAY, MAP_ARRAY -> s instanceof List;
          };
      if (!fits) {
        out.add(s);
      }
    }
    return out;
  }

  /** {@code root} with the value at {@code path} replaced (or removed, for an empty {@code value}). */
  static Object replace(Object root, List<Object> path, Optional<Object> value) {
    if (path.isEmpty()) {
      return value.orElseThrow();
    }
    Object step = path.get(0);
    List<Object> rest = path.subList(1, path.size());
    if (root instanceof CborMap m) {
      Map<Object, Object> copy = new LinkedHashMap<>(m.asMap());
      if (rest.isEmpty()) {
        if (value.isPresent()) {
          copy.put(step, value.get());
        } else {
          copy.remove(step);
        }
      } else {
        copy.put(step, replace(copy.get(step), rest, value));
      }
      return new CborMap(copy);
    }
    List<Object> copy = new ArrayList<>((List<?>) root);
    int i = (Integer) step;
    if (rest.isEmpty()) {
      if (value.isPresent()) {
        copy.set(i, value.get());
      } else {
        copy.remove(i);
      }
    } else {
      copy.set(i, replace(copy.get(i), rest, value));
    }
    return List.copyOf(copy);
  }

  /**
   * (a) decode(encode(x)) equals x and (b) encoding the decoded record gives the same bytes, which
   * the strict decoder has already found canonical. Returns the encoding.
   */
  static <T extends CborEncodable> byte[] assertRoundTrip(T x, Function<CborMap, T> fromCbor) {
    byte[] encoded = CborEncoder.encode(x.toCbor());
    T decoded = fromCbor.apply(CborDecoder.decodeMap(encoded));
    assertThat(decoded).isEqualTo(x);
    assertThat(CborEncoder.encode(decoded.toCbor())).as("re-encoding %s", Bytes.wrap(encoded).hex()).isEqualTo(encoded);
    return encoded;
  }

  /** The decoded map of {@code x}'s encoding. */
  static CborMap decoded(CborEncodable x) {
    return CborDecoder.decodeMap(CborEncoder.encode(x.toCbor()));
  }

  /**
   * (c) A value of another type at any site of {@code x} makes fromCbor answer
   * CTAP2_ERR_CBOR_UNEXPECTED_TYPE: each site in turn gets one of the values of another CBOR type,
   * drawn from {@code r}. The mutated map goes through the encoder and the strict decoder again,
   * so it is a message a platform could send. Returns the number of sites tried.
   */
  static <T extends CborEncodable> int assertWrongTypeRejected(WireSchema schema, T x, Function<CborMap, T> fromCbor, SplittableRandom r) {
    CborMap m = decoded(x);
    List<Site> sites = schema.sites(m);
    for (Site site : sites) {
      List<Object> wrong = wrongValuesFor(site.kind());
      Object value = wrong.get(r.nextInt(wrong.size()));
      byte[] message = CborEncoder.encode(replace(m, site.path(), Optional.of(value)));
      CborMap mutated = CborDecoder.decodeMap(message);
      assertStatus(catchThrowable(() -> fromCbor.apply(mutated)), CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, value + " at " + site.path(), message);
    }
    return sites.size();
  }

  /**
   * (c) Without any one of the required members present in {@code x} (those of the map and of
   * the maps it holds), fromCbor answers CTAP2_ERR_MISSING_PARAMETER. Returns the number of
   * members tried: none when {@code x} has no required member.
   */
  static <T extends CborEncodable> int assertMissingRejected(WireSchema schema, T x, Function<CborMap, T> fromCbor) {
    CborMap m = decoded(x);
    List<Site> required =
        schema.sites(m).stream().filter(s -> s.required() && !(s.path().get(s.path().size() - 1) instanceof Integer)).toList();
    for (Site site : required) {
      byte[] message = CborEncoder.encode(replace(m, site.path(), Optional.empty()));
      CborMap mutated = CborDecoder.decodeMap(message);
      assertStatus(catchThrowable(() -> fromCbor.apply(mutated)), CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "without " + site.path(), message);
    }
    return required.size();
  }

  /** {@code thrown} is a CtapException of {@code status}; the assertion (and its description) is built only when it is not, as hundreds of sites a case are checked. */
  private static void assertStatus(Throwable thrown, CtapStatus status, String what, byte[] message) {
    if (thrown instanceof CtapException e && e.status() == status) {
      return;
    }
    assertThat(thrown)
        .as("%s in %s", what, Bytes.wrap(message).hex())
        .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(status));
  }
}
