/**
 * Where 64-byte HID reports meet the host: the back-end SPI ({@link
 * dev.softkey.usb.backend.HidDeviceBackend}, {@link dev.softkey.usb.backend.HidReportHandler},
 * {@link dev.softkey.usb.backend.HidReportSender}), the FIDO report descriptor (CTAP 2.1 section
 * 11.2.8.1) and the back-ends themselves, such as {@link dev.softkey.usb.backend.UhidBackend}
 * (Linux /dev/uhid). Owns no CTAPHID framing (that is {@code dev.softkey.usb.ctaphid}) and no CTAP
 * semantics.
 */
package dev.softkey.usb.backend;
