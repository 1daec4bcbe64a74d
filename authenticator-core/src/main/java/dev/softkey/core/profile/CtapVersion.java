package dev.softkey.core.profile;

import java.util.Optional;

/**
 * The protocol versions an authenticator lists in getInfo member {@code versions} (0x01), with
 * their wire strings (CTAP 2.1 section 6.4; FIDO_2_2 from CTAP 2.2 section 6.4).
 */
public enum CtapVersion implements JsonName {
  /** CTAP1/U2F (FIDO U2F raw message formats). */
  U2F_V2("U2F_V2"),
  /** CTAP 2.0. */
  FIDO_2_0("FIDO_2_0"),
  /** The CTAP 2.1 preview (credentialManagementPreview, bioEnrollmentPreview). */
  FIDO_2_1_PRE("FIDO_2_1_PRE"),
  /** CTAP 2.1. */
  FIDO_2_1("FIDO_2_1"),
  /** CTAP 2.2. */
  FIDO_2_2("FIDO_2_2");

  private final String wire;

  CtapVersion(String wire) {
    this.wire = wire;
  }

  /** The string getInfo carries. */
  public String wire() {
    return wire;
  }

  @Override
  public String jsonName() {
    return wire;
  }

  public static Optional<CtapVersion> fromWire(String s) {
    return JsonName.find(values(), s);
  }
}
