package dev.softkey.usb.client;

import java.util.Optional;

/**
 * An OS HID device whose report descriptor declares the FIDO usage page 0xF1D0 (CTAP 2.1 section
 * 11.2.8.1), as enumerated by {@link Hid4JavaHost#fidoDevices()}.
 *
 * @param path the platform's device path (a hidraw node on Linux); what {@link
 *     Hid4JavaHost#open(FidoHidDevice)} opens
 * @param vendorId USB vendor ID
 * @param productId USB product ID
 * @param manufacturer the manufacturer string, when the device has one
 * @param product the product string, when the device has one
 * @param serialNumber the serial number string, when the device has one
 */
public record FidoHidDevice(
    String path,
    int vendorId,
    int productId,
    Optional<String> manufacturer,
    Optional<String> product,
    Optional<String> serialNumber) {

  /** The usage page of FIDO HID devices. */
  public static final int FIDO_USAGE_PAGE = 0xF1D0;

  /** "VVVV:PPPP" in hex, as lsusb prints it. */
  public String vidPid() {
    return String.format("%04x:%04x", vendorId, productId);
  }
}
