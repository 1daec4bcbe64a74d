package dev.softkey.core.ctap2.getinfo;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Quirks;
import dev.softkey.core.profile.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    Profile.GetInfo info = p.getInfo();
    boolean ctap21 = info.supports(CtapVersion.FIDO_2_1);
    // Members a CTAP 2.0-era model does not report (the profile's quirk).
    Set<Quirks.GetInfoMember> omitted = p.quirks().getInfoOmits();
    Map<Object, Object> r = new LinkedHashMap<>();
    List<String> versions = new ArrayList<>();
    for (CtapVersion v : info.versions()) {
      versions.add(v.wire());
    }
    r.put(0x01L, versions); // versions
    r.put(0x03L, aaguidBytes(p)); // aaguid
    r.put(0x04L, options()); // options
    if (!omitted.contains(Quirks.GetInfoMember.MAX_MSG_SIZE)) {
      r.put(0x05L, (long) p.limits().maxMsgSize()); // maxMsgSize
    }
    List<Long> protocols = new ArrayList<>();
    for (int v : env.pin().supportedProtocols()) {
      protocols.add((long) v);
    }
    r.put(0x06L, protocols); // pinUvAuthProtocols
    if (!omitted.contains(Quirks.GetInfoMember.MAX_CREDENTIAL_COUNT_IN_LIST)) {
      r.put(0x07L, (long) p.limits().maxCredentialCountInList()); // maxCredentialCountInList
    }
    if (!omitted.contains(Quirks.GetInfoMember.MAX_CREDENTIAL_ID_LENGTH)) {
      r.put(0x08L, (long) p.limits().maxCredentialIdLength()); // maxCredentialIdLength
    }
    if (!omitted.contains(Quirks.GetInfoMember.TRANSPORTS)) {
      List<String> transports = new ArrayList<>();
      for (Transport t : info.transports()) {
        transports.add(t.wire());
      }
      r.put(0x09L, transports); // transports
    }
    if (!omitted.contains(Quirks.GetInfoMember.ALGORITHMS)) {
      List<Object> algs = new ArrayList<>();
      for (CoseAlgorithm a : info.algorithms()) {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("alg", (long) a.id());
        m.put("type", "public-key");
        algs.add(m);
      }
      r.put(0x0AL, algs); // algorithms
    }
    if (ctap21) {
      r.put(0x0CL, env.pin().forcePinChange()); // forcePINChange
      r.put(0x0DL, (long) env.pin().minPinLength()); // minPINLength
    }
    if (info.firmwareVersion().isPresent()) {
      r.put(0x0EL, (long) info.firmwareVersion().getAsInt()); // firmwareVersion
    }
    if (info.options().builtInUv()) {
      r.put(0x11L, 1L); // preferredPlatformUvAttempts
      r.put(0x12L, 0x02L); // uvModality: USER_VERIFY_FINGERPRINT_INTERNAL
    }
    if (info.options().rk() && ctap21) {
      long remaining = Math.max(0, p.limits().maxResidentCredentials() - env.credentials().count());
      r.put(0x14L, remaining); // remainingDiscoverableCredentials
    }
    return r;
  }

  private Map<Object, Object> options() {
    Profile.GetInfo p = env.profile().getInfo();
    Map<Object, Object> o = new TreeMap<>();
    o.put("plat", false);
    o.put("rk", p.options().rk());
    o.put("up", true);
    o.put("clientPin", env.pin().isPinSet());
    env.pin().uvOption().ifPresent(uv -> o.put("uv", uv));
    if (p.supports(CtapVersion.FIDO_2_1)) {
      o.put("pinUvAuthToken", true);
    }
    if (p.options().makeCredUvNotRqd()) {
      o.put("makeCredUvNotRqd", true);
    }
    return o;
  }

  public static Bytes aaguidBytes(Profile p) {
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putLong(p.identity().aaguid().getMostSignificantBits());
    b.putLong(p.identity().aaguid().getLeastSignificantBits());
    return Bytes.wrap(b.array());
  }
}
