package dev.softkey.core.pin;

/** pinUvAuthToken permissions (CTAP 2.1 section 6.5.5.7). */
public enum Permission {
  MAKE_CREDENTIAL(0x01, "mc"),
  GET_ASSERTION(0x02, "ga"),
  CREDENTIAL_MANAGEMENT(0x04, "cm"),
  BIO_ENROLLMENT(0x08, "be"),
  LARGE_BLOB_WRITE(0x10, "lbw"),
  AUTHENTICATOR_CONFIG(0x20, "acfg");

  private final int bit;
  private final String shortName;

  Permission(int bit, String shortName) {
    this.bit = bit;
    this.shortName = shortName;
  }

  public int bit() {
    return bit;
  }

  public String shortName() {
    return shortName;
  }
}
