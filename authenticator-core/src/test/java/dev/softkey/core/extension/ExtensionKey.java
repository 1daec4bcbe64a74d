package dev.softkey.core.extension;

import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A key for the extension tests: makeCredential and getAssertion with extension inputs, with or
 * without user verification (a pinUvAuthToken of PIN protocol 2, once a PIN is set).
 */
final class ExtensionKey {
  static final String PIN = "12345678"; // 8 code points: the YubiKey 5 FIPS 5.7 minimum
  static final String RP = "example.com";

  final Device dev;
  final PlatformPin pin;
  private boolean pinSet;

  ExtensionKey(Profile profile) {
    dev = TestDevices.build(profile, Presence.approve());
    // The profile's preferred PIN protocol; 0x09 tokens where getInfo reports pinUvAuthToken (FIDO_2_1), getPinToken otherwise.
    pin = new PlatformPin(
        req -> dev.authenticator().process(req, OperationContext.INTERNAL),
        profile.getInfo().pinUvAuthProtocols().get(0),
        profile.getInfo().supports(CtapVersion.FIDO_2_1),
        RandomSource.seeded(7));
  }

  /** Sets the PIN (needed before any request with UV). */
  ExtensionKey withPin() {
    if (!pinSet) {
      pin.setPin(PIN);
      pinSet = true;
    }
    return this;
  }

  PinToken token(Permission p, String rpId) {
    return pin.getPinUvAuthToken(PIN, Set.of(p), Optional.of(rpId));
  }

  /** makeCredential for {@link #RP}; {@code extensions} may be null; UV through the PIN when asked. */
  CtapTestClient.Response mc(byte[] userId, boolean rk, Map<Object, Object> extensions, boolean uv) {
    return mc(RP, userId, rk, extensions, uv, -7L);
  }

  CtapTestClient.Response mc(String rpId, byte[] userId, boolean rk, Map<Object, Object> extensions, boolean uv, long alg) {
    Map<Object, Object> p = CtapTestClient.makeCredential(rpId, userId, List.of(alg), rk ? CtapTestClient.map("rk", true) : null);
    if (extensions != null) {
      p.put(6L, extensions);
    }
    if (uv) {
      p.put(8L, token(Permission.MAKE_CREDENTIAL, rpId).authenticate(((Bytes) p.get(1L)).toArray()));
      p.put(9L, (long) pin.protocolVersion());
    }
    return dev.client().send(CtapCommand.MAKE_CREDENTIAL, p);
  }

  /** getAssertion for {@link #RP}; {@code allow} and {@code extensions} may be null. */
  CtapTestClient.Response ga(List<Bytes> allow, Map<Object, Object> extensions, boolean uv) {
    Map<Object, Object> p = CtapTestClient.getAssertion(RP, allow, null);
    if (extensions != null) {
      p.put(4L, extensions);
    }
    if (uv) {
      p.put(6L, token(Permission.GET_ASSERTION, RP).authenticate(((Bytes) p.get(2L)).toArray()));
      p.put(7L, (long) pin.protocolVersion());
    }
    return dev.client().send(CtapCommand.GET_ASSERTION, p);
  }

  static AuthenticatorData authData(CborMap response) {
    return AuthenticatorData.parse(response.bytes(2));
  }

  static Bytes credentialId(CborMap mcResponse) {
    return authData(mcResponse).attestedCredentialData().orElseThrow().credentialId();
  }

  /** The authenticator extension outputs of a response (empty map: none, and no ED flag). */
  static Map<Object, Object> outputs(CborMap response) {
    AuthenticatorData ad = authData(response);
    Map<Object, Object> out = ad.extensions().map(m -> m.asMap()).orElse(Map.of());
    if (out.isEmpty() != ((ad.flags() & AuthenticatorData.ED) == 0)) {
      throw new AssertionError("the ED flag disagrees with the extensions in authenticatorData");
    }
    return out;
  }
}
