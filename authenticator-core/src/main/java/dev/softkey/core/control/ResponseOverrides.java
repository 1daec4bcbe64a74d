package dev.softkey.core.control;

/**
 * Deliberately broken responses, as Chromium's virtual authenticator has them (DevTools
 * WebAuthn.setResponseOverrideBits; device/fido/virtual_ctap2_device.cc, where
 * {@code ctap2_invalid_signature} makes the signature the one byte 0x00, and {@code unset_uv_bit} /
 * {@code unset_up_bit} clear the flags): for testing that a relying party rejects them.
 *
 * @param bogusSignature the getAssertion signature, and the makeCredential attestation statement's
 *     "sig", become the single byte 0x00
 * @param badUv the UV flag is cleared in the authenticatorData of makeCredential and getAssertion
 * @param badUp the UP flag is cleared likewise
 */
public record ResponseOverrides(boolean bogusSignature, boolean badUv, boolean badUp) {
  /** No override: responses as the engine makes them. */
  public static final ResponseOverrides NONE = new ResponseOverrides(false, false, false);

  /** Whether any override is on. */
  public boolean any() {
    return bogusSignature || badUv || badUp;
  }
}
