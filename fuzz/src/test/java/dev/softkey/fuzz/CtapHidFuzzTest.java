package dev.softkey.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.usb.ctaphid.CtapHidCommand;
import dev.softkey.usb.ctaphid.CtapHidDevice;
import dev.softkey.usb.ctaphid.CtapHidError;
import dev.softkey.usb.ctaphid.CtapHidFrames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CTAPHID message assembly (CTAP 2.1 section 11.2.4) of {@link CtapHidDevice} over a fresh engine:
 * the input is a sequence of 64-byte output reports (a short last one is zero-padded, as the
 * device pads). The device runs on the caller's thread with its injected clock, which moves 10 ms
 * per report; the sender captures every input report.
 *
 * <p>Invariants: every report the device sends is 64 bytes; each CTAPHID_ERROR carries one byte,
 * an error code of section 11.2.9.1.6 other than ERR_OTHER (what the device answers for an internal
 * error); a CTAPHID_CBOR reply starts with a CTAP status the spec defines, not CTAP1_ERR_OTHER;
 * nothing is logged as an internal error; and once timeouts and the lock have run out, CTAPHID_INIT
 * on the broadcast channel is answered with the nonce and a usable new channel.
 */
class CtapHidFuzzTest {
  static final Set<Integer> SPEC_ERRORS =
      Arrays.stream(CtapHidError.values())
          .filter(e -> e != CtapHidError.ERR_OTHER)
          .map(CtapHidError::code)
          .collect(Collectors.toSet());

  @FuzzTest
  void reports(byte[] data) {
    FuzzDevices.Device d = FuzzDevices.fresh("generic");
    List<byte[]> sent = new ArrayList<>();
    CtapHidDevice hid =
        CtapHidDevice.builder(d.authenticator())
            .clock(d.clock())
            .random(RandomSource.seeded(7))
            .worker(Runnable::run)
            .ticker(false)
            .build(r -> sent.add(r.clone()));
    try (InternalErrors errors = InternalErrors.watch()) {
      for (int off = 0; off < data.length; off += CtapHidFrames.REPORT_SIZE) {
        hid.onOutputReport(Arrays.copyOfRange(data, off, Math.min(data.length, off + CtapHidFrames.REPORT_SIZE)));
        d.clock().advance(Duration.ofMillis(10));
        hid.tick();
      }
      // Past every timeout and the longest lock (10 s): the device is idle again.
      d.clock().advance(Duration.ofSeconds(11));
      hid.tick();
      checkSent(sent);
      sent.clear();
      checkInit(hid, sent);
      errors.assertNone();
    } finally {
      hid.close();
    }
  }

  static void checkSent(List<byte[]> sent) {
    for (byte[] r : sent) {
      assertThat(r).as("input report").hasSize(CtapHidFrames.REPORT_SIZE);
      if (!CtapHidFrames.isInit(r)) {
        continue;
      }
      int cmd = r[4] & 0xFF;
      if (cmd == CtapHidCommand.ERROR.code()) {
        assertThat(CtapHidFrames.bcnt(r)).as("ERROR payload length").isEqualTo(1);
        assertThat(SPEC_ERRORS).as("CTAPHID error code 0x%02x", r[7] & 0xFF).contains(r[7] & 0xFF);
      } else if (cmd == CtapHidCommand.CBOR.code()) {
        assertThat(CtapHidFrames.bcnt(r)).as("CBOR reply length").isPositive();
        int status = r[7] & 0xFF;
        assertThat(CtapStatus.fromCode(status)).as("CTAP status 0x%02x", status).isPresent();
        assertThat(status).as("internal error").isNotEqualTo(CtapStatus.CTAP1_ERR_OTHER.code());
      }
    }
  }

  static void checkInit(CtapHidDevice hid, List<byte[]> sent) {
    byte[] nonce = {1, 2, 3, 4, 5, 6, 7, 8};
    for (byte[] p : CtapHidFrames.fragment(CtapHidFrames.BROADCAST_CID, CtapHidCommand.INIT.code(), nonce)) {
      hid.onOutputReport(p);
    }
    assertThat(sent).as("INIT reply").hasSize(1);
    byte[] r = sent.get(0);
    assertThat(CtapHidFrames.cid(r)).isEqualTo(CtapHidFrames.BROADCAST_CID);
    assertThat(r[4] & 0xFF).as("INIT reply command").isEqualTo(CtapHidCommand.INIT.code());
    assertThat(CtapHidFrames.bcnt(r)).isEqualTo(17);
    assertThat(Arrays.copyOfRange(r, 7, 15)).as("nonce").isEqualTo(nonce);
    int cid = ((r[15] & 0xFF) << 24) | ((r[16] & 0xFF) << 16) | ((r[17] & 0xFF) << 8) | (r[18] & 0xFF);
    assertThat(cid).isNotIn(CtapHidFrames.BROADCAST_CID, CtapHidFrames.RESERVED_CID);
    // the new channel works: PING echoes
    sent.clear();
    byte[] ping = {42};
    for (byte[] p : CtapHidFrames.fragment(cid, CtapHidCommand.PING.code(), ping)) {
      hid.onOutputReport(p);
    }
    assertThat(sent).as("PING reply").hasSize(1);
    assertThat(sent.get(0)[4] & 0xFF).isEqualTo(CtapHidCommand.PING.code());
    assertThat(sent.get(0)[7]).isEqualTo((byte) 42);
  }
}
