package dev.softkey.ctap.crypto;

import java.util.Optional;

/**
 * The COSE algorithms softkey signs with (IANA COSE Algorithms registry; WebAuthn L3 section
 * 5.8.5). The JSON name is what profiles and the CLI use.
 */
public enum CoseAlgorithm {
  ES256(-7, "ES256"),
  EDDSA(-8, "EdDSA"),
  ES384(-35, "ES384"),
  RS256(-257, "RS256");

  private final int id;
  private final String jsonName;

  CoseAlgorithm(int id, String jsonName) {
    this.id = id;
    this.jsonName = jsonName;
  }

  public int id() {
    return id;
  }

  public String jsonName() {
    return jsonName;
  }

  public static Optional<CoseAlgorithm> fromId(long id) {
    for (CoseAlgorithm a : values()) {
      if (a.id == id) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public static Optional<CoseAlgorithm> fromName(String name) {
    for (CoseAlgorithm a : values()) {
      if (a.jsonName.equalsIgnoreCase(name) || a.name().equalsIgnoreCase(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
