package dev.softkey.core.ctap2.getinfo;

import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.core.ctap2.CommandRegistry;
import dev.softkey.ctap.CtapCommand;
import java.util.Optional;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.command.PublicKeyCredentialParameters;
import dev.softkey.core.profile.Quirks;
import dev.softkey.core.profile.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * authenticatorGetInfo (CTAP 2.1 section 6.4), computed from the profile and live state. Members
 * for features the profile's model lacks are omitted, so what is advertised is what works; options
 * come from the registered commands, extensions and their members from the registered extensions.
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
    Profile.GetInfo info = p.getInfo();
    boolean ctap21 = info.supports(CtapVersion.FIDO_2_1);
    // Members a CTAP 2.0-era model does not report (the profile's quirk).
    Set<Quirks.GetInfoMember> omitted = p.quirks().getInfoOmits();
    List<String> versions = new ArrayList<>();
    for (CtapVersion v : info.versions()) {
      // alwaysUv disables CTAP1/U2F (CTAP 2.1 section 7.2.4), so U2F_V2 is not offered meanwhile.
      if (v == CtapVersion.U2F_V2 && env.config().alwaysUv()) {
        continue;
      }
      versions.add(v.wire());
    }
    GetInfoResponse.Builder r = GetInfoResponse.builder(versions, Bytes.fromUuid(p.identity().aaguid()));
    r.options(options());
    env.extensions().contributeToInfo(r); // extensions (0x02) and what they add
    if (!omitted.contains(Quirks.GetInfoMember.MAX_MSG_SIZE)) {
      r.maxMsgSize((long) p.limits().maxMsgSize());
    }
    List<Long> protocols = new ArrayList<>();
    for (int v : env.pin().supportedProtocols()) {
      protocols.add((long) v);
    }
    r.pinUvAuthProtocols(protocols);
    if (!omitted.contains(Quirks.GetInfoMember.MAX_CREDENTIAL_COUNT_IN_LIST)) {
      r.maxCredentialCountInList((long) p.limits().maxCredentialCountInList());
    }
    if (!omitted.contains(Quirks.GetInfoMember.MAX_CREDENTIAL_ID_LENGTH)) {
      r.maxCredentialIdLength((long) p.limits().maxCredentialIdLength());
    }
    if (!omitted.contains(Quirks.GetInfoMember.TRANSPORTS)) {
      List<String> transports = new ArrayList<>();
      for (Transport t : info.transports()) {
        transports.add(t.wire());
      }
      r.transports(transports);
    }
    if (!omitted.contains(Quirks.GetInfoMember.ALGORITHMS)) {
      List<PublicKeyCredentialParameters> algs = new ArrayList<>();
      for (CoseAlgorithm a : info.algorithms()) {
        algs.add(PublicKeyCredentialParameters.publicKey(a.id()));
      }
      r.algorithms(algs);
    }
    // maxSerializedLargeBlobArray (0x0B): with authenticatorLargeBlobs (option largeBlobs).
    if (registry.handler(CtapCommand.LARGE_BLOBS).supported()) {
      p.extensions().largeBlobs().ifPresent(l -> r.maxSerializedLargeBlobArray((long) l.maxSerializedLargeBlobArray()));
    }
    // forcePINChange (0x0C) and minPINLength (0x0D): CTAP 2.1 members; a model that leaves
    // forcePINChange out does so only while it is false; YubiKey 5.4 reports minPINLength on
    // FIDO_2_1_PRE (quirks.getInfoOmits / getInfoAdds).
    boolean forcePinChange = env.pin().forcePinChange();
    if (ctap21 && (forcePinChange || !omitted.contains(Quirks.GetInfoMember.FORCE_PIN_CHANGE))) {
      r.forcePinChange(forcePinChange);
    }
    if ((ctap21 && !omitted.contains(Quirks.GetInfoMember.MIN_PIN_LENGTH))
        || p.quirks().getInfoAdds().contains(Quirks.GetInfoMember.MIN_PIN_LENGTH)) {
      r.minPinLength((long) env.pin().minPinLength());
    }
    // maxRPIDsForSetMinPINLength (0x10): how many RP IDs setMinPINLength's minPinLengthRPIDs may name.
    p.management().config()
        .filter(c -> c.setMinPinLength() && c.maxRpIdsForSetMinPinLength() > 0)
        .ifPresent(c -> r.maxRpIdsForSetMinPinLength((long) c.maxRpIdsForSetMinPinLength()));
    if (info.firmwareVersion().isPresent()) {
      r.firmwareVersion((long) info.firmwareVersion().getAsInt());
    }
    p.management().fingerprint().ifPresent(f -> {
      // A built-in UV method that getPinUvAuthTokenUsingUvWithPermissions uses: how often the
      // platform should ask (1: all retries are internal), and the sensor kind for its dialogs.
      if (!omitted.contains(Quirks.GetInfoMember.PREFERRED_PLATFORM_UV_ATTEMPTS)) {
        r.preferredPlatformUvAttempts((long) f.preferredPlatformUvAttempts());
      }
      if (!omitted.contains(Quirks.GetInfoMember.UV_MODALITY)) {
        r.uvModality((long) f.uvModality());
      }
    });
    // certifications (0x13): informational, as the model's metadata statement gives them.
    info.certifications().ifPresent(c -> {
      Map<Object, Object> m = new TreeMap<>();
      c.forEach((k, v) -> m.put(k, (long) v));
      r.certifications(new CborMap(m));
    });
    if (info.options().rk() && ctap21 && !omitted.contains(Quirks.GetInfoMember.REMAINING_DISCOVERABLE_CREDENTIALS)) {
      r.remainingDiscoverableCredentials((long) Math.max(0, p.limits().maxResidentCredentials() - env.credentials().count()));
    }
    return r.build();
  }

  /**
   * Every option comes from the command that stands behind it (CommandHandler.infoOptions); then
   * the model's quirks: options it leaves out where absence means the same (getInfoOmitsOptions),
   * and options it reports false for a feature it lacks (getInfoFalseOptions).
   */
  private Map<String, Boolean> options() {
    Quirks q = env.profile().quirks();
    Map<String, Boolean> o = new TreeMap<>(registry.infoOptions());
    o.keySet().removeAll(q.getInfoOmitsOptions());
    for (String f : q.getInfoFalseOptions()) {
      o.putIfAbsent(f, false);
    }
    return o;
  }
}
