package dev.softkey.usb.ctaphid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CtapHidFramesTest {
  @Test
  void maxMessageSize_is57Plus128Times59() {
    assertThat(CtapHidFrames.MAX_MESSAGE_SIZE).isEqualTo(7609);
  }

  @Test
  void initializationPacket_layout() {
    List<byte[]> packets = CtapHidFrames.fragment(0x01020304, 0x90, new byte[] {0x04});
    assertThat(packets).hasSize(1);
    byte[] p = packets.get(0);
    assertThat(p).hasSize(64);
    assertThat(p).startsWith(0x01, 0x02, 0x03, 0x04, 0x90, 0x00, 0x01, 0x04);
    assertThat(CtapHidFrames.cid(p)).isEqualTo(0x01020304);
    assertThat(CtapHidFrames.isInit(p)).isTrue();
    assertThat(CtapHidFrames.bcnt(p)).isEqualTo(1);
    for (int i = 8; i < 64; i++) {
      assertThat(p[i]).isZero();
    }
  }

  @Test
  void largestMessage_takesOneInitAnd128ContinuationPackets() {
    byte[] data = new byte[7609];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    List<byte[]> packets = CtapHidFrames.fragment(-1, 0x81, data);
    assertThat(packets).hasSize(129);
    assertThat(CtapHidFrames.bcnt(packets.get(0))).isEqualTo(7609);
    for (int seq = 0; seq < 128; seq++) {
      byte[] c = packets.get(seq + 1);
      assertThat(CtapHidFrames.isInit(c)).isFalse();
      assertThat(c[4] & 0xFF).isEqualTo(seq);
      assertThat(c[5]).isEqualTo(data[57 + seq * 59]);
    }
    assertThat(packets.get(128)[63]).isEqualTo(data[7608]);
  }

  @Test
  void messageOver7609Bytes_isRefused() {
    assertThatThrownBy(() -> CtapHidFrames.fragment(1, 0x81, new byte[7610]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commandWithoutBit7_isRefused() {
    assertThatThrownBy(() -> CtapHidFrames.fragment(1, 0x01, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
