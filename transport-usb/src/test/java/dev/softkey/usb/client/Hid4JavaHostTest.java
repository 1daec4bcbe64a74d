package dev.softkey.usb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.hid4java.HidException;
import org.junit.jupiter.api.Test;

class Hid4JavaHostTest {
  @Test
  void open_enumeratesFidoDevices_orSaysWhyTheNativeLibraryIsMissing() {
    // On a machine with hidapi this enumerates (usually nothing on a headless host); where the
    // native library cannot load, the failure must be our one-line exception, not a LinkageError.
    try (Hid4JavaHost host = Hid4JavaHost.open()) {
      List<FidoHidDevice> devices = host.fidoDevices();
      assertThat(devices).allSatisfy(d -> assertThat(d.path()).isNotBlank());
    } catch (HidTransportException e) {
      assertThat(e).hasMessageStartingWith("cannot load the native HID library");
    }
  }

  @Test
  void loadFailure_namesTheRootCauseOnOneLine() {
    HidException e =
        new HidException(
            "Unable to load HID library",
            new UnsatisfiedLinkError("libudev.so.1: cannot open shared object file\nmore detail"));

    String m = Hid4JavaHost.loadFailure(e);

    assertThat(m)
        .startsWith("cannot load the native HID library (hidapi through JNA) for ")
        .contains(": libudev.so.1: cannot open shared object file (")
        .doesNotContain("\n")
        .doesNotContain("more detail");
  }

  @Test
  void fidoHidDevice_vidPidIsLowercaseHex() {
    FidoHidDevice d =
        new FidoHidDevice("/dev/hidraw3", 0x1050, 0x0407, Optional.of("Yubico"), Optional.of("YubiKey OTP+FIDO+CCID"), Optional.empty());

    assertThat(d.vidPid()).isEqualTo("1050:0407");
  }
}
