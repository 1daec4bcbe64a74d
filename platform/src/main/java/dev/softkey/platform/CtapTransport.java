package dev.softkey.platform;

/**
 * One CTAP2 exchange with an authenticator, the way a platform sees it: the request is the command
 * byte followed by its CBOR parameters, the response is the status byte followed (on success) by
 * the CBOR response (CTAP 2.1 section 6, "Authenticator API"). An in-process authenticator, a
 * CTAPHID client or a hybrid tunnel can all stand behind it.
 */
@FunctionalInterface
public interface CtapTransport {
  /** Sends one request and returns the complete response; never returns an empty array. */
  byte[] transact(byte[] request);
}
