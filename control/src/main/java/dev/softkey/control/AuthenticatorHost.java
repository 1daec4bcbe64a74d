package dev.softkey.control;

/**
 * Where the authenticators that {@code POST /softkey/v1/webauthn/authenticator} adds come from:
 * {@link InProcessHost} builds in-memory ones; {@code softkey serve --control} may put its own
 * behind the API (a file store, a transport to serve it on).
 */
@FunctionalInterface
public interface AuthenticatorHost {
  /**
   * Starts one authenticator. {@link IllegalArgumentException} (a profile or option that does not
   * fit) is answered "invalid argument"; anything else "unable to create authenticator".
   */
  Hosted start(AuthenticatorSpec spec) throws Exception;
}
