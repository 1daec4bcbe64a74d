package dev.softkey.hybrid.noise;

import java.nio.charset.StandardCharsets;

/** The two Noise patterns of the hybrid transport, with their protocol names and prologues. */
public enum HandshakePattern {
  /** QR-initiated: {@code -> s ... -> psk, e <- e, ee, se}; the initiator's static key is in the QR code. */
  KN_PSK0("Noise_KNpsk0_P256_AESGCM_SHA256", (byte) 1),
  /** State-assisted (linked): {@code <- s ... -> psk, e, es <- e, ee}; the authenticator's identity key is known. */
  NK_PSK0("Noise_NKpsk0_P256_AESGCM_SHA256", (byte) 0);

  private final String protocolName;
  private final byte prologue;

  HandshakePattern(String protocolName, byte prologue) {
    this.protocolName = protocolName;
    this.prologue = prologue;
  }

  public String protocolName() {
    return protocolName;
  }

  /** The one-byte prologue mixed in first. */
  public byte prologue() {
    return prologue;
  }

  /**
   * The initial {@code h} and {@code ck}: the 31-byte name zero-padded to 32 bytes (Noise section
   * 5.2 InitializeSymmetric; names not longer than HASHLEN are padded, not hashed).
   */
  byte[] initialHash() {
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    byte[] h = new byte[32];
    System.arraycopy(name, 0, h, 0, name.length);
    return h;
  }
}
