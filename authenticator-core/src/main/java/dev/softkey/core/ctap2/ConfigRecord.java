package dev.softkey.core.ctap2;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The persistent authenticatorConfig state, stored as the {@code DeviceStateStore} record {@value
 * #STORE_KEY}: a CBOR map with integer keys (never reused): 1 version, 2 alwaysUv, 3 enterprise
 * attestation enabled (ep), 4 minPinLengthRPIDs (array of text). Absent record: the profile's
 * initial values (alwaysUv as the profile says, ep disabled, no RP IDs). The minimum PIN length
 * and forcePINChange live with the PIN, in the {@code "pin"} record.
 *
 * @param alwaysUv the alwaysUv option's current value
 * @param enterpriseAttestation enableEnterpriseAttestation was run (getInfo ep true)
 * @param minPinLengthRpIds the RP IDs the minPinLength extension reports to
 */
record ConfigRecord(boolean alwaysUv, boolean enterpriseAttestation, List<String> minPinLengthRpIds) {
  static final String STORE_KEY = "config";
  static final long VERSION = 1;
  private static final long K_VERSION = 1;
  private static final long K_ALWAYS_UV = 2;
  private static final long K_EP = 3;
  private static final long K_MIN_PIN_LENGTH_RP_IDS = 4;

  ConfigRecord {
    minPinLengthRpIds = List.copyOf(minPinLengthRpIds);
  }

  static ConfigRecord initial(boolean alwaysUv) {
    return new ConfigRecord(alwaysUv, false, List.of());
  }

  ConfigRecord withAlwaysUv(boolean v) {
    return new ConfigRecord(v, enterpriseAttestation, minPinLengthRpIds);
  }

  ConfigRecord withEnterpriseAttestation(boolean v) {
    return new ConfigRecord(alwaysUv, v, minPinLengthRpIds);
  }

  ConfigRecord withMinPinLengthRpIds(List<String> v) {
    return new ConfigRecord(alwaysUv, enterpriseAttestation, v);
  }

  Bytes encode() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(K_VERSION, VERSION);
    m.put(K_ALWAYS_UV, alwaysUv);
    m.put(K_EP, enterpriseAttestation);
    m.put(K_MIN_PIN_LENGTH_RP_IDS, new ArrayList<Object>(minPinLengthRpIds));
    return CborEncoder.encodeBytes(m);
  }

  /** Decodes a stored record; throws IllegalStateException if it is corrupt or from a newer version. */
  static ConfigRecord decode(Bytes stored) {
    try {
      CborMap m = CborDecoder.decodeMap(stored.unsafeArray());
      long version = m.longValue(K_VERSION);
      if (version != VERSION) {
        throw new IllegalStateException("unsupported config record version " + version);
      }
      List<String> rpIds = new ArrayList<>();
      for (Object o : m.optList(K_MIN_PIN_LENGTH_RP_IDS).orElse(List.of())) {
        rpIds.add((String) Objects.requireNonNull(o));
      }
      return new ConfigRecord(
          m.optBool(K_ALWAYS_UV).orElse(false), m.optBool(K_EP).orElse(false), rpIds);
    } catch (CtapException | IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw new IllegalStateException("corrupt config record", e);
    }
  }
}
