/**
 * The host side of CTAPHID (CTAP 2.1 section 11.2): what a platform does to talk to a FIDO HID
 * device, for diagnostics ({@code softkey probe}), end-to-end tests and benchmarks.
 *
 * <p>Owns: {@link dev.softkey.usb.client.HidTransport} (one 64-byte report out, one in) with its
 * UDP (SoloKeys simulator convention) and hid4java (OS HID devices) implementations, and {@link
 * dev.softkey.usb.client.CtapHidClient}, which allocates a channel with INIT, fragments requests,
 * reassembles responses, follows KEEPALIVE and turns CTAPHID_ERROR into {@link
 * dev.softkey.usb.client.CtapHidException}. The client implements {@link
 * dev.softkey.platform.CtapTransport}, so {@code WebAuthnClient} runs over it.
 *
 * <p>Does not own: the device side of CTAPHID ({@code usb.ctaphid}) or the device back-ends
 * ({@code usb.backend}). Nothing here parses CTAP2 CBOR; that is the caller's business.
 */
package dev.softkey.usb.client;
