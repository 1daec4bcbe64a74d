package dev.softkey.core.interop;

import dev.softkey.core.Authenticator;
import dev.softkey.core.AuthenticatorBuilder;
import dev.softkey.core.OperationContext;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.pin.PlatformPin;
import dev.softkey.core.bio.SimulatedFinger;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.PinTokenProvider;
import dev.softkey.platform.WebAuthnClient;
import java.time.Clock;
import java.util.Optional;

/**
 * One in-memory softkey authenticator with the platform side in front of it: the WebAuthn client,
 * and the PIN client adapted to a {@link PinTokenProvider} the way {@code cli}'s DeviceFactory does
 * (copied here because core tests must not depend on cli). That provider also gets tokens from
 * built-in UV; {@link #clientWithoutUvTokens()} is a CTAP 2.0-style platform that can only send
 * the "uv" option.
 */
final class SoftkeyDevice {
  private final Authenticator authenticator;
  private final MemoryStore store;
  private final PlatformPin pin;
  private final WebAuthnClient client;
  private final WebAuthnClient clientWithoutUvTokens;
  private final RandomSource random;
  private final AttestationCa ca;

  private SoftkeyDevice(Profile profile, long seed, Optional<SimulatedFinger> finger) {
    this.store = new MemoryStore();
    this.random = RandomSource.seeded(seed);
    // The installation's CA, as the CLI's DeviceFactory gives every device: a store of its own and
    // randomness of its own (the device's sequence stays the one the seed gives).
    this.ca = AttestationCa.seeded(new MemoryStore(), seed, Clock.systemUTC());
    AuthenticatorBuilder b = Authenticator.builder().profile(profile).store(store).random(random).attestationCa(ca);
    finger.ifPresent(b::finger);
    this.authenticator = b.build();
    CtapTransport transport = req -> authenticator.process(req, OperationContext.INTERNAL);
    int protocol = profile.getInfo().pinUvAuthProtocols().get(0);
    boolean tokenPermissions =
        profile.getInfo().supports(CtapVersion.FIDO_2_1) || profile.getInfo().supports(CtapVersion.FIDO_2_1_PRE);
    this.pin = new PlatformPin(transport::transact, protocol, tokenPermissions, RandomSource.seeded(seed + 1));
    PinTokenProvider tokens = PinTokenProvider.of(pin);
    this.client = WebAuthnClient.builder(transport).pinTokenProvider(tokens).build();
    PinTokenProvider pinOnly = tokens::token;
    this.clientWithoutUvTokens = WebAuthnClient.builder(transport).pinTokenProvider(pinOnly).build();
  }

  /** The generic profile with another default attestation kind ("packed", "self", "none", "fido-u2f"). */
  static Profile genericWithAttestation(String kind) {
    return Profiles.defaultProfile().toBuilder().attestation(AttestationFormat.fromJsonName(kind).orElseThrow()).build();
  }

  static SoftkeyDevice open(Profile profile, long seed) {
    return new SoftkeyDevice(profile, seed, Optional.empty());
  }

  /** A device of a profile with built-in UV whose sensor has {@code finger} on it. */
  static SoftkeyDevice open(Profile profile, long seed, SimulatedFinger finger) {
    return new SoftkeyDevice(profile, seed, Optional.of(finger));
  }

  /** The bio profile: built-in fingerprint UV, one pre-enrolled template. */
  static Profile bio() {
    return Profiles.builtIn("bio").orElseThrow();
  }

  WebAuthnClient client() {
    return client;
  }

  /** The engine itself (its DeviceControl). */
  Authenticator authenticator() {
    return authenticator;
  }

  /** A client whose PIN provider cannot get tokens from built-in UV, so it sends the "uv" option. */
  WebAuthnClient clientWithoutUvTokens() {
    return clientWithoutUvTokens;
  }

  /** The platform PIN client (getPINRetries, getUVRetries, ...). */
  PlatformPin pin() {
    return pin;
  }

  /** authenticatorClientPIN setPIN through the platform PIN client. */
  void setPin(String newPin) {
    pin.setPin(newPin);
  }

  /** The exported attestation root certificate (DER) of this authenticator's CA. */
  Bytes rootCertificate() {
    return ca.rootCertificate();
  }

  /** This authenticator's attestation CA. */
  AttestationCa ca() {
    return ca;
  }
}
