package dev.softkey.core.store;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.model.Bytes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The CBOR payload of a store snapshot: everything the store holds, encoded as canonical CBOR (the
 * same {@link CborEncoder} as the wire).
 *
 * <pre>
 * payload = {
 *   1: [* credential],          ; PAYLOAD_CREDENTIALS, in insertion order
 *   2: {* text => bytes},       ; PAYLOAD_STATE, the DeviceStateStore records
 *   3: uint,                    ; PAYLOAD_GENERATION, format version 2 only (required there)
 * }
 * </pre>
 *
 * <p>Format version 1 (the snapshot-per-write store) has members 1 and 2. Version 2 adds the
 * generation, which links the snapshot to the journal holding the writes made after it ({@link
 * StoreJournal}); the credential encoding is the same, and so is the journal's.
 *
 * <p>Key registry. Keys are append-only: a key is never reused for another meaning, a retired key
 * is renamed {@code RETIRED_...} and kept here. Decoding rejects unknown keys rather than dropping
 * them, because the next write would silently lose what a newer softkey stored.
 */
final class StorePayload {
  // Top-level payload keys.
  static final long PAYLOAD_CREDENTIALS = 1;
  static final long PAYLOAD_STATE = 2;
  static final long PAYLOAD_GENERATION = 3;

  // StoredCredential keys.
  /** credentialId, byte string. */
  static final long CRED_ID = 1;

  /** rpId, text. */
  static final long CRED_RP_ID = 2;

  /** rpName, text, omitted when absent. */
  static final long CRED_RP_NAME = 3;

  /** userId (user handle), byte string. */
  static final long CRED_USER_ID = 4;

  /** userName, text, omitted when absent. */
  static final long CRED_USER_NAME = 5;

  /** userDisplayName, text, omitted when absent. */
  static final long CRED_USER_DISPLAY_NAME = 6;

  /** algorithm, the COSE algorithm identifier (integer, e.g. -7). */
  static final long CRED_ALGORITHM = 7;

  /** privateKey, byte string, the compact private encoding (secret). */
  static final long CRED_PRIVATE_KEY = 8;

  /** signCount, unsigned integer. */
  static final long CRED_SIGN_COUNT = 9;

  /**
   * Retired: credProtect, unsigned integer 1..3, written by softkey before the credProtect
   * extension was built (always 1 then). The level is now the credProtect extension's state in
   * extensionData; a credential that still carries this key loads with a level above 1 moved there.
   */
  static final long RETIRED_CRED_CRED_PROTECT = 10;

  /** backupEligible, boolean. */
  static final long CRED_BACKUP_ELIGIBLE = 11;

  /** backupState, boolean. */
  static final long CRED_BACKUP_STATE = 12;

  /** createdAt, integer, epoch milliseconds. */
  static final long CRED_CREATED_AT = 13;

  /** extensionData, map text => byte string, omitted when empty. */
  static final long CRED_EXTENSION_DATA = 14;

  /** userIcon, text, omitted when absent (the profile quirk keepUserIcon). */
  static final long CRED_USER_ICON = 15;

  /** The credProtect extension's identifier, its key in extensionData (core.extension.CredProtectExtension). */
  private static final String CREDPROTECT_STATE = "credProtect";

  private static final Set<Long> PAYLOAD_KEYS = Set.of(PAYLOAD_CREDENTIALS, PAYLOAD_STATE);
  private static final Set<Long> PAYLOAD_KEYS_V2 =
      Set.of(PAYLOAD_CREDENTIALS, PAYLOAD_STATE, PAYLOAD_GENERATION);
  private static final Set<Long> CREDENTIAL_KEYS =
      Set.of(
          CRED_ID,
          CRED_RP_ID,
          CRED_RP_NAME,
          CRED_USER_ID,
          CRED_USER_NAME,
          CRED_USER_DISPLAY_NAME,
          CRED_ALGORITHM,
          CRED_PRIVATE_KEY,
          CRED_SIGN_COUNT,
          RETIRED_CRED_CRED_PROTECT,
          CRED_BACKUP_ELIGIBLE,
          CRED_BACKUP_STATE,
          CRED_CREATED_AT,
          CRED_EXTENSION_DATA,
          CRED_USER_ICON);

  /** The decoded content of a store. */
  record Contents(List<StoredCredential> credentials, Map<String, Bytes> records) {
    static final Contents EMPTY = new Contents(List.of(), Map.of());

    Contents {
      credentials = List.copyOf(credentials);
      records = Map.copyOf(records);
    }
  }

  /** A version 2 snapshot's payload: the contents and the generation they are. */
  record Snapshot(long generation, Contents contents) {}

  private StorePayload() {}

  /** A format version 1 payload (what the snapshot-per-write store wrote). */
  static byte[] encode(Contents contents) {
    return CborEncoder.encode(members(contents.credentials(), contents.records()));
  }

  /** A format version 2 payload: {@code credentials} in insertion order, the records, the generation. */
  static byte[] encode(
      Iterable<StoredCredential> credentials, Map<String, Bytes> records, long generation) {
    Map<Object, Object> payload = members(credentials, records);
    payload.put(PAYLOAD_GENERATION, generation);
    return CborEncoder.encode(payload);
  }

  private static Map<Object, Object> members(
      Iterable<StoredCredential> credentials, Map<String, Bytes> records) {
    List<Object> creds = new ArrayList<>();
    for (StoredCredential c : credentials) {
      creds.add(encodeCredential(c));
    }
    Map<Object, Object> payload = new LinkedHashMap<>();
    payload.put(PAYLOAD_CREDENTIALS, creds);
    payload.put(PAYLOAD_STATE, new TreeMap<>(records));
    return payload;
  }

  /** A credential as a CBOR map (the snapshot's list entries and the journal's credential records). */
  static Map<Object, Object> encodeCredential(StoredCredential c) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(CRED_ID, c.credentialId());
    m.put(CRED_RP_ID, c.rpId());
    m.put(CRED_RP_NAME, c.rpName().orElse(null));
    m.put(CRED_USER_ID, c.userId());
    m.put(CRED_USER_NAME, c.userName().orElse(null));
    m.put(CRED_USER_DISPLAY_NAME, c.userDisplayName().orElse(null));
    m.put(CRED_ALGORITHM, (long) c.algorithm().id());
    m.put(CRED_PRIVATE_KEY, c.privateKey());
    m.put(CRED_SIGN_COUNT, c.signCount());
    m.put(CRED_BACKUP_ELIGIBLE, c.backupEligible());
    m.put(CRED_BACKUP_STATE, c.backupState());
    m.put(CRED_CREATED_AT, c.createdAt());
    m.put(
        CRED_EXTENSION_DATA, c.extensionData().isEmpty() ? null : new TreeMap<>(c.extensionData()));
    m.put(CRED_USER_ICON, c.userIcon().orElse(null));
    return m;
  }

  /**
   * Decodes a payload. {@code file} is only for messages.
   *
   * @throws StoreException with {@link StoreException.Reason#CORRUPT} if the payload is not a valid
   *     version 1 payload
   */
  static Contents decode(byte[] payload, Path file) {
    return decode(payload, 1, file).contents();
  }

  /**
   * Decodes a payload of the envelope's {@code formatVersion} (1 or 2); a version 1 payload is
   * generation 0.
   *
   * @throws StoreException with {@link StoreException.Reason#CORRUPT} if the payload is not a valid
   *     payload of that version
   */
  static Snapshot decode(byte[] payload, int formatVersion, Path file) {
    try {
      CborMap root = CborDecoder.decodeMap(payload);
      requireKnownKeys(root, formatVersion == 1 ? PAYLOAD_KEYS : PAYLOAD_KEYS_V2, "payload", file);
      List<StoredCredential> creds = new ArrayList<>();
      int index = 0;
      for (Object o : root.list(PAYLOAD_CREDENTIALS)) {
        creds.add(decodeCredential(CborMap.asMap(o), "credential #" + index++, file));
      }
      Map<String, Bytes> records = textToBytes(root.map(PAYLOAD_STATE), "state record", file);
      long generation = 0;
      if (formatVersion >= 2) {
        generation = root.longValue(PAYLOAD_GENERATION);
        if (generation < 1) {
          throw StoreException.corrupt(file, "snapshot generation " + generation + " is out of range");
        }
      }
      return new Snapshot(generation, new Contents(creds, records));
    } catch (CtapException e) {
      // CborDecoder and CborMap speak CTAP statuses; here a failure means a damaged file.
      throw StoreException.corrupt(file, "payload is not valid store CBOR (" + e.getMessage() + ")");
    }
  }

  /**
   * A credential from its CBOR map; {@code where} names it in messages.
   *
   * @throws CtapException if a member has the wrong type or a required one is missing
   * @throws StoreException if a member is out of range or unknown
   */
  static StoredCredential decodeCredential(CborMap m, String where, Path file) {
    requireKnownKeys(m, CREDENTIAL_KEYS, where, file);
    long alg = m.longValue(CRED_ALGORITHM);
    CoseAlgorithm algorithm =
        CoseAlgorithm.fromId(alg)
            .orElseThrow(() -> StoreException.corrupt(file, where + " has unknown COSE algorithm " + alg));
    long signCount = m.longValue(CRED_SIGN_COUNT);
    if (signCount < 0 || signCount > 0xFFFFFFFFL) {
      throw StoreException.corrupt(file, where + " has a sign count out of range");
    }
    Map<String, Bytes> extensionData =
        new TreeMap<>(
            m.optMap(CRED_EXTENSION_DATA)
                .map(x -> textToBytes(x, where + " extension", file))
                .orElse(Map.of()));
    if (m.has(RETIRED_CRED_CRED_PROTECT)) {
      long credProtect = m.longValue(RETIRED_CRED_CRED_PROTECT);
      if (credProtect < 1 || credProtect > 3) {
        throw StoreException.corrupt(file, where + " has credProtect out of range");
      }
      // The credProtect extension's state: the level as one byte, absent for level 1.
      if (credProtect > 1) {
        extensionData.putIfAbsent(CREDPROTECT_STATE, Bytes.wrap(new byte[] {(byte) credProtect}));
      }
    }
    return new StoredCredential(
        m.bytes(CRED_ID),
        m.text(CRED_RP_ID),
        m.optText(CRED_RP_NAME),
        m.bytes(CRED_USER_ID),
        m.optText(CRED_USER_NAME),
        m.optText(CRED_USER_DISPLAY_NAME),
        algorithm,
        m.bytes(CRED_PRIVATE_KEY),
        signCount,
        bool(m, CRED_BACKUP_ELIGIBLE, where, file),
        bool(m, CRED_BACKUP_STATE, where, file),
        m.longValue(CRED_CREATED_AT),
        extensionData,
        m.optText(CRED_USER_ICON));
  }

  private static boolean bool(CborMap m, long key, String where, Path file) {
    return m.optBool(key).orElseThrow(() -> StoreException.corrupt(file, where + " lacks member " + key));
  }

  private static Map<String, Bytes> textToBytes(CborMap m, String what, Path file) {
    Map<String, Bytes> out = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : m.asMap().entrySet()) {
      if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof Bytes v)) {
        throw StoreException.corrupt(file, what + " entries must map text to bytes");
      }
      out.put(k, v);
    }
    return out;
  }

  private static void requireKnownKeys(CborMap m, Set<Long> known, String where, Path file) {
    for (Object k : m.asMap().keySet()) {
      if (!(k instanceof Long l) || !known.contains(l)) {
        throw StoreException.corrupt(
            file,
            where
                + " has unknown member "
                + k
                + " (written by a newer softkey?); refusing to drop it");
      }
    }
  }

}
