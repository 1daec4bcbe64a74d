package dev.softkey.usb.client;

import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a CTAPHID_INIT response (CTAP 2.1 section 11.2.9.1.3): 17 bytes.
 *
 * @param nonce the 8-byte nonce the host sent, echoed
 * @param channelId the channel identifier (CID) allocated to the host
 * @param protocolVersion the CTAPHID protocol version identifier (2 for CTAP 2.x devices)
 * @param majorDeviceVersion major device version number
 * @param minorDeviceVersion minor device version number
 * @param buildDeviceVersion build device version number
 * @param capabilities the capabilities flags ({@link #CAPABILITY_WINK}, {@link #CAPABILITY_CBOR},
 *     {@link #CAPABILITY_NMSG})
 */
public record InitResponse(
    Bytes nonce,
    int channelId,
    int protocolVersion,
    int majorDeviceVersion,
    int minorDeviceVersion,
    int buildDeviceVersion,
    int capabilities) {

  /** The nonce length in the INIT request and response. */
  public static final int NONCE_LENGTH = 8;

  /** The length of the INIT response payload. */
  public static final int LENGTH = 17;

  /** CAPABILITY_WINK: the device implements CTAPHID_WINK. */
  public static final int CAPABILITY_WINK = 0x01;

  /** CAPABILITY_CBOR: the device implements CTAPHID_CBOR. */
  public static final int CAPABILITY_CBOR = 0x04;

  /** CAPABILITY_NMSG: the device does not implement CTAPHID_MSG. */
  public static final int CAPABILITY_NMSG = 0x08;

  public InitResponse {
    if (nonce.length() != NONCE_LENGTH) {
      throw new IllegalArgumentException("INIT nonce must be 8 bytes, not " + nonce.length());
    }
    for (int v :
        new int[] {
          protocolVersion, majorDeviceVersion, minorDeviceVersion, buildDeviceVersion, capabilities
        }) {
      if (v < 0 || v > 0xFF) {
        throw new IllegalArgumentException("INIT response fields are single bytes: " + v);
      }
    }
  }

  /**
   * Reads an INIT response payload. Throws {@link HidTransportException} when it is shorter than
   * 17 bytes; bytes past the 17th are ignored (CTAP 2.1 section 11.2.9.1.3 fixes the layout only).
   */
  public static InitResponse parse(byte[] payload) {
    if (payload.length < LENGTH) {
      throw new HidTransportException(
          "CTAPHID_INIT response has " + payload.length + " bytes, expected " + LENGTH);
    }
    int cid =
        ((payload[8] & 0xFF) << 24)
            | ((payload[9] & 0xFF) << 16)
            | ((payload[10] & 0xFF) << 8)
            | (payload[11] & 0xFF);
    return new InitResponse(
        Bytes.of(payload, 0, NONCE_LENGTH),
        cid,
        payload[12] & 0xFF,
        payload[13] & 0xFF,
        payload[14] & 0xFF,
        payload[15] & 0xFF,
        payload[16] & 0xFF);
  }

  /** CAPABILITY_WINK is set. */
  public boolean hasWink() {
    return (capabilities & CAPABILITY_WINK) != 0;
  }

  /** CAPABILITY_CBOR is set. */
  public boolean hasCbor() {
    return (capabilities & CAPABILITY_CBOR) != 0;
  }

  /** CAPABILITY_NMSG is set: CTAPHID_MSG (U2F) is not implemented. */
  public boolean hasNmsg() {
    return (capabilities & CAPABILITY_NMSG) != 0;
  }

  /** "major.minor.build". */
  public String deviceVersion() {
    return majorDeviceVersion + "." + minorDeviceVersion + "." + buildDeviceVersion;
  }

  /** The capability names that are set, e.g. [WINK, CBOR]. */
  public List<String> capabilityNames() {
    List<String> names = new ArrayList<>();
    if (hasWink()) {
      names.add("WINK");
    }
    if (hasCbor()) {
      names.add("CBOR");
    }
    if (hasNmsg()) {
      names.add("NMSG");
    }
    int other = capabilities & ~(CAPABILITY_WINK | CAPABILITY_CBOR | CAPABILITY_NMSG);
    if (other != 0) {
      names.add(String.format("0x%02X", other));
    }
    return names;
  }

  /** The response in readable form, one member per line. */
  public String describe() {
    return String.format(
        "%-34s %s%n%-34s %d%n%-34s %s%n%-34s 0x%02X %s%n",
        "CID:",
        String.format("0x%08X", channelId),
        "CTAPHID protocol version:",
        protocolVersion,
        "device version:",
        deviceVersion(),
        "capabilities:",
        capabilities,
        capabilityNames());
  }
}
