package dev.softkey.cli;

import dev.softkey.core.testing.CtapHidFraming;
import dev.softkey.platform.CtapTransport;
import java.util.Arrays;
import java.util.List;

/**
 * The device side of CTAPHID (CTAP 2.1 section 11.2), only as far as {@code softkey probe} needs:
 * INIT on the broadcast channel and single-packet CBOR requests, answered by a CTAP transport with
 * fragmented responses (framed by the shared {@link CtapHidFraming}). Reports in, reports out.
 */
final class CtapHidTestKey {
  private final CtapTransport ctap;
  private final int capabilities;
  private int nextCid = 0x11223344;

  CtapHidTestKey(CtapTransport ctap, int capabilities) {
    this.ctap = ctap;
    this.capabilities = capabilities;
  }

  List<byte[]> handle(byte[] report) {
    int cid = CtapHidFraming.cid(report);
    int cmd = report[4] & 0xFF;
    int bcnt = CtapHidFraming.bcnt(report);
    byte[] payload = Arrays.copyOfRange(report, 7, 7 + Math.min(57, bcnt));
    if (cmd == 0x86) {
      int newCid = nextCid++;
      return CtapHidFraming.packets(cid, cmd, CtapHidFraming.initResponse(payload, newCid, 1, 2, 3, capabilities));
    }
    if (cmd == 0x90) {
      return CtapHidFraming.packets(cid, cmd, ctap.transact(payload));
    }
    return CtapHidFraming.packets(cid, 0xBF, new byte[] {0x01});
  }
}
