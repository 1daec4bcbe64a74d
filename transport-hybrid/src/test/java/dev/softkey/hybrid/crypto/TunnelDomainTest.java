package dev.softkey.hybrid.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.testvectors.HybridVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunnelDomainTest {
  @Test
  void decodeMatchesPublishedDomains() {
    List<List<String>> rows = HybridVectors.table("tunnel-domains.tsv").rows();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(6);
    for (List<String> r : rows) {
      int id = Integer.parseInt(r.get(0));
      if (r.get(1).equals("invalid")) {
        assertThat(TunnelDomain.decode(id)).as("id %d", id).isEmpty();
        assertThat(TunnelDomain.isValid(id)).isFalse();
      } else {
        assertThat(TunnelDomain.decode(id)).as("id %d", id).contains(r.get(1));
      }
    }
  }

  @Test
  void everyHashedIdentifierNamesACableHost() {
    for (int id = 256; id <= 0xFFFF; id++) {
      assertThat(TunnelDomain.decode(id).orElseThrow()).startsWith("cable.").matches("cable\\.[a-z2-7]+\\.(com|org|net|info)");
    }
    assertThat(TunnelDomain.decode(0x10000)).isEmpty();
    assertThat(TunnelDomain.decode(-1)).isEmpty();
  }

  @Test
  void pathsUseUpperCaseHexAsChromium() {
    // webauthn-rs discovery.rs encrypt_decrypt: /cable/new/3EEF... and /cable/connect/090A0B/3EEF...
    TunnelId tunnel = HybridKdf.tunnelId(Bytes.wrap(new byte[16]));
    RoutingId routing = new RoutingId(Bytes.fromHex("090a0b"));
    assertThat(TunnelDomain.newTunnelPath(tunnel)).isEqualTo("/cable/new/3EEF97097986413B059EAA2A30D653D4");
    assertThat(TunnelDomain.connectPath(routing, tunnel))
        .isEqualTo("/cable/connect/090A0B/3EEF97097986413B059EAA2A30D653D4");
    assertThat(TunnelDomain.contactPath(Bytes.fromHex("fbff"))).isEqualTo("/cable/contact/-_8");
  }

  @Test
  void hexIdentifiersParseInEitherCase() {
    assertThat(RoutingId.parseHex("2a0000")).isEqualTo(RoutingId.parseHex("2A0000"));
    assertThat(TunnelId.parseHex("3eef97097986413b059eaa2a30d653d4").hex()).isEqualTo("3EEF97097986413B059EAA2A30D653D4");
    assertThatThrownBy(() -> RoutingId.parseHex("2a00")).isInstanceOf(HybridException.class);
    assertThatThrownBy(() -> RoutingId.parseHex("zz0000")).isInstanceOf(HybridException.class);
  }
}
