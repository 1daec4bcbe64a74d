package dev.softkey.hybrid.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.testvectors.HybridVectors;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EidCipherTest {
  @Test
  void trialDecryptionMatchesWebauthnRsAdverts() {
    List<List<String>> rows = HybridVectors.table("eid-adverts.tsv").rows();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(5);
    for (List<String> r : rows) {
      EidCipher cipher = new EidCipher(HybridKdf.eidKey(Bytes.fromHex(r.get(1))));
      Optional<Eid> eid = cipher.trialDecrypt(Bytes.fromHex(r.get(2)));
      if (r.get(3).equals("ok")) {
        assertThat(eid).as(r.get(0)).isPresent();
        assertThat(eid.get().nonce().hex()).isEqualTo(r.get(4));
        assertThat(eid.get().routingId().value().hex()).isEqualTo(r.get(5));
        assertThat(eid.get().tunnelDomainId()).isEqualTo(Integer.parseInt(r.get(6)));
        // and encryption is deterministic, so it gives the same advert back
        assertThat(cipher.encrypt(eid.get()).hex()).isEqualTo(r.get(2));
      } else {
        assertThat(eid).as(r.get(0)).isEmpty();
      }
    }
  }

  @Test
  void plaintextLayoutMatchesWebauthnRs() {
    for (List<String> r : HybridVectors.table("eid-plaintexts.tsv").rows()) {
      Optional<Eid> eid = Eid.parse(Bytes.fromHex(r.get(1)));
      if (r.get(2).equals("ok")) {
        assertThat(eid).as(r.get(0)).isPresent();
        assertThat(eid.get().nonce().hex()).isEqualTo(r.get(3));
        assertThat(eid.get().routingId().value().hex()).isEqualTo(r.get(4));
        assertThat(eid.get().tunnelDomainId()).isEqualTo(Integer.parseInt(r.get(5)));
        assertThat(eid.get().plaintext().hex()).isEqualTo(r.get(1));
      } else {
        assertThat(eid).as(r.get(0)).isEmpty();
      }
    }
  }

  @Test
  void roundTripAndRejections() {
    RandomSource random = RandomSource.seeded(7);
    Bytes key = Bytes.wrap(random.bytes(64));
    EidCipher cipher = new EidCipher(key);
    Eid eid = Eid.create(new RoutingId(Bytes.fromHex("090a0b")), 0x0102, random);
    Bytes advert = cipher.encrypt(eid);
    assertThat(advert.length()).isEqualTo(EidCipher.ADVERT_LENGTH);
    assertThat(cipher.trialDecrypt(advert)).contains(eid);

    // a CTAP 2.3 suffix after the 20 bytes is ignored
    assertThat(cipher.trialDecrypt(Bytes.concat(advert, Bytes.fromHex("a101191234")))).contains(eid);
    // another key (another session) does not match
    assertThat(new EidCipher(Bytes.wrap(random.bytes(64))).trialDecrypt(advert)).isEmpty();
    // an assigned-but-unknown domain is rejected, as Chromium's EIDEncrypt test expects
    Eid reserved = new Eid(eid.nonce(), eid.routingId(), 255);
    assertThat(cipher.trialDecrypt(cipher.encrypt(reserved))).isEmpty();
    assertThat(cipher.trialDecryptPlaintext(cipher.encrypt(reserved))).contains(reserved.plaintext());
    // a set reserved byte is rejected even with a valid tag
    byte[] flagged = eid.plaintext().toArray();
    flagged[0] = 1;
    assertThat(cipher.trialDecryptPlaintext(cipher.encryptPlaintext(Bytes.wrap(flagged)))).isEmpty();
  }

  @Test
  void toStringHidesTheKey() {
    assertThat(new EidCipher(Bytes.wrap(new byte[64])).toString()).doesNotContain("00");
  }
}
