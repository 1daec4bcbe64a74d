package dev.softkey.testkit;

/** Options JSON as a page passes it to navigator.credentials, for tests without an RP library. */
final class Options {
  static final String ORIGIN = "https://example.com";
  static final String RP_ID = "example.com";

  private Options() {}

  /** PublicKeyCredentialCreationOptionsJSON for example.com and one user, ES256. */
  static String creation(boolean discoverable, String userVerification, String attestation) {
    return """
        {"rp": {"id": "example.com", "name": "Example"},
         "user": {"id": "AQIDBAUGBwg", "name": "alice", "displayName": "Alice"},
         "challenge": "Y2hhbGxlbmdlLWNoYWxsZW5nZS0xMjM0NTY3ODkw",
         "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
         "authenticatorSelection": {"residentKey": "%s", "userVerification": "%s"},
         "attestation": "%s"}
        """.formatted(discoverable ? "required" : "discouraged", userVerification, attestation);
  }

  static String creation() {
    return creation(true, "discouraged", "none");
  }

  /** PublicKeyCredentialRequestOptionsJSON for example.com; no allowCredentials (discoverable). */
  static String request(String userVerification) {
    return """
        {"rpId": "example.com", "challenge": "YW5vdGhlci1jaGFsbGVuZ2UtMTIzNDU2Nzg5MA",
         "userVerification": "%s"}
        """.formatted(userVerification);
  }

  static String request() {
    return request("discouraged");
  }

  /** Request options that name one credential (a username sign-in). */
  static String requestFor(String credentialId) {
    return """
        {"rpId": "example.com", "challenge": "YW5vdGhlci1jaGFsbGVuZ2UtMTIzNDU2Nzg5MA",
         "allowCredentials": [{"type": "public-key", "id": "%s"}], "userVerification": "discouraged"}
        """.formatted(credentialId);
  }
}
