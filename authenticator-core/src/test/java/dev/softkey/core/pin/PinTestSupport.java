package dev.softkey.core.pin;

import dev.softkey.platform.pin.PlatformPin;

import dev.softkey.core.OperationContext;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapException;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Fixtures for the PIN tests: the CTAP adapter, profile variants (the clock is core.testing.MutableClock). */
final class PinTestSupport {
  private PinTestSupport() {}

  /**
   * The tiny transport between PlatformPin and ClientPin: command byte 0x06 + CBOR in, status byte
   * + CBOR out, as the dispatcher will do it.
   */
  static Function<byte[], byte[]> adapter(PinUvAuthState state, OperationContext ctx) {
    return request -> {
      if (request.length == 0 || request[0] != PlatformPin.AUTHENTICATOR_CLIENT_PIN) {
        return new byte[] {0x01};
      }
      try {
        CborMap params = CborDecoder.decodeMap(Arrays.copyOfRange(request, 1, request.length));
        java.util.Map<Object, Object> response = state.clientPin(dev.softkey.ctap.command.ClientPinRequest.fromCbor(params), ctx).toCbor();
        byte[] cbor = response.isEmpty() ? new byte[0] : CborEncoder.encode(response);
        byte[] out = new byte[cbor.length + 1];
        System.arraycopy(cbor, 0, out, 1, cbor.length);
        return out;
      } catch (CtapException e) {
        return new byte[] {(byte) e.status().code()};
      }
    };
  }

  static OperationContext transport(String name) {
    return new OperationContext() {
      @Override
      public void keepalive(KeepaliveStatus status) {}

      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public String transport() {
        return name;
      }
    };
  }

  /** {@code base} with other versions and protocols. */
  static Profile variant(Profile base, List<CtapVersion> versions, List<Integer> protocols) {
    return base.toBuilder().versions(versions).pinUvAuthProtocols(protocols).build();
  }
}
