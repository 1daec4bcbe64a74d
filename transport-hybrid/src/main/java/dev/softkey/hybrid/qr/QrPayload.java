package dev.softkey.hybrid.qr;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.P256KeyPair;
import dev.softkey.hybrid.crypto.P256PublicKey;
import dev.softkey.hybrid.crypto.TunnelDomain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CBOR map a hybrid QR code carries, and its {@code FIDO:/<digits>} URL (CTAP 2.2 section
 * 11.5; Chromium {@code qr::Parse} / {@code qr::Encode}). Absent optional keys stay absent, so a
 * decoded payload re-encodes to the same URL.
 *
 * <p>Key 6 has two meanings in the field: CTAP 2.3 defines it as an array of supported
 * data-transfer channels (0 WebSocket tunnel, 1 BLE L2CAP) while older initiators (webauthn-rs,
 * libwebauthn) send a bool "supports non-discoverable makeCredential". Decoding accepts either and
 * keeps it in the matching field. Pre-2.3 Google Play services reject the array form, so an
 * initiator talking to today's phones should leave {@link #supportedChannels} empty.
 *
 * <p>Payloads from Chrome and Safari (captured in webauthn-rs' tests) are canonical CTAP2 CBOR, so
 * the strict {@link CborDecoder} reads them as Chromium's own strict reader does.
 *
 * @param publicKey key 0: the initiator's identity key (33-byte compressed point on the wire)
 * @param qrSecret key 1: the 16-byte QR secret
 * @param knownDomainCount key 2: how many assigned tunnel domains the initiator knows
 * @param currentTime key 3: the initiator's clock, epoch seconds
 * @param supportsStateAssisted key 4: whether the initiator can store linking information
 * @param requestTypeHint key 5 as sent (see {@link #requestType()})
 * @param supportsNonDiscoverableMakeCredential key 6 when it is a bool (pre-2.3 meaning)
 * @param supportedChannels key 6 when it is an array (CTAP 2.3 data-transfer channels)
 * @param unknownKeys every other key with its decoded value, ignored but kept for re-encoding
 */
public record QrPayload(
    P256PublicKey publicKey,
    Bytes qrSecret,
    Optional<Long> knownDomainCount,
    Optional<Long> currentTime,
    Optional<Boolean> supportsStateAssisted,
    Optional<String> requestTypeHint,
    Optional<Boolean> supportsNonDiscoverableMakeCredential,
    Optional<List<Long>> supportedChannels,
    Map<Object, Object> unknownKeys) {

  /** The URL scheme prefix, written in upper case (phones' camera apps recognise it so). */
  public static final String PREFIX = "FIDO:/";
  /** QR secret length. */
  public static final int QR_SECRET_LENGTH = 16;

  /** Channel value of the WebSocket tunnel in key 6 (CTAP 2.3). */
  public static final long CHANNEL_WEBSOCKET = 0;
  /** Channel value of BLE L2CAP in key 6 (CTAP 2.3). */
  public static final long CHANNEL_BLE_L2CAP = 1;

  private static final long KEY_PUBLIC_KEY = 0;
  private static final long KEY_QR_SECRET = 1;
  private static final long KEY_KNOWN_DOMAINS = 2;
  private static final long KEY_CURRENT_TIME = 3;
  private static final long KEY_STATE_ASSISTED = 4;
  private static final long KEY_REQUEST_TYPE = 5;
  private static final long KEY_6 = 6;

  public QrPayload {
    if (qrSecret.length() != QR_SECRET_LENGTH) {
      throw new HybridException("the QR secret is 16 bytes");
    }
    knownDomainCount.ifPresent(n -> requireUnsigned(n, "known domain count"));
    currentTime.ifPresent(n -> requireUnsigned(n, "current time"));
    if (supportsNonDiscoverableMakeCredential.isPresent() && supportedChannels.isPresent()) {
      throw new HybridException("key 6 is either a bool or a channel array, not both");
    }
    supportedChannels = supportedChannels.map(List::copyOf);
    unknownKeys = Map.copyOf(unknownKeys);
    for (Object k : unknownKeys.keySet()) {
      if (k instanceof Long l && l >= 0 && l <= KEY_6) {
        throw new HybridException("key " + l + " is a known key, not an unknown one");
      }
    }
  }

  /**
   * The payload an initiator shows, as Chromium writes it: keys 0 to 5, no key 6.
   *
   * @param identity the initiator's QR identity key pair (only its public key is used)
   * @param qrSecret 16 random bytes
   * @param now the current time (key 3, seconds)
   */
  public static QrPayload forInitiator(
      P256KeyPair identity, Bytes qrSecret, Instant now, RequestType hint, boolean supportsStateAssisted) {
    return new QrPayload(
        identity.publicKey(),
        qrSecret,
        Optional.of((long) TunnelDomain.KNOWN_ASSIGNED_COUNT),
        Optional.of(now.getEpochSecond()),
        Optional.of(supportsStateAssisted),
        Optional.of(hint.wire()),
        Optional.empty(),
        Optional.empty(),
        Map.of());
  }

  /** The hint of key 5; absent or unknown values are {@link RequestType#GET_ASSERTION}. */
  public RequestType requestType() {
    return requestTypeHint.map(RequestType::fromWire).orElse(RequestType.GET_ASSERTION);
  }

  /** Key 3 as an instant. */
  public Optional<Instant> currentInstant() {
    return currentTime.map(Instant::ofEpochSecond);
  }

  /** The canonical CBOR map. */
  public Bytes toCbor() {
    Map<Object, Object> m = new LinkedHashMap<>(unknownKeys);
    m.put(KEY_PUBLIC_KEY, publicKey.compressed());
    m.put(KEY_QR_SECRET, qrSecret);
    knownDomainCount.ifPresent(v -> m.put(KEY_KNOWN_DOMAINS, v));
    currentTime.ifPresent(v -> m.put(KEY_CURRENT_TIME, v));
    supportsStateAssisted.ifPresent(v -> m.put(KEY_STATE_ASSISTED, v));
    requestTypeHint.ifPresent(v -> m.put(KEY_REQUEST_TYPE, v));
    supportsNonDiscoverableMakeCredential.ifPresent(v -> m.put(KEY_6, v));
    supportedChannels.ifPresent(v -> m.put(KEY_6, v));
    return CborEncoder.encodeBytes(m);
  }

  /** The URL {@code FIDO:/<digits of the CBOR map>} to put in the QR code. */
  public String encode() {
    return PREFIX + DigitCodec.encode(toCbor());
  }

  /**
   * Parses a scanned URL. The prefix is compared case-insensitively (as Chromium does); the rest
   * must be digits. Throws {@link HybridException} when the URL, digits, CBOR or a known key is
   * malformed, key 0 is not a valid compressed P-256 point, or key 1 is not 16 bytes.
   */
  public static QrPayload decode(String fidoUrl) {
    if (fidoUrl.length() < PREFIX.length()
        || !fidoUrl.substring(0, PREFIX.length()).toUpperCase(Locale.ROOT).equals(PREFIX)) {
      throw new HybridException("not a FIDO:/ URL");
    }
    String digits = fidoUrl.substring(PREFIX.length());
    if (digits.isEmpty()) {
      throw new HybridException("empty FIDO:/ URL");
    }
    return fromCbor(DigitCodec.decode(digits));
  }

  /** Parses the CBOR map of a QR code (see {@link #decode}). */
  public static QrPayload fromCbor(Bytes cbor) {
    CborMap m;
    try {
      m = CborDecoder.decodeMap(cbor.unsafeArray());
    } catch (CtapException e) {
      throw new HybridException("QR payload is not a canonical CBOR map", e);
    }
    Map<Object, Object> raw = m.asMap();
    // 1. key 0: compressed point (Chromium rejects an invalid point)
    Bytes key = bytesMember(raw, KEY_PUBLIC_KEY);
    if (key.length() != P256PublicKey.COMPRESSED_LENGTH) {
      throw new HybridException("QR key 0 must be a 33-byte compressed point");
    }
    P256PublicKey publicKey = P256PublicKey.fromEncoded(key);
    // 2. key 1: the secret
    Bytes secret = bytesMember(raw, KEY_QR_SECRET);
    if (secret.length() != QR_SECRET_LENGTH) {
      throw new HybridException("QR key 1 must be 16 bytes");
    }
    // 3. optional keys, each of a fixed type
    Optional<Long> domains = typed(raw, KEY_KNOWN_DOMAINS, Long.class);
    Optional<Long> time = typed(raw, KEY_CURRENT_TIME, Long.class);
    if (domains.filter(v -> v < 0).isPresent() || time.filter(v -> v < 0).isPresent()) {
      throw new HybridException("QR keys 2 and 3 must be unsigned");
    }
    Optional<Boolean> stateAssisted = typed(raw, KEY_STATE_ASSISTED, Boolean.class);
    Optional<String> hint = typed(raw, KEY_REQUEST_TYPE, String.class);
    // 4. key 6: bool (pre-2.3) or array of unsigned channel numbers (2.3)
    Optional<Boolean> nonDiscoverable = Optional.empty();
    Optional<List<Long>> channels = Optional.empty();
    Object k6 = raw.get(KEY_6);
    if (k6 instanceof Boolean b) {
      nonDiscoverable = Optional.of(b);
    } else if (k6 instanceof List<?> list) {
      List<Long> c = new ArrayList<>(list.size());
      for (Object o : list) {
        if (!(o instanceof Long l) || l < 0) {
          throw new HybridException("QR key 6 array must hold unsigned integers");
        }
        c.add(l);
      }
      channels = Optional.of(c);
    } else if (k6 != null) {
      throw new HybridException("QR key 6 must be a bool or an array");
    }
    // 5. unknown keys are ignored (kept only so the payload re-encodes identically)
    Map<Object, Object> unknown = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : raw.entrySet()) {
      if (!(e.getKey() instanceof Long l && l >= 0 && l <= KEY_6)) {
        unknown.put(e.getKey(), e.getValue());
      }
    }
    return new QrPayload(publicKey, secret, domains, time, stateAssisted, hint, nonDiscoverable, channels, unknown);
  }

  private static Bytes bytesMember(Map<Object, Object> raw, long key) {
    Object v = raw.get(key);
    if (v == null) {
      throw new HybridException("QR key " + key + " is missing");
    }
    if (!(v instanceof Bytes b)) {
      throw new HybridException("QR key " + key + " must be a byte string");
    }
    return b;
  }

  private static <T> Optional<T> typed(Map<Object, Object> raw, long key, Class<T> type) {
    Object v = raw.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!type.isInstance(v)) {
      throw new HybridException("QR key " + key + " has the wrong type");
    }
    return Optional.of(type.cast(v));
  }

  private static void requireUnsigned(long v, String what) {
    if (v < 0) {
      throw new HybridException(what + " must not be negative");
    }
  }

  /** Shows the non-secret fields only (the QR secret would let anyone derive the EID key). */
  @Override
  public String toString() {
    return "QrPayload[publicKey="
        + publicKey.compressed().hex()
        + ", knownDomainCount="
        + knownDomainCount
        + ", currentTime="
        + currentTime
        + ", supportsStateAssisted="
        + supportsStateAssisted
        + ", requestTypeHint="
        + requestTypeHint
        + ", key6="
        + (supportsNonDiscoverableMakeCredential.isPresent() ? supportsNonDiscoverableMakeCredential : supportedChannels)
        + ", unknownKeys="
        + unknownKeys.keySet()
        + "]";
  }
}
