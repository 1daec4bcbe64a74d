package dev.softkey.hybrid.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.testvectors.HybridVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrypterTest {
  private static final Bytes KEY1 = Bytes.wrap(filled(1));
  private static final Bytes KEY2 = Bytes.wrap(filled(2));

  private static byte[] filled(int v) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }

  @Test
  void webauthnRsKnownCiphertexts() {
    List<List<String>> rows = HybridVectors.table("crypter.tsv").rows();
    assertThat(rows).hasSize(3);
    for (List<String> r : rows) {
      Bytes key = Bytes.fromHex(r.get(1));
      int sequence = Integer.parseInt(r.get(2));
      Bytes plaintext = Bytes.fromHex(r.get(3));
      Crypter sender = new Crypter(KEY1, key);
      Crypter receiver = new Crypter(key, KEY1);
      for (int i = 0; i < sequence; i++) {
        receiver.decrypt(sender.encrypt(Bytes.EMPTY));
      }
      Bytes ct = sender.encrypt(plaintext);
      assertThat(ct.hex()).as(r.get(0)).isEqualTo(r.get(4));
      assertThat(receiver.decrypt(ct)).isEqualTo(plaintext);
    }
  }

  @Test
  void chromiumMessageEncryptionEverySize() {
    // after Chromium's CableV2HandshakeTest.MessageEncrytion: 0..529 bytes, one bit flipped fails
    Crypter a = new Crypter(KEY1, KEY2);
    Crypter b = new Crypter(KEY2, KEY1);
    byte[] message = new byte[530];
    for (int i = 0; i < 530; i++) {
      Bytes m = Bytes.of(message, 0, i);
      Bytes ct = a.encrypt(m);
      assertThat(ct.length()).isEqualTo((i / 32 + 1) * 32 + 16);
      byte[] tampered = ct.toArray();
      tampered[(13 * i) % tampered.length] ^= 1;
      assertThatThrownBy(() -> b.decrypt(Bytes.wrap(tampered))).isInstanceOf(HybridException.class);
      assertThat(b.decrypt(ct)).isEqualTo(m);
      message[i] = (byte) i;
    }
  }

  @Test
  void paddingLayout() {
    assertThat(Bytes.wrap(Crypter.pad(new byte[0])).hex()).isEqualTo("00".repeat(31) + "1f");
    assertThat(Crypter.pad(new byte[31])).hasSize(32).endsWith(0);
    assertThat(Crypter.pad(new byte[32])).hasSize(64).endsWith(31);
    assertThat(Crypter.unpad(Crypter.pad(new byte[] {7, 8}))).isEqualTo(Bytes.fromHex("0708"));
    assertThatThrownBy(() -> Crypter.unpad(new byte[] {0, 5})).isInstanceOf(HybridException.class);
  }

  @Test
  void replayedAndReorderedMessagesAreRejected() {
    Crypter a = new Crypter(KEY1, KEY2);
    Crypter b = new Crypter(KEY2, KEY1);
    Bytes first = a.encrypt(Bytes.fromHex("01"));
    Bytes second = a.encrypt(Bytes.fromHex("02"));
    assertThatThrownBy(() -> b.decrypt(second)).isInstanceOf(HybridException.class);
    assertThat(b.receiveSequence()).isZero();
    assertThat(b.decrypt(first)).isEqualTo(Bytes.fromHex("01"));
    assertThatThrownBy(() -> b.decrypt(first)).isInstanceOf(HybridException.class);
    assertThat(b.decrypt(second)).isEqualTo(Bytes.fromHex("02"));
    assertThat(b.receiveSequence()).isEqualTo(2);
    assertThat(a.sendSequence()).isEqualTo(2);
  }

  @Test
  void directionsUseDifferentKeys() {
    Crypter a = new Crypter(KEY1, KEY2);
    Bytes ct = a.encrypt(Bytes.fromHex("01"));
    // a reflected message does not decrypt under the sender's own read key
    assertThatThrownBy(() -> a.decrypt(ct)).isInstanceOf(HybridException.class);
  }

  @Test
  void shortCiphertextIsRejected() {
    assertThatThrownBy(() -> new Crypter(KEY1, KEY2).decrypt(Bytes.wrap(new byte[15]))).isInstanceOf(HybridException.class);
  }

  @Test
  void toStringHidesKeys() {
    assertThat(new Crypter(KEY1, KEY2).toString()).isEqualTo("Crypter[send=0, receive=0]");
  }
}
