package dev.softkey.hybrid.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.P256KeyPair;
import java.util.Optional;

/**
 * What the desktop parses from the phone inside the tunnel (hybrid notes section 7): the
 * post-handshake message, update messages carrying linking information, and the stored
 * {@link LinkInfo}. In this package because {@link Messages} is package-private. Seeds: the
 * post-handshake messages of Chrome on Android and of iOS 16, and update messages written by
 * {@code WriteSeeds}.
 *
 * <p>Invariants: malformed input is a {@link HybridException} (what {@link HybridChannel} reports
 * for a misbehaving phone), never a CBOR {@link CtapException} or another exception leaking out of
 * the hybrid layer; what parses re-encodes to an equal value.
 */
class TunnelMessagesFuzzTest {
  static final P256KeyPair QR_IDENTITY = P256KeyPair.generate(RandomSource.seeded(1));
  static final Bytes HANDSHAKE_HASH = Bytes.wrap(new byte[32]);

  @FuzzTest
  void postHandshake(byte[] plaintext) {
    Bytes info;
    try {
      info = Messages.parsePostHandshake(Bytes.of(plaintext));
    } catch (HybridException e) {
      return;
    }
    assertThat(info).isNotNull();
  }

  /** The payload of an update message (after its type byte), as {@code HybridChannel.onUpdate} handles it. */
  @FuzzTest
  void update(byte[] payload) {
    Optional<CborMap> linking = Messages.linkingOf(Bytes.of(payload));
    if (linking.isEmpty()) {
      return;
    }
    try {
      LinkInfo link = HybridInitiator.acceptLinking(linking.get(), 0, QR_IDENTITY, HANDSHAKE_HASH);
      assertThat(LinkInfo.decode(link.encode())).isEqualTo(link);
    } catch (HybridException e) {
      // refused: bad signature or malformed linking information
    }
  }

  /** A stored link (the desktop's file): malformed is a HybridException, a parsed one round-trips. */
  @FuzzTest
  void linkInfo(byte[] stored) {
    LinkInfo link;
    try {
      link = LinkInfo.decode(Bytes.of(stored));
    } catch (HybridException e) {
      return;
    }
    assertThat(LinkInfo.decode(link.encode())).as("re-decoded link").isEqualTo(link);
  }
}
