package dev.softkey.usb.backend;

import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.core.profile.Profile;
import dev.softkey.usb.ctaphid.CtapHidCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Guest smoke test (src/test/vm/uhid-smoke.sh): a {@link UhidBackend} with a stub CTAPHID handler
 * that answers INIT and authenticatorGetInfo only, like /work/shared/vm/uhid_fido.py. It proves
 * the back-end's byte layout against the real kernel and libfido2 without the CTAPHID engine.
 * Prints "T_* uptime" lines so the script can measure JVM start-up inside the guest.
 */
public final class UhidSmokeMain {
  private UhidSmokeMain() {}

  static final Profile.UsbIdentity IDENTITY =
      new Profile.UsbIdentity(0x1209, 0xB401, "softkey", "softkey FIDO2 security key", List.of(0, 1, 0), 5);

  public static void main(String[] args) throws Exception {
    System.out.println("T_MAIN " + uptime());
    UhidBackend backend = new UhidBackend(IDENTITY);
    StubCtapHid stub = new StubCtapHid();
    stub.sender = backend.start(stub);
    System.out.println("T_CREATED " + uptime());
    String node = backend.awaitHidrawNode(Duration.ofSeconds(20)).map(Path::toString).orElse("none");
    System.out.println("READY " + backend.describe() + " node=" + node + " T " + uptime());
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("T_STOP " + uptime());
                  backend.close();
                  System.out.println("T_STOPPED " + uptime());
                  done.countDown();
                }));
    done.await();
  }

  static String uptime() {
    try {
      return Files.readString(Path.of("/proc/uptime")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  /** CTAPHID for two commands: INIT (CTAP 2.1 section 11.2.9.1.3) and CBOR getInfo (0x04). */
  static final class StubCtapHid implements HidReportHandler {
    volatile HidReportSender sender;
    private final Map<Integer, byte[]> pending = new HashMap<>();
    private final Map<Integer, Integer> pendingCmd = new HashMap<>();
    private final Map<Integer, Integer> filled = new HashMap<>();
    private int nextCid = 1;

    @Override
    public void onOutputReport(byte[] p) {
      int cid = ((p[0] & 0xFF) << 24) | ((p[1] & 0xFF) << 16) | ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
      if ((p[4] & 0x80) != 0) {
        int bcnt = ((p[5] & 0xFF) << 8) | (p[6] & 0xFF);
        byte[] data = new byte[bcnt];
        int n = Math.min(bcnt, 57);
        System.arraycopy(p, 7, data, 0, n);
        pending.put(cid, data);
        pendingCmd.put(cid, p[4] & 0xFF);
        filled.put(cid, n);
      } else if (pending.containsKey(cid)) {
        byte[] data = pending.get(cid);
        int have = filled.get(cid);
        int n = Math.min(data.length - have, 59);
        System.arraycopy(p, 5, data, have, n);
        filled.put(cid, have + n);
      } else {
        return;
      }
      if (filled.get(cid) < pending.get(cid).length) {
        return;
      }
      byte[] data = pending.remove(cid);
      int cmd = pendingCmd.remove(cid);
      filled.remove(cid);
      System.out.printf("ctaphid cmd 0x%02x len %d%n", cmd, data.length);
      if (cmd == CtapHidCommand.INIT.code()) {
        byte[] resp = new byte[17];
        System.arraycopy(data, 0, resp, 0, 8); // nonce
        int newCid = nextCid++;
        resp[8] = (byte) (newCid >>> 24);
        resp[9] = (byte) (newCid >>> 16);
        resp[10] = (byte) (newCid >>> 8);
        resp[11] = (byte) newCid;
        resp[12] = 2; // CTAPHID protocol version
        resp[13] = (byte) IDENTITY.deviceVersion().get(0).intValue();
        resp[14] = (byte) IDENTITY.deviceVersion().get(1).intValue();
        resp[15] = (byte) IDENTITY.deviceVersion().get(2).intValue();
        resp[16] = 0x04 | 0x01; // CBOR | WINK, no NMSG
        reply(cid, cmd, resp);
      } else if (cmd == CtapHidCommand.CBOR.code() && data.length >= 1 && data[0] == 0x04) {
        byte[] aaguid = new byte[16];
        Arrays.fill(aaguid, (byte) 0x5A);
        byte[] info = CborEncoder.encode(Map.of(1, List.of("FIDO_2_0"), 3, aaguid, 5, 1024));
        byte[] resp = new byte[info.length + 1]; // status 0x00 CTAP2_OK, then the map
        System.arraycopy(info, 0, resp, 1, info.length);
        reply(cid, cmd, resp);
      } else {
        reply(cid, CtapHidCommand.ERROR.code(), new byte[] {1}); // ERR_INVALID_CMD
      }
    }

    private void reply(int cid, int cmd, byte[] data) {
      byte[] r = new byte[64];
      putCid(r, cid);
      r[4] = (byte) cmd;
      r[5] = (byte) (data.length >>> 8);
      r[6] = (byte) data.length;
      int off = Math.min(data.length, 57);
      System.arraycopy(data, 0, r, 7, off);
      sender.sendInputReport(r);
      for (int seq = 0; off < data.length; seq++) {
        r = new byte[64];
        putCid(r, cid);
        r[4] = (byte) seq;
        int n = Math.min(data.length - off, 59);
        System.arraycopy(data, off, r, 5, n);
        off += n;
        sender.sendInputReport(r);
      }
    }

    private static void putCid(byte[] r, int cid) {
      r[0] = (byte) (cid >>> 24);
      r[1] = (byte) (cid >>> 16);
      r[2] = (byte) (cid >>> 8);
      r[3] = (byte) cid;
    }

    @Override
    public void onPowerCycle() {}
  }
}
