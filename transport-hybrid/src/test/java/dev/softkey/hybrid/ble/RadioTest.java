package dev.softkey.hybrid.ble;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RadioTest {
  private static final byte[] EID = new byte[20];

  static {
    for (int i = 0; i < 20; i++) {
      EID[i] = (byte) i;
    }
  }

  @Test
  void inProcess_lateScannerHearsRunningAdvert_notStoppedOnes() {
    InProcessRadio radio = new InProcessRadio();
    Radio.Handle stopped = radio.advertise(new Advert(Advert.FIDO_UUID, new byte[] {1}));
    stopped.close();
    radio.advertise(new Advert(Advert.FIDO_UUID, EID));
    LinkedBlockingQueue<Advert> heard = new LinkedBlockingQueue<>();
    radio.scan(heard::add);
    assertThat(heard).containsExactly(new Advert(Advert.FIDO_UUID, EID));
  }

  @Test
  void loopback_twoScannersHearTheAdvert_overRealUdp() throws Exception {
    int base = 27249 + (int) (ProcessHandle.current().pid() % 1000) * 8;
    try (LoopbackRadio a = new LoopbackRadio(base); LoopbackRadio b = new LoopbackRadio(base)) {
      LinkedBlockingQueue<Advert> one = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<Advert> two = new LinkedBlockingQueue<>();
      try (Radio.Handle s1 = b.scan(one::add); Radio.Handle s2 = b.scan(two::add); Radio.Handle adv = a.advertise(new Advert(Advert.FIDO_UUID, EID))) {
        assertThat(one.poll(3, TimeUnit.SECONDS)).isEqualTo(new Advert(Advert.FIDO_UUID, EID));
        assertThat(two.poll(3, TimeUnit.SECONDS)).isEqualTo(new Advert(Advert.FIDO_UUID, EID));
      }
    }
  }

  @Test
  void loopback_wireFormat_roundTrip_andJunkIgnored() {
    byte[] d = LoopbackRadio.encode(new Advert(0xFFF9, EID));
    assertThat(new String(d, 0, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SKBLE1");
    assertThat(d[6] & 0xFF).isEqualTo(0xFF);
    assertThat(d[7] & 0xFF).isEqualTo(0xF9);
    assertThat(d[8]).isEqualTo((byte) 20);
    assertThat(LoopbackRadio.decode(d, d.length)).isEqualTo(new Advert(0xFFF9, EID));
    assertThat(LoopbackRadio.decode(d, d.length - 1)).isNull();
    assertThat(LoopbackRadio.decode(new byte[] {1, 2, 3}, 3)).isNull();
  }
}
