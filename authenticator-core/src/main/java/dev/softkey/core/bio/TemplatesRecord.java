package dev.softkey.core.bio;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The enrolled templates as stored in the {@code DeviceStateStore} record {@code "bio"}: {1:
 * version, 2: [{1: templateId, 2: friendlyName?}, ...]}, in enrollment order. An empty list is a
 * sensor without enrollments (after authenticatorReset), which differs from no record at all (a
 * new device, which the builder may give a pre-enrolled template).
 */
record TemplatesRecord(List<Template> templates) {
  static final String STORE_KEY = "bio";
  static final long VERSION = 1;
  private static final long K_VERSION = 1;
  private static final long K_TEMPLATES = 2;
  private static final long K_ID = 1;
  private static final long K_NAME = 2;

  TemplatesRecord {
    templates = List.copyOf(templates);
  }

  Bytes encode() {
    List<Object> list = new ArrayList<>();
    for (Template t : templates) {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(K_ID, t.templateId());
      t.friendlyName().ifPresent(n -> m.put(K_NAME, n));
      list.add(m);
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(K_VERSION, VERSION);
    m.put(K_TEMPLATES, list);
    return CborEncoder.encodeBytes(m);
  }

  static TemplatesRecord decode(Bytes stored) {
    try {
      CborMap m = CborDecoder.decodeMap(stored.unsafeArray());
      long version = m.longValue(K_VERSION);
      if (version != VERSION) {
        throw new IllegalStateException("unsupported fingerprint record version " + version);
      }
      List<Template> out = new ArrayList<>();
      for (Object o : m.list(K_TEMPLATES)) {
        CborMap t = CborMap.asMap(o);
        out.add(new Template(t.bytes(K_ID), t.optText(K_NAME)));
      }
      return new TemplatesRecord(out);
    } catch (CtapException | IllegalArgumentException e) {
      throw new IllegalStateException("corrupt fingerprint record", e);
    }
  }

  @Override
  public String toString() {
    return "TemplatesRecord[" + templates.size() + " templates]";
  }
}
