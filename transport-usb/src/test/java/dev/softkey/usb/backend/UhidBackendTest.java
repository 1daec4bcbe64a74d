package dev.softkey.usb.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.softkey.core.profile.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UhidBackendTest {
  private static final Profile.UsbIdentity IDENTITY =
      new Profile.UsbIdentity(0x1209, 0xB401, "softkey", "softkey FIDO2 security key", List.of(0, 1, 0), 5);

  @TempDir Path tmp;

  private static final HidReportHandler IGNORE =
      new HidReportHandler() {
        @Override
        public void onOutputReport(byte[] report) {}

        @Override
        public void onPowerCycle() {}
      };

  @Nested
  class Errors {
    @Test
    void missingDevice_saysToLoadTheModule() {
      Path missing = tmp.resolve("uhid");
      try (UhidBackend b = new UhidBackend(IDENTITY, missing, tmp)) {
        assertThatThrownBy(() -> b.start(IGNORE))
            .isInstanceOf(BackendException.class)
            .hasMessage(missing + " does not exist: load the module with 'sudo modprobe uhid'");
      }
    }

    @Test
    void notWritable_pointsToTheUdevRuleAndTheGroup() {
      assertThat(UhidBackend.accessProblem(Path.of("/dev/uhid"), true, false))
          .hasValueSatisfying(
              m ->
                  assertThat(m)
                      .startsWith("/dev/uhid is not writable by this user: run as root")
                      .contains("70-softkey-uhid.rules")
                      .contains("usermod -aG uhid"));
      assertThat(UhidBackend.accessProblem(Path.of("/dev/uhid"), true, true)).isEmpty();
    }

    @Test
    void theUdevRuleNamedInTheMessageIsShipped() throws IOException {
      try (var in = UhidBackend.class.getClassLoader().getResourceAsStream(UhidBackend.UDEV_RULE)) {
        assertThat(in).isNotNull();
        String rule = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(rule).contains("KERNEL==\"uhid\"").contains("MODE=\"0660\"").contains("TAG+=\"uaccess\"");
      }
    }
  }

  @Nested
  class Identity {
    @Test
    void hidNameDoesNotRepeatTheManufacturer() {
      assertThat(new UhidBackend(IDENTITY, tmp, tmp).hidName()).isEqualTo("softkey FIDO2 security key");
      var yubico = new Profile.UsbIdentity(0x1050, 0x0407, "Yubico", "YubiKey OTP+FIDO+CCID", List.of(5, 4, 3), 5);
      assertThat(new UhidBackend(yubico, tmp, tmp).hidName()).isEqualTo("Yubico YubiKey OTP+FIDO+CCID");
      assertThat(new UhidBackend(yubico, tmp, tmp).hidVersion()).isEqualTo(0x0504);
    }

    @Test
    void eachBackendHasItsOwnUniq() {
      assertThat(new UhidBackend(IDENTITY).uniq()).startsWith("softkey-").isNotEqualTo(new UhidBackend(IDENTITY).uniq());
    }
  }

  @Nested
  class Describe {
    @Test
    void findsTheHidrawNodeByUniq() throws IOException {
      writeUevent("hidraw0", "HID_NAME=Other key\nHID_UNIQ=something-else\n");
      writeUevent("hidraw3", "HID_ID=0003:00001209:0000B401\nHID_NAME=softkey\nHID_UNIQ=softkey-42\n");
      UhidBackend b = new UhidBackend(IDENTITY, tmp.resolve("uhid"), tmp.resolve("class"), "softkey-42");
      assertThat(b.describe()).isEqualTo("uhid /dev/hidraw3");
      assertThat(b.awaitHidrawNode(Duration.ZERO)).contains(Path.of("/dev/hidraw3"));
    }

    @Test
    void pendingWhileNoNodeCarriesTheUniq() throws IOException {
      writeUevent("hidraw0", "HID_UNIQ=softkey-4\n"); // a prefix of ours is not ours
      UhidBackend b = new UhidBackend(IDENTITY, tmp.resolve("uhid"), tmp.resolve("class"), "softkey-42");
      assertThat(b.describe()).isEqualTo("uhid (hidraw node pending)");
      assertThat(new UhidBackend(IDENTITY, tmp, tmp.resolve("nowhere"), "x").describe())
          .isEqualTo("uhid (hidraw node pending)");
    }

    private void writeUevent(String node, String content) throws IOException {
      Path dir = Files.createDirectories(tmp.resolve("class").resolve(node).resolve("device"));
      Files.writeString(dir.resolve("uevent"), content);
    }
  }

  /**
   * A regular file stands in for /dev/uhid: read and write share one position, so events placed
   * after the first 4380 bytes (which UHID_CREATE2 overwrites) are what the reader thread reads.
   */
  @Nested
  class EventLoopOnAFile {
    @Test
    void createsDispatchesOutputAnswersGetReportAndDestroys() throws Exception {
      byte[] out = new byte[4380];
      out[0] = 6; // UHID_OUTPUT
      for (int i = 0; i < 64; i++) {
        out[5 + i] = (byte) (i + 1);
      }
      out[4100] = 65;
      out[4102] = 1; // UHID_OUTPUT_REPORT
      byte[] getReport = new byte[4380];
      getReport[0] = 9; // UHID_GET_REPORT
      getReport[4] = 77; // id
      Path dev = tmp.resolve("uhid");
      Files.write(dev, concat(new byte[4380], out, getReport));

      BlockingQueue<byte[]> reports = new ArrayBlockingQueue<>(4);
      HidReportHandler handler =
          new HidReportHandler() {
            @Override
            public void onOutputReport(byte[] report) {
              reports.add(report);
            }

            @Override
            public void onPowerCycle() {}
          };
      UhidBackend b = new UhidBackend(IDENTITY, dev, tmp, "softkey-test");
      HidReportSender sender = b.start(handler);

      byte[] got = reports.poll(5, TimeUnit.SECONDS);
      assertThat(got).hasSize(64).startsWith(1, 2, 3).endsWith(64);
      int afterReply = 3 * 4380 + 12;
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (Files.size(dev) < afterReply && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      sender.sendInputReport(new byte[64]);
      b.close();
      b.close(); // idempotent

      byte[] file = Files.readAllBytes(dev);
      byte[] create = Arrays.copyOfRange(file, 0, 4380);
      assertThat(create[0]).isEqualTo((byte) 11);
      assertThat(new String(create, 196, 12, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("softkey-test");
      assertThat(Arrays.copyOfRange(file, 3 * 4380, afterReply))
          .isEqualTo(UhidCodec.getReportReply(77, UhidCodec.EIO));
      assertThat(Arrays.copyOfRange(file, afterReply, afterReply + 70)).isEqualTo(UhidCodec.input2(new byte[64]));
      assertThat(Arrays.copyOfRange(file, afterReply + 70, file.length)).isEqualTo(UhidCodec.destroy());
      assertThatThrownBy(() -> sender.sendInputReport(new byte[64])).isInstanceOf(BackendException.class);
    }

    @Test
    void inputReportsMustBe64Bytes() throws Exception {
      Path dev = Files.createFile(tmp.resolve("uhid"));
      try (UhidBackend b = new UhidBackend(IDENTITY, dev, tmp, "u")) {
        HidReportSender sender = b.start(IGNORE);
        assertThatThrownBy(() -> sender.sendInputReport(new byte[65])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.start(IGNORE)).isInstanceOf(IllegalStateException.class);
      }
    }

    /**
     * The reader thread sits in read() most of the time: an input report sent from another thread
     * (CtapHidDevice answers from its worker) must not wait for the next event, and close() must
     * wake the reader. A FIFO stands in for /dev/uhid: its read() blocks like uhid's.
     */
    @Test
    void writesFromOtherThreadsAndCloseDoNotWaitForTheBlockedReader() throws Exception {
      Path fifo = tmp.resolve("uhid-fifo");
      assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
      UhidBackend b = new UhidBackend(IDENTITY, fifo, tmp, "u");
      HidReportSender sender = b.start(IGNORE);
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> {
            Thread.sleep(200); // let the reader drain CREATE2 and block in read()
            Thread other = new Thread(() -> sender.sendInputReport(new byte[64]));
            other.start();
            other.join();
            Thread.sleep(200);
            sender.sendInputReport(new byte[64]);
            b.close();
          });
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().equals("softkey-uhid-reader") && t.isAlive());
    }

    private byte[] concat(byte[]... parts) {
      int n = 0;
      for (byte[] p : parts) {
        n += p.length;
      }
      byte[] all = new byte[n];
      int off = 0;
      for (byte[] p : parts) {
        System.arraycopy(p, 0, all, off, p.length);
        off += p.length;
      }
      return all;
    }
  }
}
