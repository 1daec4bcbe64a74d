package dev.softkey.core.ctap2.getinfo;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.Profile;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.command.PublicKeyCredentialParameters;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * authenticatorGetInfo (CTAP 2.1 section 6.4), computed from the profile and live state. Members
 * for features softkey does not implement (extensions, credMgmt, largeBlobs, authnrCfg, ep,
 * bioEnroll) are omitted, so what is advertised is what works.
 */
public final class GetInfoHandler {
  private final AuthenticatorEnv env;

  public GetInfoHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  public GetInfoResponse handle() {
    Profile p = env.profile();
    GetInfoResponse.Builder r = GetInfoResponse.builder(p.versions(), aaguidBytes(p));
    r.options(options());
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
      r.preferredPlatformUvAttempts(1L);
      r.uvModality(0x02L); // USER_VERIFY_FINGERPRINT_INTERNAL (FIDO Registry of Predefined Values 3.1)
    }
    if (p.residentKeys() && p.isCtap21()) {
      r.remainingDiscoverableCredentials((long) Math.max(0, p.maxResidentCredentials() - env.credentials().count()));
    }
    return r.build();
  }

  private Map<String, Boolean> options() {
    Profile p = env.profile();
    Map<String, Boolean> o = new TreeMap<>();
    o.put("plat", false);
    o.put("rk", p.residentKeys());
    o.put("up", true);
    o.put("clientPin", env.pin().isPinSet());
    env.pin().uvOption().ifPresent(uv -> o.put("uv", uv));
    if (p.isCtap21()) {
      o.put("pinUvAuthToken", true);
    }
    if (p.makeCredUvNotRequired()) {
      o.put("makeCredUvNotRqd", true);
    }
    return o;
  }

  public static Bytes aaguidBytes(Profile p) {
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putLong(p.aaguid().getMostSignificantBits());
    b.putLong(p.aaguid().getLeastSignificantBits());
    return Bytes.wrap(b.array());
  }
}
