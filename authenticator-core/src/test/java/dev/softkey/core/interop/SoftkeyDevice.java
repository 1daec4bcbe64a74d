package dev.softkey.core.interop;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.pin.PlatformPin;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.PinTokenProvider;
import dev.softkey.platform.WebAuthnClient;

/**
 * One in-memory softkey authenticator with the platform side in front of it: the WebAuthn client,
 * and the PIN client adapted to a {@link PinTokenProvider} the way {@code cli}'s DeviceFactory does
 * (copied here because core tests must not depend on cli).
 */
final class SoftkeyDevice {
  private final Authenticator authenticator;
  private final MemoryStore store;
  private final PlatformPin pin;
  private final WebAuthnClient client;

  private SoftkeyDevice(Profile profile, long seed) {
    this.store = new MemoryStore();
    this.authenticator = Authenticator.builder().profile(profile).store(store).seed(seed).build();
    CtapTransport transport = req -> authenticator.process(req, OperationContext.INTERNAL);
    int protocol = profile.getInfo().pinUvAuthProtocols().get(0);
    boolean tokenPermissions =
        profile.getInfo().supports(CtapVersion.FIDO_2_1) || profile.getInfo().supports(CtapVersion.FIDO_2_1_PRE);
    this.pin = new PlatformPin(transport::transact, protocol, tokenPermissions, RandomSource.seeded(seed + 1));
    PinTokenProvider tokens = PinTokenProvider.of(pin);
    this.client = WebAuthnClient.builder(transport).pinTokenProvider(tokens).build();
  }

  /** The generic profile with another default attestation kind ("packed", "self", "none", "fido-u2f"). */
  static Profile genericWithAttestation(String kind) {
    return Profiles.defaultProfile().toBuilder().attestation(AttestationFormat.fromJsonName(kind).orElseThrow()).build();
  }

  static SoftkeyDevice open(Profile profile, long seed) {
    return new SoftkeyDevice(profile, seed);
  }

  WebAuthnClient client() {
    return client;
  }

  /** authenticatorClientPIN setPIN through the platform PIN client. */
  void setPin(String newPin) {
    pin.setPin(newPin);
  }

  /** The exported attestation root certificate (DER) of this authenticator's store. */
  Bytes rootCertificate() {
    var env = authenticator.env();
    return new AttestationCa(env.state(), env.random(), env.clock()).rootCertificate();
  }
}
