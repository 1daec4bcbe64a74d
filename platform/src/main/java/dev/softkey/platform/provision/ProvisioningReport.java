package dev.softkey.platform.provision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * One provisioned key, as a provisioning tool's report line has it (YubicoLabs' keysRegistered.csv:
 * upn, authentication method id, serial number, PIN; here with what the key said). The PIN is the
 * secret the user needs for the first sign-in: {@link #toString()} leaves it out; the CSV and JSON
 * forms hold it, so they must go only where the administrator keeps secrets.
 *
 * @param upn publicKey.user.name
 * @param userId publicKey.user.id, base64url
 * @param displayName the POST body's displayName
 * @param key which key: the tool's name for it (a store directory, a device path)
 * @param serial the key's serial number, when the tool knows one
 * @param aaguid getInfo aaguid
 * @param model the model's name (the profile's description, or from getInfo)
 * @param pin the PIN set on the key
 * @param credentialId the new credential's ID, base64url
 * @param attestationFormat the attestation statement format (packed, fido-u2f, none, ...)
 * @param minPinLength getInfo minPINLength after provisioning, when the key reports it
 * @param forcePinChange getInfo forcePINChange after provisioning
 * @param authenticatorConfig what authenticatorConfig did ("setMinPINLength(newMinPINLength=6);
 *     setMinPINLength(forceChangePin=true)") or why it was not sent
 * @param reset whether authenticatorReset was sent first
 * @param challengeTimeoutDateTime until when Graph accepts the POST body
 */
public record ProvisioningReport(
    String upn,
    String userId,
    String displayName,
    String key,
    Optional<String> serial,
    UUID aaguid,
    String model,
    String pin,
    String credentialId,
    String attestationFormat,
    OptionalInt minPinLength,
    boolean forcePinChange,
    String authenticatorConfig,
    boolean reset,
    Optional<String> challengeTimeoutDateTime) {

  /** The CSV columns, in order. */
  public static final List<String> CSV_COLUMNS =
      List.of(
          "upn", "userId", "displayName", "key", "serial", "aaguid", "model", "pin", "credentialId", "attestationFormat",
          "minPinLength", "forcePinChange", "authenticatorConfig", "reset", "challengeTimeoutDateTime");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public ProvisioningReport {
    Objects.requireNonNull(upn, "upn");
    Objects.requireNonNull(pin, "pin");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(minPinLength, "minPinLength");
    Objects.requireNonNull(challengeTimeoutDateTime, "challengeTimeoutDateTime");
  }

  /** The same report for another key name and serial (the tool knows them, the provisioner does not). */
  public ProvisioningReport withKey(String k, Optional<String> s) {
    return new ProvisioningReport(upn, userId, displayName, k, s, aaguid, model, pin, credentialId, attestationFormat, minPinLength,
        forcePinChange, authenticatorConfig, reset, challengeTimeoutDateTime);
  }

  /** The CSV header line (RFC 4180), without line terminator. */
  public static String csvHeader() {
    return String.join(",", CSV_COLUMNS);
  }

  /** This report as one CSV record (RFC 4180 quoting), without line terminator. */
  public String csvRecord() {
    List<String> values =
        List.of(
            upn, userId, displayName, key, serial.orElse(""), aaguid.toString(), model, pin, credentialId, attestationFormat,
            minPinLength.isPresent() ? Integer.toString(minPinLength.getAsInt()) : "", Boolean.toString(forcePinChange),
            authenticatorConfig, Boolean.toString(reset), challengeTimeoutDateTime.orElse(""));
    return String.join(",", values.stream().map(ProvisioningReport::csvField).toList());
  }

  /** This report as a JSON object, members named as {@link #CSV_COLUMNS}. */
  public ObjectNode toJsonNode() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("upn", upn);
    o.put("userId", userId);
    o.put("displayName", displayName);
    o.put("key", key);
    serial.ifPresentOrElse(s -> o.put("serial", s), () -> o.putNull("serial"));
    o.put("aaguid", aaguid.toString());
    o.put("model", model);
    o.put("pin", pin);
    o.put("credentialId", credentialId);
    o.put("attestationFormat", attestationFormat);
    if (minPinLength.isPresent()) {
      o.put("minPinLength", minPinLength.getAsInt());
    } else {
      o.putNull("minPinLength");
    }
    o.put("forcePinChange", forcePinChange);
    o.put("authenticatorConfig", authenticatorConfig);
    o.put("reset", reset);
    challengeTimeoutDateTime.ifPresentOrElse(t -> o.put("challengeTimeoutDateTime", t), () -> o.putNull("challengeTimeoutDateTime"));
    return o;
  }

  static String csvField(String v) {
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }

  /** Everything but the PIN. */
  @Override
  public String toString() {
    return "ProvisioningReport[upn=" + upn + ", key=" + key + ", aaguid=" + aaguid + ", model=" + model + ", pin=(secret)"
        + ", credentialId=" + credentialId + ", attestationFormat=" + attestationFormat + ", forcePinChange=" + forcePinChange
        + ", authenticatorConfig=" + authenticatorConfig + "]";
  }
}
