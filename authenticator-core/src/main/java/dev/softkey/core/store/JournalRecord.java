package dev.softkey.core.store;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One mutation of a store, as a journal record carries it (canonical CBOR inside the record's
 * checksum or AEAD, {@link StoreJournal}). Replaying the records of a journal in order on the
 * snapshot they follow gives the state every acknowledged call left; {@link FileStore} applies
 * the very same record to memory after appending it, so live state and replay cannot disagree.
 *
 * <pre>
 * record = {
 *   1: op,                      ; uint, below
 *   ? 2: credential,            ; the snapshot's credential map (StorePayload), ops 1 and 2
 *   ? 3: bytes,                 ; credential ID, ops 3 and 4
 *   ? 4: uint,                  ; sign count 0..2^32-1, op 3
 *   ? 5: text,                  ; state record key, ops 6 and 7
 *   ? 6: bytes,                 ; state record value, op 6
 * }
 * op 1 PUT_CREDENTIAL     CredentialStore.put (replaces the same RP ID and user handle)
 * op 2 UPDATE_CREDENTIAL  CredentialStore.update
 * op 3 SIGN_COUNT         the counter of one credential, all else unchanged (getAssertion's write)
 * op 4 DELETE_CREDENTIAL  CredentialStore.delete
 * op 5 CLEAR_CREDENTIALS  CredentialStore.clear
 * op 6 PUT_STATE          DeviceStateStore.put
 * op 7 REMOVE_STATE       DeviceStateStore.remove
 * </pre>
 *
 * <p>Key and op registries are append-only like {@link StorePayload}'s; decoding refuses an
 * unknown op or member, or a member the op does not take, rather than replaying less than was
 * written.
 */
sealed interface JournalRecord {
  long OP_PUT_CREDENTIAL = 1;
  long OP_UPDATE_CREDENTIAL = 2;
  long OP_SIGN_COUNT = 3;
  long OP_DELETE_CREDENTIAL = 4;
  long OP_CLEAR_CREDENTIALS = 5;
  long OP_PUT_STATE = 6;
  long OP_REMOVE_STATE = 7;

  long KEY_OP = 1;
  long KEY_CREDENTIAL = 2;
  long KEY_CREDENTIAL_ID = 3;
  long KEY_SIGN_COUNT = 4;
  long KEY_STATE_KEY = 5;
  long KEY_STATE_VALUE = 6;

  record PutCredential(StoredCredential credential) implements JournalRecord {
    @Override
    public void applyTo(CredentialIndex credentials, Map<String, Bytes> records) {
      credentials.put(credential);
    }

    @Override
    public Map<Object, Object> members() {
      return JournalRecord.of(OP_PUT_CREDENTIAL, KEY_CREDENTIAL, StorePayload.encodeCredential(credential));
    }
  }

  record UpdateCredential(StoredCredential credential) implements JournalRecord {
    @Override
    public void applyTo(CredentialIndex credentials, Map<String, Bytes> records) {
      credentials.update(credential);
    }

    @Override
    public Map<Object, Object> members() {
      return JournalRecord.of(OP_UPDATE_CREDENTIAL, KEY_CREDENTIAL, StorePayload.encodeCredential(credential));
    }
  }

  record SignCount(Bytes credentialId, long signCount) implements JournalRecord {
    @Override
    public void applyTo(CredentialIndex credentials, Map<String, Bytes> records) {
      credentials.find(credentialId).ifPresent(c -> credentials.update(c.withSignCount(signCount)));
    }

    @Override
    public Map<Object, Object> members() {
      return JournalRecord.of(OP_SIGN_COUNT, KEY_CREDENTIAL_ID, credentialId, KEY_SIGN_COUNT, signCount);
    }
  }

  record DeleteCredential(Bytes credentialId) implements JournalRecord {
    @Override
    public void applyTo(CredentialIndex credentials, Map<String, Bytes> records) {
      credentials.delete(credentialId);
    }

    @Override
    public Map<Object, Object> members() {
      return JournalRecord.of(OP_DELETE_CREDENTIAL, KEY_CREDENTIAL_ID, credentialId);
    }
  }

  record ClearCredentials() implements JournalRecord {
    @Override
    public void applyTo(CredentialIndex credentials, Map<String, Bytes> records) {
      credentials.clear();
    }

    @Override
    public Map<Object, Object> members() {
      return JournalRecord.of(OP_CLEAR_CREDENTIALS);
    }
  }

  record PutState(String key, Bytes value) implements JournalRecord {
    @Override
    public void applyTo(CredentialIndex credentials, Map<String, Bytes> records) {
      records.put(key, value);
    }

    @Override
    public Map<Object, Object> members() {
      return JournalRecord.of(OP_PUT_STATE, KEY_STATE_KEY, key, KEY_STATE_VALUE, value);
    }
  }

  record RemoveState(String key) implements JournalRecord {
    @Override
    public void applyTo(CredentialIndex credentials, Map<String, Bytes> records) {
      records.remove(key);
    }

    @Override
    public Map<Object, Object> members() {
      return JournalRecord.of(OP_REMOVE_STATE, KEY_STATE_KEY, key);
    }
  }

  /** Applies this mutation to a store's credentials and state records. */
  void applyTo(CredentialIndex credentials, Map<String, Bytes> records);

  /** The record's CBOR map (op and members), before canonical encoding. */
  Map<Object, Object> members();

  /** Canonical CBOR. */
  default byte[] encode() {
    return CborEncoder.encode(members());
  }

  private static Map<Object, Object> of(long op, Object... keysAndValues) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(KEY_OP, op);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /**
   * Decodes one record; {@code where} names it in messages.
   *
   * @throws StoreException with {@link StoreException.Reason#CORRUPT} if it is not a valid record
   */
  static JournalRecord decode(byte[] cbor, String where, Path file) {
    try {
      CborMap m = CborDecoder.decodeMap(cbor);
      long op = m.longValue(KEY_OP);
      JournalRecord r;
      Set<Long> members;
      if (op == OP_PUT_CREDENTIAL || op == OP_UPDATE_CREDENTIAL) {
        StoredCredential c =
            StorePayload.decodeCredential(m.map(KEY_CREDENTIAL), where + "'s credential", file);
        r = op == OP_PUT_CREDENTIAL ? new PutCredential(c) : new UpdateCredential(c);
        members = Set.of(KEY_OP, KEY_CREDENTIAL);
      } else if (op == OP_SIGN_COUNT) {
        long n = m.longValue(KEY_SIGN_COUNT);
        if (n < 0 || n > 0xFFFFFFFFL) {
          throw StoreException.corrupt(file, where + " has a sign count out of range");
        }
        r = new SignCount(m.bytes(KEY_CREDENTIAL_ID), n);
        members = Set.of(KEY_OP, KEY_CREDENTIAL_ID, KEY_SIGN_COUNT);
      } else if (op == OP_DELETE_CREDENTIAL) {
        r = new DeleteCredential(m.bytes(KEY_CREDENTIAL_ID));
        members = Set.of(KEY_OP, KEY_CREDENTIAL_ID);
      } else if (op == OP_CLEAR_CREDENTIALS) {
        r = new ClearCredentials();
        members = Set.of(KEY_OP);
      } else if (op == OP_PUT_STATE) {
        r = new PutState(m.text(KEY_STATE_KEY), m.bytes(KEY_STATE_VALUE));
        members = Set.of(KEY_OP, KEY_STATE_KEY, KEY_STATE_VALUE);
      } else if (op == OP_REMOVE_STATE) {
        r = new RemoveState(m.text(KEY_STATE_KEY));
        members = Set.of(KEY_OP, KEY_STATE_KEY);
      } else {
        throw StoreException.corrupt(
            file, where + " has unknown operation " + op + " (written by a newer softkey?)");
      }
      for (Object k : m.asMap().keySet()) {
        if (!members.contains(k)) {
          throw StoreException.corrupt(
              file,
              where + " has unknown member " + k + " (written by a newer softkey?); refusing to drop it");
        }
      }
      return r;
    } catch (CtapException e) {
      throw StoreException.corrupt(file, where + " is not a valid journal record (" + e.getMessage() + ")");
    }
  }

}
