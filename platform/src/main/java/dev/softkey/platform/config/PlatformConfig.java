package dev.softkey.platform.config;

import dev.softkey.ctap.command.ConfigRequest;
import dev.softkey.ctap.command.ConfigRequest.SetMinPinLengthParams;
import dev.softkey.ctap.command.CtapReply;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.pin.PinToken;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The platform side of authenticatorConfig (CTAP 2.1 section 6.11): enableEnterpriseAttestation,
 * toggleAlwaysUv and setMinPINLength. Each call takes the pinUvAuthToken to authenticate with: one
 * with the {@code acfg} permission ({@link #PERMISSION}, from {@code
 * PlatformPin.getPinUvAuthToken(pin, Set.of(PERMISSION), Optional.empty())}), or none for an
 * authenticator without a PIN (which then accepts the command unauthenticated unless alwaysUv is
 * on). pinUvAuthParam = authenticate(pinUvAuthToken, 32×0xff || 0x0d || uint8(subCommand) ||
 * subCommandParams).
 *
 * <p>The transport carries a full CTAP request (command byte 0x0d, then CBOR) and returns the full
 * response; a status other than CTAP2_OK surfaces as a {@link dev.softkey.ctap.CtapException}.
 */
public final class PlatformConfig {
  /** The permission a token for authenticatorConfig needs. */
  public static final Permission PERMISSION = Permission.AUTHENTICATOR_CONFIG;

  private final Function<byte[], byte[]> transport;

  public PlatformConfig(Function<byte[], byte[]> transport) {
    this.transport = Objects.requireNonNull(transport);
  }

  /** enableEnterpriseAttestation (0x01, section 6.11.2): getInfo ep becomes true. */
  public void enableEnterpriseAttestation(Optional<PinToken> token) {
    send(ConfigRequest.of(ConfigRequest.SubCommand.ENABLE_ENTERPRISE_ATTESTATION), token);
  }

  /** toggleAlwaysUv (0x02, section 6.11.3): flips getInfo alwaysUv. */
  public void toggleAlwaysUv(Optional<PinToken> token) {
    send(ConfigRequest.of(ConfigRequest.SubCommand.TOGGLE_ALWAYS_UV), token);
  }

  /**
   * setMinPINLength (0x03, section 6.11.4).
   *
   * @param newMinPinLength empty: keep the current minimum (only RP IDs or forceChangePin change)
   * @param rpIds minPinLengthRPIDs, the RP IDs the minPinLength extension may report to (empty: left out)
   * @param forceChangePin true: the PIN must be changed before the next token is issued
   */
  public void setMinPinLength(Optional<PinToken> token, Optional<Integer> newMinPinLength, List<String> rpIds, boolean forceChangePin) {
    SetMinPinLengthParams params =
        new SetMinPinLengthParams(
            newMinPinLength.map(Integer::longValue), rpIds, forceChangePin ? Optional.of(true) : Optional.empty());
    send(ConfigRequest.setMinPinLength(params), token);
  }

  private void send(ConfigRequest request, Optional<PinToken> token) {
    ConfigRequest r =
        token
            .map(t -> request.withPinUvAuth(t.protocol(), t.authenticate(request.pinUvAuthMessage().unsafeArray())))
            .orElse(request);
    CtapReply.body(transport.apply(r.encode()));
  }
}
