package dev.softkey.core.presence;

import java.util.Optional;

/**
 * What the authenticator asks the user about, so that a console prompt or a test script can tell
 * requests apart (after passkey-rs's UiHint).
 *
 * @param kind why the user is asked
 * @param rpId the relying party, when there is one
 * @param userName the account, when known
 */
public record UserRequest(Kind kind, Optional<String> rpId, Optional<String> userName) {
  public enum Kind {
    MAKE_CREDENTIAL,
    GET_ASSERTION,
    EXCLUDED_CREDENTIAL_FOUND,
    RESET,
    SELECTION,
    U2F_REGISTER,
    U2F_AUTHENTICATE,
    PIN_UV_AUTH_TOKEN,
    CREDENTIAL_MANAGEMENT,
    CONFIG,
    BIO_ENROLLMENT
  }

  public static UserRequest of(Kind kind, String rpId) {
    return new UserRequest(kind, Optional.ofNullable(rpId), Optional.empty());
  }

  public static UserRequest of(Kind kind) {
    return new UserRequest(kind, Optional.empty(), Optional.empty());
  }
}
