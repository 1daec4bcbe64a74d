package dev.softkey.platform;

/**
 * What a {@link CtapTransport} throws when the authenticator sent no reply within the transport's
 * own timeout (a CTAPHID client that waited in vain, a tunnel that went quiet). The platform turns
 * it into NotAllowedError, as a browser does when its authenticator never answers (WebAuthn L3
 * section 5.1.3 step 20: the ceremony's timer expires).
 */
public final class NoReplyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoReplyException(String message) {
    super(message);
  }

  public NoReplyException(String message, Throwable cause) {
    super(message, cause);
  }
}
