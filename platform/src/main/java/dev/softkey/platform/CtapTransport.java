package dev.softkey.platform;

/**
 * One CTAP2 exchange with an authenticator, the way a platform sees it: the request is the command
 * byte followed by its CBOR parameters, the response is the status byte followed (on success) by
 * the CBOR response (CTAP 2.1 section 6, "Authenticator API"). An in-process authenticator, a
 * CTAPHID client or a hybrid tunnel can all stand behind it.
 *
 * <p>An authenticator that says nothing: a transport with a timeout of its own (CTAPHID, hybrid)
 * throws {@link NoReplyException} when it expires; an in-process one returns the empty array (the
 * device's {@code NO_REPLY}), and the platform waits out its own timeout ({@link
 * WebAuthnClient.Builder#timeout}) before it rejects with NotAllowedError.
 */
@FunctionalInterface
public interface CtapTransport {
  /**
   * Sends one request and returns the complete response: a status byte and its CBOR, or the empty
   * array when an in-process authenticator dropped its reply.
   *
   * @throws NoReplyException when the authenticator did not answer within the transport's timeout
   */
  byte[] transact(byte[] request);
}
