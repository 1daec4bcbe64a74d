package dev.softkey.core.profile;

import java.util.Optional;

/**
 * The attestation a model gives new credentials (WebAuthn L3 section 8). Not quite the statement's
 * {@code fmt}: {@link #PACKED} and {@link #SELF} are both fmt "packed", with and without a batch
 * certificate.
 */
public enum AttestationFormat implements JsonName {
  /** fmt "packed", attestation type Basic: signed by the profile's batch key, x5c [batch certificate] (section 8.2). */
  PACKED("packed"),
  /** fmt "packed", self attestation: signed by the credential key, no x5c (section 8.2). */
  SELF("self"),
  /** fmt "none", empty attStmt (section 8.7). */
  NONE("none"),
  /** fmt "fido-u2f", x5c [batch certificate], ES256 credentials only, zero AAGUID (section 8.6). */
  FIDO_U2F("fido-u2f");

  private final String jsonName;

  AttestationFormat(String jsonName) {
    this.jsonName = jsonName;
  }

  @Override
  public String jsonName() {
    return jsonName;
  }

  /** The format spelled {@code name} in profile JSON ("packed", "self", "none", "fido-u2f"). */
  public static Optional<AttestationFormat> fromJsonName(String name) {
    for (AttestationFormat f : values()) {
      if (f.jsonName.equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
