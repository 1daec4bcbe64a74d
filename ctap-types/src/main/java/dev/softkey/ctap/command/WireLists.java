package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Strict reading of CBOR arrays into typed lists: an element of the wrong type is CTAP2_ERR_CBOR_UNEXPECTED_TYPE. */
final class WireLists {
  private WireLists() {}

  static List<String> texts(List<Object> l) {
    return of(l, String.class);
  }

  static List<Long> longs(List<Object> l) {
    return of(l, Long.class);
  }

  static List<Bytes> bytes(List<Object> l) {
    return of(l, Bytes.class);
  }

  static <T> List<T> maps(List<Object> l, Function<CborMap, T> decode) {
    List<T> out = new ArrayList<>(l.size());
    for (Object o : l) {
      out.add(decode.apply(CborMap.asMap(o)));
    }
    return List.copyOf(out);
  }

  static List<Object> cbor(List<? extends dev.softkey.ctap.cbor.CborEncodable> l) {
    List<Object> out = new ArrayList<>(l.size());
    for (var e : l) {
      out.add(e.toCbor());
    }
    return out;
  }

  private static <T> List<T> of(List<Object> l, Class<T> type) {
    List<T> out = new ArrayList<>(l.size());
    for (Object o : l) {
      if (!type.isInstance(o)) {
        throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "array element has the wrong type");
      }
      out.add(type.cast(o));
    }
    return List.copyOf(out);
  }
}
