package dev.softkey.core.store;

import static dev.softkey.core.store.StoreFixtures.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.model.Bytes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link MemoryStore} over its {@link CredentialIndex}, against the scanning store it replaced. */
class MemoryStoreTest {
  /** The store before the index: one insertion-ordered map, scanned and sorted on every look-up. */
  static final class ScanningStore {
    final Map<Bytes, StoredCredential> credentials = new LinkedHashMap<>();

    void put(StoredCredential c) {
      credentials.values().removeIf(o -> o.rpId().equals(c.rpId()) && o.userId().equals(c.userId()));
      credentials.put(c.credentialId(), c);
    }

    void update(StoredCredential c) {
      credentials.computeIfPresent(c.credentialId(), (k, v) -> c);
    }

    List<StoredCredential> findByRpId(String rpId) {
      List<StoredCredential> out = new ArrayList<>();
      for (StoredCredential c : credentials.values()) {
        if (c.rpId().equals(rpId)) {
          out.add(c);
        }
      }
      out.sort(MemoryStore.NEWEST_FIRST);
      return out;
    }

    List<StoredCredential> all() {
      List<StoredCredential> out = new ArrayList<>(credentials.values());
      out.sort(MemoryStore.NEWEST_FIRST);
      return out;
    }
  }

  @Test
  void findByRpId_isNewestFirst_tiesInInsertionOrder_andOnlyThatRp() {
    MemoryStore s = new MemoryStore();
    StoredCredential a = minimal("a.example", Bytes.fromHex("01"), 10);
    StoredCredential b = minimal("a.example", Bytes.fromHex("02"), 30);
    StoredCredential c = minimal("a.example", Bytes.fromHex("03"), 10);
    StoredCredential other = minimal("b.example", Bytes.fromHex("01"), 50);
    s.put(a);
    s.put(b);
    s.put(other);
    s.put(c);
    assertThat(s.findByRpId("a.example")).containsExactly(b, a, c);
    assertThat(s.findByRpId("b.example")).containsExactly(other);
    assertThat(s.findByRpId("none.example")).isEmpty();
    assertThat(s.all()).containsExactly(other, b, a, c);
  }

  @Test
  void put_replacesTheSameRpAndUser_andTheIndexFollowsDeletesAndClear() {
    MemoryStore s = new MemoryStore();
    StoredCredential old = minimal("a.example", Bytes.fromHex("01"), 1);
    StoredCredential fresh = minimal("a.example", Bytes.fromHex("01"), 2);
    s.put(old);
    s.put(fresh);
    assertThat(s.find(old.credentialId())).isEmpty();
    assertThat(s.findByRpId("a.example")).containsExactly(fresh);
    assertThat(s.delete(fresh.credentialId())).isTrue();
    assertThat(s.findByRpId("a.example")).isEmpty();
    s.put(old);
    s.clear();
    assertThat(s.findByRpId("a.example")).isEmpty();
    assertThat(s.count()).isZero();
  }

  @Test
  void update_keepsThePlace_andFollowsAChangedRpId() {
    MemoryStore s = new MemoryStore();
    StoredCredential a = minimal("a.example", Bytes.fromHex("01"), 5);
    StoredCredential b = minimal("a.example", Bytes.fromHex("02"), 5);
    s.put(a);
    s.put(b);
    s.update(a.withSignCount(3));
    assertThat(s.findByRpId("a.example")).containsExactly(a.withSignCount(3), b);
    StoredCredential moved =
        new StoredCredential(
            b.credentialId(), "c.example", Optional.empty(), b.userId(), Optional.empty(),
            Optional.empty(), b.algorithm(), b.privateKey(), 0, false, false, 5, Map.of());
    s.update(moved);
    assertThat(s.findByRpId("a.example")).containsExactly(a.withSignCount(3));
    assertThat(s.findByRpId("c.example")).containsExactly(moved);
    s.update(minimal("a.example", Bytes.fromHex("09"), 9)); // absent: no-op
    assertThat(s.count()).isEqualTo(2);
  }

  @Test
  void randomOperations_giveWhatTheScanningStoreGave() {
    long seed = new SecureRandom().nextLong();
    Random r = new Random(seed);
    MemoryStore s = new MemoryStore();
    ScanningStore reference = new ScanningStore();
    for (int step = 0; step < 3000; step++) {
      StoredCredential c =
          minimal("rp" + r.nextInt(5) + ".example", Bytes.fromHex("0" + r.nextInt(6)), r.nextInt(30));
      switch (r.nextInt(5)) {
        case 0, 1 -> {
          s.put(c);
          reference.put(c);
        }
        case 2 -> {
          s.update(c.withSignCount(step));
          reference.update(c.withSignCount(step));
        }
        case 3 ->
            assertThat(s.delete(c.credentialId()))
                .isEqualTo(reference.credentials.remove(c.credentialId()) != null);
        default -> {
          String rp = "rp" + r.nextInt(6) + ".example";
          assertThat(s.findByRpId(rp)).as("seed %d, step %d", seed, step).isEqualTo(reference.findByRpId(rp));
        }
      }
      assertThat(s.find(c.credentialId()))
          .as("seed %d, step %d", seed, step)
          .isEqualTo(Optional.ofNullable(reference.credentials.get(c.credentialId())));
    }
    assertThat(s.all()).as("seed %d", seed).isEqualTo(reference.all());
    assertThat(s.count()).isEqualTo(reference.credentials.size());
  }
}
