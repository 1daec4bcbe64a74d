package dev.softkey.core.pin;

import dev.softkey.core.OperationContext;
import dev.softkey.core.cbor.CborDecoder;
import dev.softkey.core.cbor.CborEncoder;
import dev.softkey.core.cbor.CborMap;
import dev.softkey.core.ctap2.CtapException;
import dev.softkey.core.profile.Profile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Fixtures for the PIN tests: a settable clock, the CTAP adapter, profile variants. */
final class PinTestSupport {
  private PinTestSupport() {}

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

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
        Object response = state.clientPin(params, ctx);
        byte[] cbor = response == null ? new byte[0] : CborEncoder.encode(response);
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
  static Profile variant(Profile base, List<String> versions, List<Integer> protocols) {
    return new Profile(
        base.id(), base.description(), base.source(), base.aaguid(), versions, base.algorithms(), protocols,
        base.builtInUv(), base.residentKeys(), base.maxResidentCredentials(), base.maxMsgSize(),
        base.maxCredentialCountInList(), base.maxCredentialIdLength(), base.minPinLength(),
        base.makeCredUvNotRequired(), base.firmwareVersion(), base.attestation(), base.signCounter(),
        base.backupEligible(), base.backupState(), base.transports(), base.usb());
  }

  /** {@code base} with another initial minimum PIN length. */
  static Profile withMinPinLength(Profile base, int minPinLength) {
    return new Profile(
        base.id(), base.description(), base.source(), base.aaguid(), base.versions(), base.algorithms(),
        base.pinUvAuthProtocols(), base.builtInUv(), base.residentKeys(), base.maxResidentCredentials(),
        base.maxMsgSize(), base.maxCredentialCountInList(), base.maxCredentialIdLength(), minPinLength,
        base.makeCredUvNotRequired(), base.firmwareVersion(), base.attestation(), base.signCounter(),
        base.backupEligible(), base.backupState(), base.transports(), base.usb());
  }
}
