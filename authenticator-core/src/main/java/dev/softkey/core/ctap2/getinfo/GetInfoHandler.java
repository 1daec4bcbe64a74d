package dev.softkey.core.ctap2.getinfo;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.pin.ClientPin;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.Profile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  public Map<Object, Object> handle() {
    Profile p = env.profile();
    Map<Object, Object> r = new LinkedHashMap<>();
    r.put(0x01L, p.versions()); // versions
    r.put(0x03L, aaguidBytes(p)); // aaguid
    r.put(0x04L, options()); // options
    r.put(0x05L, (long) p.maxMsgSize()); // maxMsgSize
    List<Long> protocols = new ArrayList<>();
    for (int v : env.pin().supportedProtocols()) {
      protocols.add((long) v);
    }
    r.put(0x06L, protocols); // pinUvAuthProtocols
    r.put(0x07L, (long) p.maxCredentialCountInList()); // maxCredentialCountInList
    r.put(0x08L, (long) p.maxCredentialIdLength()); // maxCredentialIdLength
    r.put(0x09L, p.transports()); // transports
    List<Object> algs = new ArrayList<>();
    for (CoseAlgorithm a : p.coseAlgorithms()) {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put("alg", (long) a.id());
      m.put("type", "public-key");
      algs.add(m);
    }
    r.put(0x0AL, algs); // algorithms
    if (p.isCtap21()) {
      r.put(0x0CL, env.pin().forcePinChange()); // forcePINChange
      r.put(0x0DL, (long) env.pin().minPinLength()); // minPINLength
    }
    if (p.firmwareVersion() != null) {
      r.put(0x0EL, (long) p.firmwareVersion()); // firmwareVersion
    }
    if (p.builtInUv()) {
      // A built-in UV method that getPinUvAuthTokenUsingUvWithPermissions uses: how often the
      // platform should ask (1: all retries are internal), and the sensor kind for its dialogs.
      r.put(0x11L, (long) ClientPin.PREFERRED_PLATFORM_UV_ATTEMPTS); // preferredPlatformUvAttempts
      r.put(0x12L, ClientPin.UV_MODALITY_FINGERPRINT_INTERNAL); // uvModality
    }
    if (p.residentKeys() && p.isCtap21()) {
      long remaining = Math.max(0, p.maxResidentCredentials() - env.credentials().count());
      r.put(0x14L, remaining); // remainingDiscoverableCredentials
    }
    return r;
  }

  private Map<Object, Object> options() {
    Profile p = env.profile();
    Map<Object, Object> o = new TreeMap<>();
    o.put("plat", false);
    o.put("rk", p.residentKeys());
    o.put("up", true);
    o.put("clientPin", env.pin().isPinSet());
    // uv: true when built-in UV is configured (the pre-enrolled template), false when supported but
    // not configured, absent without it; it stays true while built-in UV is blocked.
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
