package dev.softkey.hybrid.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.testvectors.HybridVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

class HybridKdfTest {
  @Test
  void deriveMatchesPublishedVectors() {
    List<List<String>> rows = HybridVectors.table("kdf.tsv").rows();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(4);
    for (List<String> r : rows) {
      Bytes secret = Bytes.fromHex(r.get(2));
      Bytes salt = r.get(3).equals("-") ? Bytes.EMPTY : Bytes.fromHex(r.get(3));
      Bytes out = HybridKdf.derive(secret, salt, HybridKdf.Purpose.valueOf(r.get(1)), Integer.parseInt(r.get(4)));
      assertThat(out.hex()).as(r.get(0)).isEqualTo(r.get(5));
    }
  }

  @Test
  void tunnelIdHelperIsPurposeTwoWithEmptySalt() {
    List<String> r = HybridVectors.rowsByName("kdf.tsv").get("tunnel-id-known-secret");
    TunnelId id = HybridKdf.tunnelId(Bytes.fromHex(r.get(2)));
    assertThat(id.hex()).isEqualTo("367CBBF5F5085DF4098476AFE4B9B1D2");
  }

  @Test
  void eidKeyHelperIsPurposeOneWithEmptySalt() {
    List<String> r = HybridVectors.rowsByName("kdf.tsv").get("eid-key-no-salt");
    assertThat(HybridKdf.eidKey(Bytes.fromHex(r.get(2))).hex()).isEqualTo(r.get(5));
  }

  @Test
  void purposesAreDistinct() {
    Bytes secret = Bytes.fromHex("00112233445566778899aabbccddeeff");
    Bytes a = HybridKdf.derive(secret, Bytes.EMPTY, HybridKdf.Purpose.EID_KEY, 32);
    Bytes b = HybridKdf.derive(secret, Bytes.EMPTY, HybridKdf.Purpose.PSK, 32);
    assertThat(a).isNotEqualTo(b);
  }
}
