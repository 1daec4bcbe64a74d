package dev.softkey.core;

import dev.softkey.core.profile.Profile;

/**
 * A security key as a transport sees it: CTAP2 messages and U2F APDUs in, responses out, a power
 * cycle, and the profile that says how it presents itself (USB identity, maximum message size).
 * {@link Authenticator} is the real one; {@link ForwardingCtapDevice} is the base for decorators
 * (a fault plan) that sit between the engine and every transport.
 *
 * <p>Transports (CTAPHID, hybrid, the CLI's in-process client) depend on this interface only. What
 * a transport needs besides CTAP (the hybrid phone's identity key and links) it is given by its
 * assembler, never by reaching through the device.
 */
public interface CtapDevice {
  /**
   * The answer of a device that says nothing: a fault plan dropped the reply (a lost radio frame, a
   * tunnel that went quiet, a key that hangs). Transports compare by identity ({@link #isNoReply})
   * and send nothing: CTAPHID sends no response packet (the client's own timeout fires), hybrid
   * sends no frame, the in-process client waits out its timeout and reports NotAllowedError. Never
   * a status byte, so it cannot be mistaken for one; decorators pass it on as the same object.
   */
  byte[] NO_REPLY = new byte[0];

  /** True if {@code response} is {@link #NO_REPLY} (by identity: an empty array is not enough). */
  static boolean isNoReply(byte[] response) {
    return response == NO_REPLY;
  }

  /**
   * Processes one CTAP2 message: byte 0 is the command, the rest its CBOR parameters; the response
   * is a status byte followed by the CBOR response, if any. Never throws: every failure is a status
   * byte. The call may block while the device waits for the user; {@code ctx} carries keepalives out
   * and the cancel flag in (a cancelled request answers {@code CTAP2_ERR_KEEPALIVE_CANCEL}). A
   * decorator may answer {@link #NO_REPLY} instead, which the transport must not send.
   */
  byte[] process(byte[] request, OperationContext ctx);

  /**
   * Processes one CTAP1/U2F request APDU (what CTAPHID_MSG carries) and returns the response APDU
   * (data and status word). Never throws: failures are status words.
   */
  byte[] processU2f(byte[] apdu, OperationContext ctx);

  /**
   * Unplug and plug back: volatile state (PIN/UV tokens, key agreement keys, getNextAssertion
   * state) is lost, stored state stays.
   */
  void powerCycle();

  /** The profile this device presents (versions, USB identity, limits). */
  Profile profile();
}
