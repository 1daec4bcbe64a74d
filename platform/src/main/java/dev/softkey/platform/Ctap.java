package dev.softkey.platform;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CtapRequest;
import dev.softkey.ctap.command.ParameterlessRequest;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.WebAuthnException.Name;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The platform's CTAP calls over a {@link CtapTransport}: a request record out, a response record
 * in; a non-zero status becomes the WebAuthnException a browser would reject with, a malformed
 * response UnknownError.
 */
final class Ctap {
  private final CtapTransport transport;
  private final Duration timeout;

  Ctap(CtapTransport transport) {
    this(transport, WebAuthnClient.DEFAULT_TIMEOUT);
  }

  Ctap(CtapTransport transport, Duration timeout) {
    this.transport = transport;
    this.timeout = timeout;
  }

  /** authenticatorGetInfo (CTAP 2.1 section 6.4). */
  AuthenticatorInfo getInfo() {
    CborMap m = body(CtapCommand.GET_INFO, ParameterlessRequest.GET_INFO.encode())
        .orElseThrow(() -> new WebAuthnException(Name.UnknownError, "authenticatorGetInfo returned no data"));
    return AuthenticatorInfo.parse(m);
  }

  /** Parses authenticatorData from a response; a malformed one is UnknownError (the authenticator misbehaved). */
  static AuthenticatorData authenticatorData(Bytes authData) {
    try {
      return AuthenticatorData.parse(authData);
    } catch (CtapException e) {
      throw new WebAuthnException(Name.UnknownError, "authenticator data is malformed: " + e.getMessage());
    }
  }

  private void waitOutTimeout() {
    try {
      Thread.sleep(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends {@code request} and reads the response body with {@code parse}. */
  <R> R call(CtapRequest request, Function<CborMap, R> parse) {
    return read(request.command(), body(request.command(), request.encode()), parse);
  }


  private static <R> R read(CtapCommand command, Optional<CborMap> body, Function<CborMap, R> parse) {
    CborMap m = body.orElseThrow(() -> new WebAuthnException(Name.UnknownError, command + " returned no data"));
    try {
      return parse.apply(m);
    } catch (CtapException e) {
      throw new WebAuthnException(Name.UnknownError, "malformed " + command + " response: " + e.getMessage());
    }
  }

  /**
   * Sends one message; a non-zero status becomes the mapped WebAuthnException, the body is decoded
   * strictly (empty when the authenticator sent the status byte alone).
   */
  private Optional<CborMap> body(CtapCommand command, byte[] request) {
    byte[] response;
    try {
      response = transport.transact(request);
    } catch (CtapException e) {
      throw CtapErrors.toException(e.status());
    } catch (NoReplyException e) {
      throw new WebAuthnException(Name.NotAllowedError, "the authenticator did not answer " + command + ": " + e.getMessage());
    }
    if (response == null) {
      throw new WebAuthnException(Name.UnknownError, "no response to " + command);
    }
    if (response.length == 0) {
      // An in-process device dropped its reply: a browser would wait for its timer to expire.
      waitOutTimeout();
      throw new WebAuthnException(
          Name.NotAllowedError, "the authenticator did not answer " + command + " within " + timeout.toMillis() + " ms");
    }
    int status = response[0] & 0xFF;
    if (status != CtapStatus.CTAP2_OK.code()) {
      throw CtapErrors.toException(status);
    }
    if (response.length == 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(CborDecoder.decodeMap(java.util.Arrays.copyOfRange(response, 1, response.length)));
    } catch (CtapException e) {
      throw new WebAuthnException(Name.UnknownError, "the authenticator's " + command + " response is not valid CTAP2 CBOR: " + e.getMessage());
    }
  }
}
