package dev.softkey.core.profile;

/** fingerprintKind of getFingerprintSensorInfo (CTAP 2.1 section 6.7.2): how the finger meets the sensor. */
public enum FingerprintKind implements JsonName {
  /** A touch sensor (fingerprintKind 1). */
  TOUCH("touch", 1),
  /** A swipe sensor (fingerprintKind 2). */
  SWIPE("swipe", 2);

  private final String jsonName;
  private final int wire;

  FingerprintKind(String jsonName, int wire) {
    this.jsonName = jsonName;
    this.wire = wire;
  }

  @Override
  public String jsonName() {
    return jsonName;
  }

  /** The value on the wire. */
  public int wire() {
    return wire;
  }
}
