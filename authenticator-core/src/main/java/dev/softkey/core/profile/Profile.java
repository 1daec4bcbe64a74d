package dev.softkey.core.profile;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The emulated device model: identity, what getInfo reports, limits, attestation and USB identity.
 * Loaded from JSON by {@link Profiles}; {@link #validate()} names every violated invariant.
 * getInfo is computed from this record plus live state, never written by hand.
 *
 * @param id short name used on the command line ("generic", "yubikey-5")
 * @param description one line for {@code softkey profiles}
 * @param source where the model's values come from (a datasheet, a captured getInfo)
 * @param aaguid the AAGUID
 * @param versions getInfo versions (U2F_V2, FIDO_2_0, FIDO_2_1_PRE, FIDO_2_1)
 * @param algorithms supported algorithms in getInfo order
 * @param pinUvAuthProtocols supported PIN/UV auth protocols, preferred first
 * @param builtInUv whether the model has built-in UV (a "Bio" model)
 * @param residentKeys whether discoverable credentials are supported (option rk)
 * @param maxResidentCredentials how many discoverable credentials fit
 * @param maxMsgSize getInfo maxMsgSize
 * @param maxCredentialCountInList getInfo maxCredentialCountInList
 * @param maxCredentialIdLength getInfo maxCredentialIdLength
 * @param minPinLength initial minimum PIN length in code points (at least 4)
 * @param makeCredUvNotRequired getInfo option makeCredUvNotRqd
 * @param firmwareVersion getInfo firmwareVersion, or null to omit it
 * @param attestation default attestation: "packed" (batch x5c), "self", "none" or "fido-u2f"
 * @param signCounter counter policy: "per-credential", "global" or "zero"
 * @param backupEligible BE flag for new credentials (a synced passkey provider)
 * @param backupState BS flag for new credentials
 * @param transports getInfo transports
 * @param usb CTAPHID and USB identity
 */
public record Profile(
    String id,
    String description,
    String source,
    UUID aaguid,
    List<String> versions,
    List<String> algorithms,
    List<Integer> pinUvAuthProtocols,
    boolean builtInUv,
    boolean residentKeys,
    int maxResidentCredentials,
    int maxMsgSize,
    int maxCredentialCountInList,
    int maxCredentialIdLength,
    int minPinLength,
    boolean makeCredUvNotRequired,
    Integer firmwareVersion,
    String attestation,
    String signCounter,
    boolean backupEligible,
    boolean backupState,
    List<String> transports,
    UsbIdentity usb) {

  /**
   * @param vendorId USB vendor ID
   * @param productId USB product ID
   * @param manufacturer USB manufacturer string
   * @param product USB product string
   * @param deviceVersion CTAPHID INIT device version: major, minor, build
   * @param capabilities CTAPHID capability flags (WINK 0x01, CBOR 0x04, NMSG 0x08)
   */
  public record UsbIdentity(
      int vendorId, int productId, String manufacturer, String product, List<Integer> deviceVersion, int capabilities) {
    public UsbIdentity {
      deviceVersion = List.copyOf(deviceVersion);
    }
  }

  public Profile {
    versions = List.copyOf(versions);
    algorithms = List.copyOf(algorithms);
    pinUvAuthProtocols = List.copyOf(pinUvAuthProtocols);
    transports = List.copyOf(transports);
  }

  public List<CoseAlgorithm> coseAlgorithms() {
    List<CoseAlgorithm> out = new ArrayList<>();
    for (String a : algorithms) {
      out.add(CoseAlgorithm.fromName(a).orElseThrow());
    }
    return out;
  }

  public boolean supportsU2f() {
    return versions.contains("U2F_V2");
  }

  public boolean isCtap21() {
    return versions.contains("FIDO_2_1");
  }

  /** Checks the invariants; throws IllegalArgumentException naming every violation. */
  public Profile validate() {
    List<String> errors = new ArrayList<>();
    if (id == null || !id.matches("[a-z0-9][a-z0-9-]*")) {
      errors.add("id must be lower-case letters, digits and dashes");
    }
    if (aaguid == null) {
      errors.add("aaguid is required");
    }
    for (String v : versions) {
      if (!List.of("U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE", "FIDO_2_1").contains(v)) {
        errors.add("unknown version " + v);
      }
    }
    if (!versions.contains("FIDO_2_0") && !versions.contains("FIDO_2_1")) {
      errors.add("versions must include FIDO_2_0 or FIDO_2_1");
    }
    if (algorithms.isEmpty()) {
      errors.add("algorithms must not be empty");
    }
    for (String a : algorithms) {
      if (CoseAlgorithm.fromName(a).isEmpty()) {
        errors.add("unknown algorithm " + a);
      }
    }
    for (Integer p : pinUvAuthProtocols) {
      if (p == null || (p != 1 && p != 2)) {
        errors.add("pinUvAuthProtocols may contain only 1 and 2");
      }
    }
    if (pinUvAuthProtocols.isEmpty()) {
      errors.add("pinUvAuthProtocols must not be empty");
    }
    if (isCtap21() && !pinUvAuthProtocols.contains(2)) {
      errors.add("a FIDO_2_1 authenticator must support PIN/UV auth protocol 2");
    }
    if (minPinLength < 4 || minPinLength > 63) {
      errors.add("minPinLength must be 4..63");
    }
    if (maxMsgSize < 1024) {
      errors.add("maxMsgSize must be at least 1024 (CTAP 2.1 section 6.4)");
    }
    if (maxCredentialCountInList < 1) {
      errors.add("maxCredentialCountInList must be at least 1");
    }
    if (maxCredentialIdLength < 64) {
      errors.add("maxCredentialIdLength must be at least 64");
    }
    if (residentKeys && maxResidentCredentials < 1) {
      errors.add("maxResidentCredentials must be at least 1 when residentKeys is true");
    }
    if (!List.of("packed", "self", "none", "fido-u2f").contains(attestation)) {
      errors.add("attestation must be packed, self, none or fido-u2f");
    }
    if ("fido-u2f".equals(attestation) && !algorithms.contains("ES256")) {
      errors.add("fido-u2f attestation needs ES256");
    }
    if (!List.of("per-credential", "global", "zero").contains(signCounter)) {
      errors.add("signCounter must be per-credential, global or zero");
    }
    if (backupState && !backupEligible) {
      errors.add("backupState requires backupEligible (WebAuthn L3 section 6.1.3)");
    }
    if (usb == null) {
      errors.add("usb identity is required");
    } else if (usb.deviceVersion().size() != 3) {
      errors.add("usb.deviceVersion must have three numbers");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("profile " + id + ": " + String.join("; ", errors));
    }
    return this;
  }

  /** Values for the getInfo "options" member that do not depend on live state. */
  public Map<String, Boolean> staticOptions() {
    return Map.of("rk", residentKeys, "up", true, "plat", false);
  }

  @Override
  public String toString() {
    return "Profile[" + id + "]";
  }

  static Profile require(Profile p) {
    return Objects.requireNonNull(p).validate();
  }
}
