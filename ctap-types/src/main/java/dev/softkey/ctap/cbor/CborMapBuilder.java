package dev.softkey.ctap.cbor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the map a wire record encodes to: absent members ({@code null} or an empty {@link
 * Optional}) are left out, as CTAP requires of optional members. Key order does not matter: {@link
 * CborEncoder} always writes canonical order.
 */
public final class CborMapBuilder {
  private final Map<Object, Object> map = new LinkedHashMap<>();

  public static CborMapBuilder create() {
    return new CborMapBuilder();
  }

  public CborMapBuilder put(Object key, Object value) {
    if (value instanceof Optional<?> o) {
      throw new IllegalArgumentException("use putOpt for Optional member " + key);
    }
    if (value != null) {
      map.put(key instanceof Integer i ? Long.valueOf(i) : key, value instanceof Integer i ? Long.valueOf(i) : value);
    }
    return this;
  }

  public CborMapBuilder putOpt(Object key, Optional<?> value) {
    value.ifPresent(v -> put(key, v));
    return this;
  }

  /** A list member that is left out when empty. */
  public CborMapBuilder putNonEmpty(Object key, java.util.Collection<?> value) {
    if (!value.isEmpty()) {
      put(key, value);
    }
    return this;
  }

  public Map<Object, Object> build() {
    return map;
  }
}
