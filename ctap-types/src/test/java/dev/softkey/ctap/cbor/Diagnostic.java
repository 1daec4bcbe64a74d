package dev.softkey.ctap.cbor;

import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Renders decoded values in RFC 8949 section 8 diagnostic notation, in the style of RFC 8949
 * Appendix A (non-ASCII text as {@code \\uXXXX} UTF-16 escapes, {@code ", "} and {@code ": "}
 * separators), so decoded vectors can be compared with the diagnostic column of the vector files.
 * Floats are not rendered here; tests compare them numerically.
 */
final class Diagnostic {
  private Diagnostic() {}

  static String of(Object v) {
    if (v instanceof Long || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof CborNull) {
      return "null";
    }
    if (v instanceof Bytes b) {
      return "h'" + b.hex() + "'";
    }
    if (v instanceof String s) {
      return text(s);
    }
    if (v instanceof List<?> l) {
      StringJoiner j = new StringJoiner(", ", "[", "]");
      for (Object o : l) {
        j.add(of(o));
      }
      return j.toString();
    }
    if (v instanceof CborMap m) {
      StringJoiner j = new StringJoiner(", ", "{", "}");
      for (Map.Entry<Object, Object> e : m.asMap().entrySet()) {
        j.add(of(e.getKey()) + ": " + of(e.getValue()));
      }
      return j.toString();
    }
    throw new IllegalArgumentException("no diagnostic form for " + v.getClass());
  }

  private static String text(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b.append('"').toString();
  }
}
