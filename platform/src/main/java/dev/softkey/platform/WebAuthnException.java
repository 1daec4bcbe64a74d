package dev.softkey.platform;

import dev.softkey.ctap.CtapStatus;
import java.util.Optional;

/**
 * A WebAuthn ceremony failed the way a browser's promise would reject: {@link #name()} is the
 * DOMException name (WebAuthn L3 sections 5.1.3 and 5.1.4 say which one each step uses), and when
 * the authenticator's answer caused it, {@link #ctapStatus()} keeps the CTAP status. Messages never
 * carry PINs or keys.
 */
public final class WebAuthnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** DOMException names used by WebAuthn (WebIDL section 2.8.1 "DOMException names"). */
  public enum Name {
    /** The origin or RP ID is not acceptable. */
    SecurityError,
    /** The user or authenticator refused, or nothing matched; the catch-all of WebAuthn. */
    NotAllowedError,
    /** A credential in excludeCredentials is already on the authenticator. */
    InvalidStateError,
    /** No requested algorithm or credential type is supported. */
    NotSupportedError,
    /** A required capability (discoverable credentials, user verification) is missing. */
    ConstraintError,
    /** The options are not well-formed (WebIDL conversion failure). */
    TypeError,
    /** A base64url member of the JSON options does not decode (WebAuthn L3 section 5.1.9). */
    EncodingError,
    /**
     * An extension input names something that is not there (prf evalByCredential keys that are not
     * base64url or not in allowCredentials, WebAuthn L3 section 10.1.4).
     */
    SyntaxError,
    /** Anything else: an authenticator or protocol failure. */
    UnknownError
  }

  private final Name name;
  private final transient Optional<CtapStatus> ctapStatus;

  public WebAuthnException(Name name, String message) {
    this(name, message, Optional.empty());
  }

  public WebAuthnException(Name name, String message, Optional<CtapStatus> ctapStatus) {
    super(message);
    this.name = name;
    this.ctapStatus = ctapStatus;
  }

  /** The DOMException name a browser would reject with. */
  public Name name() {
    return name;
  }

  /** The authenticator's status when a CTAP error caused this failure. */
  public Optional<CtapStatus> ctapStatus() {
    return ctapStatus;
  }

  /**
   * The CTAP status as the detail of an error line, e.g. {@code CTAP2_ERR_CREDENTIAL_EXCLUDED,
   * 0x19}; empty when the client itself failed the ceremony.
   */
  public Optional<String> detail() {
    return ctapStatus.map(s -> String.format("%s, 0x%02X", s.name(), s.code()));
  }

  /**
   * One line as a browser's console shows a rejected promise, with the CTAP status as the detail:
   * {@code InvalidStateError: a credential in excludeCredentials is already on the authenticator
   * (CTAP2_ERR_CREDENTIAL_EXCLUDED, 0x19)}.
   */
  @Override
  public String toString() {
    return name + ": " + getMessage() + detail().map(d -> " (" + d + ")").orElse("");
  }
}
