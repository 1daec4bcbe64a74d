package dev.softkey.usb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hidraw framing over plain files: report ID 0 before each written report, 64-byte reads. */
class HidrawTransportTest {
  static byte[] report(int seed) {
    byte[] r = new byte[64];
    for (int i = 0; i < 64; i++) {
      r[i] = (byte) (seed + i);
    }
    return r;
  }

  @Test
  void writes_carryReportIdZero_andReadsAre64ByteReports_inOrder(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in");
    Path out = dir.resolve("out");
    byte[] two = new byte[128];
    System.arraycopy(report(1), 0, two, 0, 64);
    System.arraycopy(report(9), 0, two, 64, 64);
    Files.write(in, two);
    Files.write(out, new byte[0]);
    try (HidrawTransport t = HidrawTransport.open(in, out)) {
      t.write(report(3));
      t.write(report(5));
      assertThat(t.read(Duration.ofSeconds(5))).hasValueSatisfying(r -> assertThat(r).isEqualTo(report(1)));
      assertThat(t.read(Duration.ofSeconds(5))).hasValueSatisfying(r -> assertThat(r).isEqualTo(report(9)));
      assertThat(t.read(Duration.ofMillis(100))).isEmpty();
      assertThat(t.describe()).contains(out.toString());
    }
    byte[] written = Files.readAllBytes(out);
    assertThat(written).hasSize(130);
    assertThat(written[0]).isZero();
    assertThat(Arrays.copyOfRange(written, 1, 65)).isEqualTo(report(3));
    assertThat(written[65]).isZero();
    assertThat(Arrays.copyOfRange(written, 66, 130)).isEqualTo(report(5));
  }

  @Test
  void aReportNotOf64Bytes_isRefused(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("dev");
    Files.write(f, new byte[0]);
    try (HidrawTransport t = HidrawTransport.open(f, f)) {
      assertThatThrownBy(() -> t.write(new byte[65])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
    }
  }

  @Test
  void aMissingNode_isOneLineNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("hidraw9");
    assertThatThrownBy(() -> HidrawTransport.open(missing))
        .isInstanceOf(HidTransportException.class)
        .hasMessageContaining("hidraw9");
  }
}
