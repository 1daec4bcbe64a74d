package dev.softkey.usb.backend.usbip;

import static dev.softkey.usb.backend.usbip.UsbIpTestSupport.cmdSubmit;
import static dev.softkey.usb.backend.usbip.UsbIpTestSupport.cmdUnlink;
import static dev.softkey.usb.backend.usbip.UsbIpTestSupport.control;
import static dev.softkey.usb.backend.usbip.UsbIpTestSupport.opReqDevlist;
import static dev.softkey.usb.backend.usbip.UsbIpTestSupport.opReqImport;
import static dev.softkey.usb.backend.usbip.UsbIpTestSupport.rets;
import static dev.softkey.usb.backend.usbip.UsbIpTestSupport.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.usb.backend.FidoReportDescriptor;
import dev.softkey.usb.backend.HidReportHandler;
import dev.softkey.usb.backend.HidReportSender;
import dev.softkey.usb.backend.usbip.UsbIpTestSupport.RecordingHandler;
import dev.softkey.usb.backend.usbip.UsbIpTestSupport.Ret;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The USB/IP connection pipeline (decoder, encoder, handler) on an EmbeddedChannel. */
class UsbIpConnectionTest {
  private RecordingHandler handler;
  private Map<String, ExportedDevice> devices;
  private EmbeddedChannel ch;

  @BeforeEach
  void setUp() {
    handler = new RecordingHandler();
    devices = UsbIpTestSupport.devices(Map.of("1-1", handler));
    ch = UsbIpTestSupport.channel(devices);
  }

  private HidReportSender sender() {
    return devices.get("1-1").sender();
  }

  private void importDevice() {
    ch.writeInbound(opReqImport("1-1"));
    assertThat(written(ch).slice(0, 8).hex()).isEqualTo("0111000300000000");
  }

  private static byte[] report(int fill) {
    byte[] r = new byte[64];
    Arrays.fill(r, (byte) fill);
    return r;
  }

  @Nested
  class Devlist {
    @Test
    void devlistDescribesEveryDeviceAndItsHidInterface_thenCloses() {
      Map<String, HidReportHandler> two = new LinkedHashMap<>();
      two.put("1-1", new RecordingHandler());
      two.put("1-2", new RecordingHandler());
      EmbeddedChannel c = UsbIpTestSupport.channel(UsbIpTestSupport.devices(two));

      c.writeInbound(opReqDevlist());
      Bytes out = written(c);

      // header + n, then per device 0x138 bytes and one 4-byte interface record
      assertThat(out.length()).isEqualTo(12 + 2 * (0x138 + 4));
      assertThat(out.slice(0, 12).hex()).isEqualTo("0111000500000000" + "00000002");
      int d0 = 12;
      assertThat(cString(out, d0 + 0x100, 32)).isEqualTo("1-1");
      // busnum 1, devnum 2, speed full (2), 1209:b401, bcdDevice 0.01, class 0/0/0,
      // not configured, 1 configuration, 1 interface; then HID class 3/0/0 and padding
      assertThat(out.slice(d0 + 0x120, d0 + 0x13C).hex())
          .isEqualTo("00000001" + "00000002" + "00000002" + "1209" + "b401" + "0001" + "000000"
              + "00" + "01" + "01" + "03000000");
      int d1 = d0 + 0x138 + 4;
      assertThat(cString(out, d1 + 0x100, 32)).isEqualTo("1-2");
      assertThat(out.slice(d1 + 0x124, d1 + 0x128).hex()).isEqualTo("00000003");
      assertThat(c.isOpen()).isFalse();
    }
  }

  @Nested
  class Import {
    @Test
    void importOfExportedBusIdRepliesOkWithTheDeviceSummary() {
      ch.writeInbound(opReqImport("1-1"));
      Bytes out = written(ch);

      assertThat(out.length()).isEqualTo(8 + 0x138);
      assertThat(out.slice(0, 8).hex()).isEqualTo("0111000300000000");
      assertThat(cString(out, 8 + 0x100, 32)).isEqualTo("1-1");
      assertThat(out.slice(0x134, 0x138).hex()).isEqualTo("1209b401");
      assertThat(out.get(0x13F)).isEqualTo(1); // bNumInterfaces
      assertThat(ch.isOpen()).isTrue();
      assertThat(devices.get("1-1").attachedConnection()).isPresent();
    }

    @Test
    void importOfUnknownBusIdRepliesErrorStatusAndCloses() {
      ch.writeInbound(opReqImport("9-9"));

      assertThat(written(ch).hex()).isEqualTo("0111000300000001");
      assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void unknownOpCodeClosesTheConnection() {
      ByteBuf op = Unpooled.buffer().writeShort(0x0111).writeShort(0x8099).writeInt(0);
      ch.writeInbound(op);

      assertThat(written(ch).isEmpty()).isTrue();
      assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void secondImportOfAnImportedDeviceIsRefused() {
      importDevice();
      EmbeddedChannel other = UsbIpTestSupport.channel(devices);

      other.writeInbound(opReqImport("1-1"));

      assertThat(written(other).hex()).isEqualTo("0111000300000001");
    }

    @Test
    void detachPowerCyclesTheDeviceAndFreesItForTheNextImport() {
      importDevice();
      ch.close();

      assertThat(handler.powerCycles).isEqualTo(1);
      EmbeddedChannel next = UsbIpTestSupport.channel(devices);
      next.writeInbound(opReqImport("1-1"));
      assertThat(written(next).slice(0, 8).hex()).isEqualTo("0111000300000000");
    }
  }

  @Nested
  class ControlTransfers {
    @BeforeEach
    void imported() {
      importDevice();
    }

    private Ret controlIn(String setup, int length) {
      ch.writeInbound(control(7, setup, length));
      List<Ret> r = rets(written(ch), List.of(true));
      assertThat(r).hasSize(1);
      assertThat(r.get(0).seqnum()).isEqualTo(7);
      return r.get(0);
    }

    private Ret controlOut(String setup) {
      ch.writeInbound(control(8, setup, 0));
      List<Ret> r = rets(written(ch), List.of(false));
      assertThat(r).hasSize(1);
      return r.get(0);
    }

    @Test
    void getDescriptorDeviceReturnsTheFullSpeedDeviceDescriptor() {
      // GET_DESCRIPTOR(DEVICE), wLength 64 as Linux asks first
      Ret r = controlIn("8006000100004000", 64);

      assertThat(r.status()).isZero();
      // bcdUSB 2.00, class 0, bMaxPacketSize0 64, 1209:b401, bcdDevice 0.01, strings 1/2/none
      assertThat(r.data().hex()).isEqualTo("12010002000000400912" + "01b4" + "0100" + "010200" + "01");
      assertThat(r.actualLength()).isEqualTo(18);
    }

    @Test
    void getDescriptorIsTruncatedToWLength() {
      Ret r = controlIn("8006000100000800", 8);

      assertThat(r.data().hex()).isEqualTo("1201000200000040");
    }

    @Test
    void getDescriptorConfigurationReturnsInterfaceHidAndBothInterruptEndpoints() {
      Ret r = controlIn("800600020000ff00", 255);

      assertThat(r.data().length()).isEqualTo(41);
      assertThat(r.data().slice(0, 9).hex()).isEqualTo("0902290001010080" + "32");
      assertThat(r.data().slice(9, 18).hex()).isEqualTo("090400000203000000");
      assertThat(r.data().slice(18, 27).hex()).isEqualTo("09211101000122" + "2200");
      assertThat(r.data().slice(27, 41).hex()).isEqualTo("07058103400005" + "07050103400005");
    }

    @Test
    void getDescriptorReportReturnsTheFidoReportDescriptor() {
      Ret r = controlIn("8106002200000001", 256);

      assertThat(r.data().toArray()).isEqualTo(FidoReportDescriptor.bytes());
    }

    @Test
    void getDescriptorStringsGiveLangIdAndProfileNames() {
      assertThat(controlIn("80060003000000ff", 255).data().hex()).isEqualTo("04030904");
      Bytes product = controlIn("8006020309040001", 256).data();
      assertThat(product.get(1)).isEqualTo(3);
      assertThat(new String(product.slice(2, product.length()).toArray(), StandardCharsets.UTF_16LE))
          .isEqualTo("softkey FIDO2 security key");
    }

    @Test
    void setConfigurationIsReflectedByGetConfiguration() {
      assertThat(controlOut("0009010000000000").status()).isZero();

      assertThat(controlIn("8008000000000100", 1).data().hex()).isEqualTo("01");
    }

    @Test
    void setIdleAndGetStatusAreAnswered() {
      assertThat(controlOut("210a000000000000").status()).isZero();
      assertThat(controlIn("8000000000000200", 2).data().hex()).isEqualTo("0000");
    }

    @Test
    void hidSetReportOutputOnEndpointZeroReachesTheHandler() {
      // SET_REPORT(Output, ID 0), wLength 64, with the report as the data stage
      byte[] setup = java.util.HexFormat.of().parseHex("2109000200004000");
      ch.writeInbound(cmdSubmit(9, 0, 0, 64, setup, report(0x33)));

      Ret r = rets(written(ch), List.of(false)).get(0);
      assertThat(r.status()).isZero();
      assertThat(r.actualLength()).isEqualTo(64);
      assertThat(handler.reports).containsExactly(report(0x33));
    }

    @Test
    void unsupportedRequestsStallWithEpipe() {
      // DEVICE_QUALIFIER: a full-speed-only device answers with a request error
      assertThat(controlIn("8006000600000a00", 10).status()).isEqualTo(-32);
      // SET_CONFIGURATION 2 does not exist
      assertThat(controlOut("0009020000000000").status()).isEqualTo(-32);
    }
  }

  @Nested
  class InterruptTransfers {
    @BeforeEach
    void imported() {
      importDevice();
    }

    @Test
    void outUrbDeliversTheReportToTheHandlerAndCompletes() {
      ch.writeInbound(cmdSubmit(20, 0, 1, 64, new byte[8], report(0x5A)));

      assertThat(handler.reports).hasSize(1);
      assertThat(handler.reports.get(0)).isEqualTo(report(0x5A));
      Ret r = rets(written(ch), List.of(false)).get(0);
      assertThat(r.command()).isEqualTo(3);
      assertThat(r.seqnum()).isEqualTo(20);
      assertThat(r.status()).isZero();
      assertThat(r.actualLength()).isEqualTo(64);
    }

    @Test
    void outUrbSplitAcrossManyReadsIsReassembled() {
      ByteBuf whole = cmdSubmit(21, 0, 1, 64, new byte[8], report(0x11));
      while (whole.isReadable()) {
        ch.writeInbound(whole.readRetainedSlice(Math.min(5, whole.readableBytes())));
      }
      whole.release();

      assertThat(handler.reports).containsExactly(report(0x11));
    }

    @Test
    void inUrbStaysPendingUntilTheSenderSends() {
      ch.writeInbound(cmdSubmit(30, 1, 1, 64, new byte[8], new byte[0]));
      assertThat(written(ch).isEmpty()).isTrue();

      sender().sendInputReport(report(0x42));

      Ret r = rets(written(ch), List.of(true)).get(0);
      assertThat(r.seqnum()).isEqualTo(30);
      assertThat(r.status()).isZero();
      assertThat(r.data().toArray()).isEqualTo(report(0x42));
    }

    @Test
    void reportsSentBeforeAnyInUrbAreQueuedAndCompleteUrbsInOrder() {
      sender().sendInputReport(report(1));
      sender().sendInputReport(report(2));

      ch.writeInbound(cmdSubmit(31, 1, 1, 64, new byte[8], new byte[0]));
      ch.writeInbound(cmdSubmit(32, 1, 1, 64, new byte[8], new byte[0]));

      List<Ret> r = rets(written(ch), List.of(true, true));
      assertThat(r).extracting(Ret::seqnum).containsExactly(31, 32);
      assertThat(r.get(0).data().get(0)).isEqualTo(1);
      assertThat(r.get(1).data().get(0)).isEqualTo(2);
    }

    @Test
    void reportsSentWhileNoHostHasImportedTheDeviceAreDropped() {
      ch.close(); // detach
      sender().sendInputReport(report(9));
      EmbeddedChannel next = UsbIpTestSupport.channel(devices);
      next.writeInbound(opReqImport("1-1"));
      written(next);

      next.writeInbound(cmdSubmit(33, 1, 1, 64, new byte[8], new byte[0]));

      assertThat(written(next).isEmpty()).isTrue();
    }
  }

  @Nested
  class Unlink {
    @BeforeEach
    void imported() {
      importDevice();
    }

    @Test
    void unlinkOfPendingInUrbRepliesEconnresetAndTheUrbIsNeverCompleted() {
      ch.writeInbound(cmdSubmit(40, 1, 1, 64, new byte[8], new byte[0]));
      ch.writeInbound(cmdUnlink(41, 40));

      Ret unlink = rets(written(ch), List.of(false)).get(0);
      assertThat(unlink.command()).isEqualTo(4);
      assertThat(unlink.seqnum()).isEqualTo(41);
      assertThat(unlink.status()).isEqualTo(-104);

      // the next report waits for a new URB instead of completing the unlinked one
      sender().sendInputReport(report(7));
      assertThat(written(ch).isEmpty()).isTrue();
      ch.writeInbound(cmdSubmit(42, 1, 1, 64, new byte[8], new byte[0]));
      Ret r = rets(written(ch), List.of(true)).get(0);
      assertThat(r.seqnum()).isEqualTo(42);
      assertThat(r.data().get(0)).isEqualTo(7);
    }

    @Test
    void unlinkAfterCompletionRepliesStatusZero() {
      ch.writeInbound(cmdSubmit(50, 1, 1, 64, new byte[8], new byte[0]));
      sender().sendInputReport(report(3));
      assertThat(rets(written(ch), List.of(true)).get(0).seqnum()).isEqualTo(50);

      ch.writeInbound(cmdUnlink(51, 50));

      Ret r = rets(written(ch), List.of(false)).get(0);
      assertThat(r.command()).isEqualTo(4);
      assertThat(r.seqnum()).isEqualTo(51);
      assertThat(r.status()).isZero();
    }
  }

  @Nested
  class SpecExample {
    /**
     * The HID capture at the end of usbip_protocol.rst: an IN URB is pending, an OUT URB carries a
     * CTAPHID INIT; the device's answer completes the IN URB. The replies match the capture byte
     * for byte (devid, direction and ep zero; start_frame and number_of_packets echoed).
     */
    @Test
    void ctapHidInitCaptureIsReproducedByteForByte() {
      Map<String, Bytes> v = UsbIpTestSupport.specExample();
      Bytes response = v.get("RetIntrIn").slice(48, 112);
      HidReportSender[] sender = new HidReportSender[1];
      HidReportHandler answering =
          new HidReportHandler() {
            @Override
            public void onOutputReport(byte[] report) {
              sender[0].sendInputReport(response.toArray());
            }

            @Override
            public void onPowerCycle() {}
          };
      devices = UsbIpTestSupport.devices(Map.of("1-1", answering));
      sender[0] = devices.get("1-1").sender();
      ch = UsbIpTestSupport.channel(devices);
      importDevice();

      ch.writeInbound(Unpooled.wrappedBuffer(v.get("CmdIntrIN").toArray()));
      ch.writeInbound(Unpooled.wrappedBuffer(v.get("CmdIntrOUT").toArray()));

      assertThat(written(ch).hex())
          .isEqualTo(Bytes.concat(v.get("RetIntrOut"), v.get("RetIntrIn")).hex());
    }
  }

  private static String cString(Bytes b, int off, int len) {
    int end = off;
    while (end < off + len && b.get(end) != 0) {
      end++;
    }
    return new String(b.slice(off, end).toArray(), StandardCharsets.US_ASCII);
  }
}
