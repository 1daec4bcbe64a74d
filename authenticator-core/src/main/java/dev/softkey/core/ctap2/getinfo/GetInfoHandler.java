package dev.softkey.core.ctap2.getinfo;

import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.core.ctap2.CommandRegistry;
import dev.softkey.ctap.CtapCommand;
import java.util.Optional;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.pin.ClientPin;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.Profile;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.command.PublicKeyCredentialParameters;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * authenticatorGetInfo (CTAP 2.1 section 6.4), computed from the profile and live state. Members
 * for features softkey does not implement (extensions, credMgmt, largeBlobs, authnrCfg, ep,
 * bioEnroll) are omitted, so what is advertised is what works.
 */
public final class GetInfoHandler implements CommandHandler {
  private final AuthenticatorEnv env;
  private final CommandRegistry registry;

  /** @param registry the commands whose options getInfo reports */
  public GetInfoHandler(AuthenticatorEnv env, CommandRegistry registry) {
    this.env = env;
    this.registry = registry;
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.GET_INFO;
  }

  /** plat and up: a roaming authenticator that tests user presence (CTAP 2.1 section 6.4, options). */
  @Override
  public Map<String, Boolean> infoOptions() {
    return Map.of("plat", false, "up", true);
  }

  @Override
  public Optional<GetInfoResponse> handle(CommandParameters parameters, OperationContext ctx) {
    parameters.none();
    return Optional.of(handle());
  }

  public GetInfoResponse handle() {
    Profile p = env.profile();
    GetInfoResponse.Builder r = GetInfoResponse.builder(p.versions(), aaguidBytes(p));
    r.options(options());
    env.extensions().contributeToInfo(r); // extensions (0x02) and what they add
    r.maxMsgSize((long) p.maxMsgSize());
    List<Long> protocols = new ArrayList<>();
    for (int v : env.pin().supportedProtocols()) {
      protocols.add((long) v);
    }
    r.pinUvAuthProtocols(protocols);
    r.maxCredentialCountInList((long) p.maxCredentialCountInList());
    r.maxCredentialIdLength((long) p.maxCredentialIdLength());
    r.transports(p.transports());
    List<PublicKeyCredentialParameters> algs = new ArrayList<>();
    for (CoseAlgorithm a : p.coseAlgorithms()) {
      algs.add(PublicKeyCredentialParameters.publicKey(a.id()));
    }
    r.algorithms(algs);
    if (p.isCtap21()) {
      r.forcePinChange(env.pin().forcePinChange());
      r.minPinLength((long) env.pin().minPinLength());
    }
    if (p.firmwareVersion() != null) {
      r.firmwareVersion((long) p.firmwareVersion());
    }
    if (p.builtInUv()) {
      // A built-in UV method that getPinUvAuthTokenUsingUvWithPermissions uses: how often the
      // platform should ask (1: all retries are internal), and the sensor kind for its dialogs.
      r.preferredPlatformUvAttempts((long) ClientPin.PREFERRED_PLATFORM_UV_ATTEMPTS);
      r.uvModality(ClientPin.UV_MODALITY_FINGERPRINT_INTERNAL);
    }
    if (p.residentKeys() && p.isCtap21()) {
      r.remainingDiscoverableCredentials((long) Math.max(0, p.maxResidentCredentials() - env.credentials().count()));
    }
    return r.build();
  }

  /** Every option comes from the command that stands behind it (CommandHandler.infoOptions). */
  private Map<String, Boolean> options() {
    return registry.infoOptions();
  }

  public static Bytes aaguidBytes(Profile p) {
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putLong(p.aaguid().getMostSignificantBits());
    b.putLong(p.aaguid().getLeastSignificantBits());
    return Bytes.wrap(b.array());
  }
}
