package dev.softkey.usb.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hid4java.HidDevice;
import org.hid4java.HidException;
import org.hid4java.HidServices;
import org.hid4java.HidServicesSpecification;
import org.hid4java.ScanMode;

/**
 * The operating system's HID devices through hid4java (hidapi via JNA): finds FIDO devices (usage
 * page 0xF1D0, CTAP 2.1 section 11.2.8.1) and opens them as {@link Hid4JavaTransport}s.
 *
 * <p>hid4java is used without its background scanner, data reader or shutdown hook: devices are
 * enumerated when asked, and {@link #close()} releases hidapi. When the native library cannot be
 * loaded (no hidapi build for the platform, libudev missing on Linux) {@link #open()} throws a
 * {@link HidTransportException} that says so instead of a linkage error.
 */
public final class Hid4JavaHost implements AutoCloseable {
  private final HidServices services;

  private Hid4JavaHost(HidServices services) {
    this.services = services;
  }

  /** Loads hidapi and prepares enumeration. */
  public static Hid4JavaHost open() {
    HidServicesSpecification spec = new HidServicesSpecification();
    spec.setAutoStart(false);
    spec.setAutoShutdown(false);
    spec.setAutoDataRead(false);
    spec.setScanMode(ScanMode.NO_SCAN);
    try {
      return new Hid4JavaHost(new HidServices(spec));
    } catch (HidException | LinkageError e) {
      throw new HidTransportException(loadFailure(e), e);
    }
  }

  /** The message for a native library that would not load, naming the root cause. */
  static String loadFailure(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return "cannot load the native HID library (hidapi through JNA) for "
        + System.getProperty("os.name")
        + "/"
        + System.getProperty("os.arch")
        + ": "
        + why.lines().findFirst().orElse(why)
        + " (on Linux hidapi needs libudev.so.1; the UDP simulator needs no native library)";
  }

  /** The attached devices with usage page 0xF1D0, in enumeration order. */
  public List<FidoHidDevice> fidoDevices() {
    List<FidoHidDevice> out = new ArrayList<>();
    for (HidDevice d : attached()) {
      if (d.getUsagePage() == FidoHidDevice.FIDO_USAGE_PAGE) {
        out.add(
            new FidoHidDevice(
                d.getPath(),
                d.getVendorId(),
                d.getProductId(),
                text(d.getManufacturer()),
                text(d.getProduct()),
                text(d.getSerialNumber())));
      }
    }
    return out;
  }

  /**
   * Opens a device found by {@link #fidoDevices()}. Throws {@link HidTransportException} when it
   * is gone or cannot be opened (on Linux, usually permissions on its hidraw node).
   */
  public Hid4JavaTransport open(FidoHidDevice device) {
    for (HidDevice d : attached()) {
      if (device.path().equals(d.getPath())) {
        if (!d.open()) {
          String why = Optional.ofNullable(d.getLastErrorMessage()).orElse("unknown error");
          throw new HidTransportException(
              "cannot open " + device.path() + ": " + why + " (permissions? see the udev rules for FIDO keys)");
        }
        return new Hid4JavaTransport(d);
      }
    }
    throw new HidTransportException("HID device " + device.path() + " is gone");
  }

  private List<HidDevice> attached() {
    try {
      return services.getAttachedHidDevices();
    } catch (HidException | LinkageError e) {
      throw new HidTransportException("cannot enumerate HID devices: " + e.getMessage(), e);
    }
  }

  private static Optional<String> text(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
  }

  /** Releases hidapi. Devices opened from this host must be closed first. */
  @Override
  public void close() {
    services.shutdown();
  }
}
