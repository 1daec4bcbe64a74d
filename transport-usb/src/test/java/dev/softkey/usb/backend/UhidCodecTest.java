package dev.softkey.usb.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * struct uhid_event layout (linux/uhid.h). Expected arrays are built byte by byte at the offsets
 * gcc reports for the header (offsetof): create2.rd_size 260, bus 262, vendor 264, rd_data 280,
 * output.size 4100, output.rtype 4102, sizeof(struct uhid_event) 4380.
 */
class UhidCodecTest {

  private static byte[] report(int fill) {
    byte[] r = new byte[64];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) (fill + i);
    }
    return r;
  }

  @Nested
  class Encoding {
    @Test
    void create2_placesEveryFieldAtItsHeaderOffset() {
      byte[] rd = FidoReportDescriptor.bytes();
      byte[] ev =
          UhidCodec.create2("softkey key", "softkey/uhid", "u1", 0x03, 0x1209, 0xB401, 0x0102, 0, rd);

      byte[] expected = new byte[4380];
      expected[0] = 11; // UHID_CREATE2
      byte[] name = "softkey key".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, expected, 4, name.length);
      byte[] phys = "softkey/uhid".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(phys, 0, expected, 132, phys.length);
      expected[196] = 'u';
      expected[197] = '1';
      expected[260] = 34; // rd_size: the FIDO descriptor is 34 bytes
      expected[262] = 0x03; // BUS_USB
      expected[264] = 0x09; // vendor 0x1209, little-endian
      expected[265] = 0x12;
      expected[268] = 0x01; // product 0xB401
      expected[269] = (byte) 0xB4;
      expected[272] = 0x02; // version 0x0102
      expected[273] = 0x01;
      System.arraycopy(rd, 0, expected, 280, rd.length);

      assertThat(rd).hasSize(34);
      assertThat(ev).hasSize(4380);
      assertThat(ev).isEqualTo(expected);
      assertThat(Arrays.copyOfRange(ev, 280, 283)).containsExactly(0x06, 0xD0, 0xF1);
    }

    @Test
    void create2_cutsLongNamesSoTheNulTerminatorFits() {
      byte[] ev = UhidCodec.create2("x".repeat(300), "", "é".repeat(40), 3, 1, 2, 0, 0, new byte[0]);
      assertThat(ev[4 + 126]).isEqualTo((byte) 'x');
      assertThat(ev[4 + 127]).isZero();
      // uniq field is 64 bytes: 31 two-byte characters fit before the NUL, no half character.
      assertThat(new String(ev, 196, 62, StandardCharsets.UTF_8)).isEqualTo("é".repeat(31));
      assertThat(ev[196 + 62]).isZero();
    }

    @Test
    void create2_rejectsDescriptorLongerThanHidMaxDescriptorSize() {
      assertThatThrownBy(() -> UhidCodec.create2("n", "", "", 3, 1, 2, 0, 0, new byte[4097]))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void input2_isTypeSizeAndData() {
      byte[] r = report(0x40);
      byte[] expected = new byte[70];
      expected[0] = 12; // UHID_INPUT2
      expected[4] = 64; // size
      System.arraycopy(r, 0, expected, 6, 64);
      assertThat(UhidCodec.input2(r)).isEqualTo(expected);
    }

    @Test
    void destroyAndReportReplies() {
      assertThat(UhidCodec.destroy()).containsExactly(1, 0, 0, 0);
      assertThat(UhidCodec.getReportReply(0x01020304L, 5))
          .containsExactly(10, 0, 0, 0, 0x04, 0x03, 0x02, 0x01, 5, 0, 0, 0);
      assertThat(UhidCodec.setReportReply(0xFFFFFFFEL, 5))
          .containsExactly(14, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 5, 0);
    }
  }

  @Nested
  class Decoding {
    @Test
    void output_carriesSizeBytesAndReportType() {
      byte[] ev = new byte[4380];
      ev[0] = 6; // UHID_OUTPUT
      ev[4] = 0; // report ID 0 written by hidraw
      byte[] r = report(1);
      System.arraycopy(r, 0, ev, 5, 64);
      ev[4100] = 65; // size
      ev[4102] = 1; // UHID_OUTPUT_REPORT

      UhidEvent decoded = UhidCodec.decode(ev, ev.length);

      assertThat(decoded).isInstanceOf(UhidEvent.Output.class);
      UhidEvent.Output out = (UhidEvent.Output) decoded;
      assertThat(out.reportType()).isEqualTo(UhidCodec.UHID_OUTPUT_REPORT);
      assertThat(out.data().length()).isEqualTo(65);
      assertThat(out.data().get(0)).isZero();
      assertThat(UhidBackend.stripReportId(out.data().toArray())).isEqualTo(r);
    }

    @Test
    void stripReportId_padsShortReportsTo64Bytes() {
      assertThat(UhidBackend.stripReportId(new byte[] {0, 7, 8}))
          .hasSize(64)
          .startsWith(7, 8, 0);
      assertThat(UhidBackend.stripReportId(new byte[0])).hasSize(64).containsOnly(0);
    }

    @Test
    void start_readsDevFlags() {
      byte[] ev = {2, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0};
      assertThat(UhidCodec.decode(ev, ev.length)).isEqualTo(new UhidEvent.Start(7));
    }

    @Test
    void shortEventsAreZeroExtended() {
      byte[] ev = {2, 0, 0, 0};
      assertThat(UhidCodec.decode(ev, 4)).isEqualTo(new UhidEvent.Start(0));
      byte[] stop = {3, 0, 0, 0};
      assertThat(UhidCodec.decode(stop, 4)).isEqualTo(new UhidEvent.Stop());
    }

    @Test
    void openCloseAndUnknownTypes() {
      assertThat(UhidCodec.decode(new byte[] {4, 0, 0, 0}, 4)).isEqualTo(new UhidEvent.Open());
      assertThat(UhidCodec.decode(new byte[] {5, 0, 0, 0}, 4)).isEqualTo(new UhidEvent.Close());
      assertThat(UhidCodec.decode(new byte[] {99, 0, 0, 0}, 4)).isEqualTo(new UhidEvent.Other(99));
    }

    @Test
    void getReportAndSetReport() {
      byte[] get = {9, 0, 0, 0, 0x2A, 0, 0, 0, 3, 0};
      assertThat(UhidCodec.decode(get, get.length))
          .isEqualTo(new UhidEvent.GetReport(42, 3, UhidCodec.UHID_FEATURE_REPORT));
      byte[] set = {13, 0, 0, 0, 0x2B, 0, 0, 0, 1, 0, 2, 0, (byte) 0xAA, (byte) 0xBB};
      assertThat(UhidCodec.decode(set, set.length))
          .isEqualTo(new UhidEvent.SetReport(43, 1, 0, Bytes.fromHex("aabb")));
    }

    @Test
    void rejectsReadsShorterThanTheTypeField() {
      assertThatThrownBy(() -> UhidCodec.decode(new byte[3], 3))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
