package dev.softkey.ctap.cbor;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded CBOR map with typed accessors that answer the CTAP status codes: a member of the wrong
 * type is {@code CTAP2_ERR_CBOR_UNEXPECTED_TYPE}, a missing required member is {@code
 * CTAP2_ERR_MISSING_PARAMETER}. Keys are {@code Long} or {@code String}.
 */
public final class CborMap {
  private final Map<Object, Object> map;

  public CborMap(Map<Object, Object> map) {
    this.map = Collections.unmodifiableMap(map);
  }

  public Map<Object, Object> asMap() {
    return map;
  }

  public int size() {
    return map.size();
  }

  public boolean has(Object key) {
    return map.containsKey(normalize(key));
  }

  private static Object normalize(Object key) {
    return key instanceof Integer i ? Long.valueOf(i) : key;
  }

  public Optional<Object> opt(Object key) {
    return Optional.ofNullable(map.get(normalize(key)));
  }

  private <T> Optional<T> opt(Object key, Class<T> type) {
    Object v = map.get(normalize(key));
    if (v == null) {
      return Optional.empty();
    }
    if (!type.isInstance(v)) {
      throw new CtapException(
          CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "member " + key + " has the wrong type");
    }
    return Optional.of(type.cast(v));
  }

  private <T> T req(Object key, Class<T> type) {
    return opt(key, type)
        .orElseThrow(
            () -> new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "member " + key + " is missing"));
  }

  public Optional<Bytes> optBytes(Object key) {
    return opt(key, Bytes.class);
  }

  public Bytes bytes(Object key) {
    return req(key, Bytes.class);
  }

  public Optional<String> optText(Object key) {
    return opt(key, String.class);
  }

  public String text(Object key) {
    return req(key, String.class);
  }

  public Optional<Long> optLong(Object key) {
    return opt(key, Long.class);
  }

  public long longValue(Object key) {
    return req(key, Long.class);
  }

  public Optional<Boolean> optBool(Object key) {
    return opt(key, Boolean.class);
  }

  public Optional<CborMap> optMap(Object key) {
    return opt(key, CborMap.class);
  }

  public CborMap map(Object key) {
    return req(key, CborMap.class);
  }

  @SuppressWarnings("unchecked")
  public Optional<List<Object>> optList(Object key) {
    return opt(key, List.class).map(l -> (List<Object>) l);
  }

  @SuppressWarnings("unchecked")
  public List<Object> list(Object key) {
    return (List<Object>) req(key, List.class);
  }

  /** Casts an element taken from a list or map to a map, answering UNEXPECTED_TYPE otherwise. */
  public static CborMap asMap(Object v) {
    if (v instanceof CborMap m) {
      return m;
    }
    throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "expected a map");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CborMap m && m.map.equals(map);
  }

  @Override
  public int hashCode() {
    return map.hashCode();
  }

  @Override
  public String toString() {
    return "CborMap" + map.keySet();
  }
}
