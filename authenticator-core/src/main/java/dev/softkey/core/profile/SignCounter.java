package dev.softkey.core.profile;

/** How the model counts signatures (WebAuthn L3 section 6.1.1, signCount). */
public enum SignCounter implements JsonName {
  /** Each credential counts its own assertions. */
  PER_CREDENTIAL("per-credential"),
  /** One counter for the whole device, as many real keys do. */
  GLOBAL("global"),
  /** Always 0, as synced passkey providers do. */
  ZERO("zero");

  private final String jsonName;

  SignCounter(String jsonName) {
    this.jsonName = jsonName;
  }

  @Override
  public String jsonName() {
    return jsonName;
  }
}
