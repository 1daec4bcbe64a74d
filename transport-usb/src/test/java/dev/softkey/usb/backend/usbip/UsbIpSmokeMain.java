package dev.softkey.usb.backend.usbip;

import dev.softkey.usb.backend.HidReportHandler;
import dev.softkey.usb.backend.HidReportSender;
import dev.softkey.usb.ctaphid.CtapHidCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A tiny USB/IP FIDO device for transport-usb/src/test/vm/usbip-smoke.sh: serves {@link
 * UsbIpBackend} with a stub CTAPHID device that answers INIT (CTAP 2.1 section 11.2.9.1.3, nonce
 * echo) and a minimal authenticatorGetInfo, so that libfido2 can open it. Not a CTAPHID
 * implementation: single-packet messages only.
 *
 * <p>Usage: {@code java -cp ... UsbIpSmokeMain [port] [busId...]}; prints {@code READY ...} once
 * listening and runs until killed.
 */
public final class UsbIpSmokeMain {
  private UsbIpSmokeMain() {}

  /**
   * authenticatorGetInfo response: status 0x00, then {1: ["FIDO_2_0"], 3: h'00..00' (AAGUID)}
   * (CTAP 2.1 section 6.4, members versions and aaguid, the two required ones).
   */
  private static final String GET_INFO_RESPONSE_HEX =
      "00" + "a2" + "01" + "81" + "68" + "4649444f5f325f30" + "03" + "50" + "00".repeat(16);

  public static void main(String[] args) throws InterruptedException {
    // trace every URB (System.Logger DEBUG is java.util.logging FINE)
    java.util.logging.Logger trace = java.util.logging.Logger.getLogger("dev.softkey.usb.backend.usbip");
    java.util.logging.ConsoleHandler console = new java.util.logging.ConsoleHandler();
    console.setLevel(java.util.logging.Level.FINE);
    trace.setLevel(java.util.logging.Level.FINE);
    trace.addHandler(console);
    trace.setUseParentHandlers(false);
    int port = args.length > 0 ? Integer.parseInt(args[0]) : UsbIpBackend.DEFAULT_PORT;
    List<String> busIds = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      busIds.add(args[i]);
    }
    if (busIds.isEmpty()) {
      busIds.add("1-1");
    }
    UsbIpBackend.Builder builder = UsbIpBackend.builder().port(port);
    busIds.forEach(id -> builder.export(id, UsbIpTestSupport.USB));
    UsbIpBackend backend = builder.build();
    Map<String, StubDevice> stubs = new LinkedHashMap<>();
    Map<String, HidReportHandler> handlers = new LinkedHashMap<>();
    for (String id : busIds) {
      StubDevice s = new StubDevice(id);
      stubs.put(id, s);
      handlers.put(id, s);
    }
    long t0 = System.nanoTime();
    Map<String, HidReportSender> senders = backend.startAll(handlers);
    senders.forEach((id, sender) -> stubs.get(id).sender = sender);
    System.out.println(
        "READY " + backend.describe() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
    new CountDownLatch(1).await();
    trace.fine("unreachable; keeps the configured logger strongly reachable");
  }

  /** Answers single-packet CTAPHID INIT and CBOR getInfo; everything else gets ERR_INVALID_CMD. */
  static final class StubDevice implements HidReportHandler {
    private final String busId;
    volatile HidReportSender sender;
    private int nextCid = 0x01020304;

    StubDevice(String busId) {
      this.busId = busId;
    }

    @Override
    public void onOutputReport(byte[] report) {
      int cmd = report[4] & 0xFF;
      int bcnt = (report[5] & 0xFF) << 8 | (report[6] & 0xFF);
      System.out.printf(
          "%s: OUT cid=%02x%02x%02x%02x cmd=0x%02x bcnt=%d%n",
          busId, report[0], report[1], report[2], report[3], cmd, bcnt);
      if (cmd == CtapHidCommand.INIT.code() && bcnt == 8) {
        // CTAP 2.1 section 11.2.9.1.3: nonce, new CID, protocol 2, version, capabilities
        byte[] payload = new byte[17];
        System.arraycopy(report, 7, payload, 0, 8);
        int cid = nextCid++;
        payload[8] = (byte) (cid >>> 24);
        payload[9] = (byte) (cid >>> 16);
        payload[10] = (byte) (cid >>> 8);
        payload[11] = (byte) cid;
        payload[12] = 2;
        List<Integer> v = UsbIpTestSupport.USB.deviceVersion();
        payload[13] = v.get(0).byteValue();
        payload[14] = v.get(1).byteValue();
        payload[15] = v.get(2).byteValue();
        payload[16] = (byte) UsbIpTestSupport.USB.capabilities();
        send(report, CtapHidCommand.INIT.code(), payload);
      } else if (cmd == CtapHidCommand.CBOR.code() && bcnt >= 1 && report[7] == 0x04) {
        send(report, CtapHidCommand.CBOR.code(), hex(GET_INFO_RESPONSE_HEX));
      } else if ((cmd & 0x80) != 0) {
        send(report, CtapHidCommand.ERROR.code(), new byte[] {0x01}); // ERR_INVALID_CMD
      }
    }

    private void send(byte[] request, int cmd, byte[] payload) {
      byte[] out = new byte[64];
      System.arraycopy(request, 0, out, 0, 4);
      out[4] = (byte) cmd;
      out[5] = (byte) (payload.length >>> 8);
      out[6] = (byte) payload.length;
      System.arraycopy(payload, 0, out, 7, payload.length);
      System.out.printf("%s: IN  cmd=0x%02x bcnt=%d%n", busId, cmd, payload.length);
      sender.sendInputReport(out);
    }

    @Override
    public void onPowerCycle() {
      System.out.println(busId + ": power cycle (detached)");
    }

    private static byte[] hex(String s) {
      return java.util.HexFormat.of().parseHex(s);
    }
  }
}
