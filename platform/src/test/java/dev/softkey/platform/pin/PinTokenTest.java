package dev.softkey.platform.pin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinUvAuthProtocolOne;
import dev.softkey.ctap.pin.PinUvAuthProtocolTwo;
import org.junit.jupiter.api.Test;

class PinTokenTest {
  @Test
  void pinToken_authenticate_matchesTheProtocolsAuthenticate() {
    Bytes token = Bytes.wrap(RandomSource.seeded(8).bytes(32));
    byte[] msg = new byte[32];
    RandomSource r = RandomSource.seeded(1);
    assertThat(new PinToken(1, token).authenticate(msg)).isEqualTo(new PinUvAuthProtocolOne(r).authenticate(token, msg));
    assertThat(new PinToken(2, token).authenticate(msg)).isEqualTo(new PinUvAuthProtocolTwo(r).authenticate(token, msg));
    assertThat(new PinToken(2, token).toString()).doesNotContain(token.hex());
  }
}
