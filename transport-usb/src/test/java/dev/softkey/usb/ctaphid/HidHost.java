package dev.softkey.usb.ctaphid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.usb.backend.HidReportSender;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The host end of a test: writes messages as packets into a {@link CtapHidDevice}, and reassembles
 * what the device sends, checking the packet layout of CTAP 2.1 section 11.2.4 on the way.
 */
final class HidHost implements HidReportSender {
  /** One message the device sent. */
  record Message(int cid, int cmd, Bytes payload) {
    int errorCode() {
      assertThat(cmd).as("command").isEqualTo(CtapHidCommand.ERROR.code());
      assertThat(payload.length()).isEqualTo(1);
      return payload.get(0);
    }
  }

  private final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
  private final List<Integer> reportSizes = new ArrayList<>();
  private CtapHidDevice device;

  void attach(CtapHidDevice device) {
    this.device = device;
  }

  @Override
  public void sendInputReport(byte[] report) {
    synchronized (reportSizes) {
      reportSizes.add(report.length);
    }
    sent.add(report.clone());
  }

  List<Integer> reportSizes() {
    synchronized (reportSizes) {
      return List.copyOf(reportSizes);
    }
  }

  /** Fragments one message and feeds every packet to the device. */
  void write(int cid, int cmd, byte[] payload) {
    for (byte[] p : CtapHidFrames.fragment(cid, cmd, payload)) {
      device.onOutputReport(p);
    }
  }

  void write(int cid, CtapHidCommand cmd, byte[] payload) {
    write(cid, cmd.code(), payload);
  }

  /** An initialization packet whose BCNT announces {@code bcnt} bytes; DATA as given (max 57). */
  void writeInit(int cid, int cmd, int bcnt, byte[] data) {
    byte[] p = new byte[CtapHidFrames.REPORT_SIZE];
    CtapHidFrames.putCid(p, cid);
    p[4] = (byte) cmd;
    p[5] = (byte) (bcnt >>> 8);
    p[6] = (byte) bcnt;
    System.arraycopy(data, 0, p, 7, Math.min(data.length, CtapHidFrames.INIT_DATA_SIZE));
    device.onOutputReport(p);
  }

  void writeCont(int cid, int seq, byte[] data) {
    byte[] p = new byte[CtapHidFrames.REPORT_SIZE];
    CtapHidFrames.putCid(p, cid);
    p[4] = (byte) seq;
    System.arraycopy(data, 0, p, 5, Math.min(data.length, CtapHidFrames.CONT_DATA_SIZE));
    device.onOutputReport(p);
  }

  /** The next message the device sends, waiting up to 5 s. */
  Message read() {
    byte[] init = poll(5000).orElseThrow(() -> new AssertionError("the device sent nothing"));
    assertThat(init).hasSize(CtapHidFrames.REPORT_SIZE);
    assertThat(CtapHidFrames.isInit(init)).as("initialization packet").isTrue();
    int cid = CtapHidFrames.cid(init);
    int len = CtapHidFrames.bcnt(init);
    byte[] payload = new byte[len];
    int n = Math.min(len, CtapHidFrames.INIT_DATA_SIZE);
    System.arraycopy(init, 7, payload, 0, n);
    assertZero(init, 7 + n);
    int seq = 0;
    while (n < len) {
      byte[] cont = poll(5000).orElseThrow(() -> new AssertionError("continuation missing"));
      assertThat(CtapHidFrames.cid(cont)).isEqualTo(cid);
      assertThat(cont[4] & 0xFF).as("SEQ").isEqualTo(seq++);
      int k = Math.min(len - n, CtapHidFrames.CONT_DATA_SIZE);
      System.arraycopy(cont, 5, payload, n, k);
      assertZero(cont, 5 + k);
      n += k;
    }
    return new Message(cid, init[4] & 0xFF, Bytes.of(payload));
  }

  /** The next message that is not a KEEPALIVE. */
  Message readSkippingKeepalives() {
    while (true) {
      Message m = read();
      if (m.cmd() != CtapHidCommand.KEEPALIVE.code()) {
        return m;
      }
    }
  }

  Optional<byte[]> poll(long millis) {
    try {
      return Optional.ofNullable(sent.poll(millis, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  void assertNothingSent() {
    assertThat(sent).as("reports sent").isEmpty();
  }

  void clear() {
    sent.clear();
  }

  /** CTAPHID_INIT on the broadcast channel; returns the allocated CID. */
  int allocate() {
    byte[] nonce = {1, 2, 3, 4, 5, 6, 7, 8};
    write(CtapHidFrames.BROADCAST_CID, CtapHidCommand.INIT, nonce);
    Message m = read();
    assertThat(m.cmd()).isEqualTo(CtapHidCommand.INIT.code());
    assertThat(m.payload().slice(0, 8)).isEqualTo(Bytes.of(nonce));
    return CtapHidFrames.cid(m.payload().slice(8, 12).toArray());
  }

  private static void assertZero(byte[] packet, int from) {
    for (int i = from; i < packet.length; i++) {
      assertThat(packet[i]).as("padding byte %d", i).isZero();
    }
  }
}
