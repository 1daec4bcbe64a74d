package dev.softkey.core.testing;

import dev.softkey.core.OperationContext;
import dev.softkey.core.cbor.CborMap;
import dev.softkey.core.ctap2.CtapException;
import dev.softkey.core.ctap2.CtapStatus;
import dev.softkey.core.model.Bytes;
import dev.softkey.core.pin.Permission;
import dev.softkey.core.pin.PinUvAuthState;
import java.util.List;
import java.util.Optional;

/** Test double until the real ClientPin is wired: no PIN set, no token ever valid. */
final class NoPinState implements PinUvAuthState {
  @Override public Object clientPin(CborMap request, OperationContext ctx) { throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND); }
  @Override public boolean isPinSet() { return false; }
  @Override public int minPinLength() { return 4; }
  @Override public boolean forcePinChange() { return false; }
  @Override public List<Integer> supportedProtocols() { return List.of(2, 1); }
  @Override public int pinRetries() { return 8; }
  @Override public void verifyToken(long protocol, byte[] message, Bytes p) { throw new CtapException(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID); }
  @Override public boolean tokenHasPermission(Permission p) { return false; }
  @Override public Optional<String> tokenRpId() { return Optional.empty(); }
  @Override public void bindTokenRpId(String rpId) {}
  @Override public boolean tokenUserPresent() { return false; }
  @Override public void clearTokenUserPresent() {}
  @Override public boolean tokenUserVerified() { return false; }
  @Override public void clearTokenUserVerified() {}
  @Override public void clearTokenPermissionsExceptLbw() {}
  @Override public boolean performBuiltInUv(String rpId, OperationContext ctx) { throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_OPTION); }
  @Override public boolean builtInUvEnabled() { return false; }
  @Override public Optional<Boolean> uvOption() { return Optional.empty(); }
  @Override public void powerCycle() {}
  @Override public void reset() {}
}
