/**
 * CTAPHID framing and the device side of the protocol (CTAP 2.1 section 11.2 "USB Human Interface
 * Device (USB HID)"): packets, per-channel message assembly, fragmentation, channel allocation, the
 * commands of section 11.2.9 (INIT, PING, MSG, CBOR, CANCEL, WINK, LOCK, KEEPALIVE, ERROR) and
 * transaction timeouts from an injected clock.
 *
 * <p>Owns: {@link dev.softkey.usb.ctaphid.CtapHidDevice} (a {@link
 * dev.softkey.usb.backend.HidReportHandler} that turns 64-byte reports into calls on the core's
 * {@code CtapDevice}) and {@link dev.softkey.usb.ctaphid.CtapHidFrames} (packet layout shared
 * with CTAPHID clients). Does not own: I/O (the {@code usb.backend} back-ends move reports), CTAP2
 * or U2F semantics (the core answers those; this package only carries their bytes).
 */
package dev.softkey.usb.ctaphid;
