package dev.softkey.bench;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.command.CtapOptions;
import dev.softkey.ctap.command.CtapReply;
import dev.softkey.ctap.command.GetAssertionRequest;
import dev.softkey.ctap.command.MakeCredentialRequest;
import dev.softkey.ctap.command.MakeCredentialResponse;
import dev.softkey.ctap.command.PublicKeyCredentialDescriptor;
import dev.softkey.ctap.command.PublicKeyCredentialParameters;
import dev.softkey.ctap.command.PublicKeyCredentialRpEntity;
import dev.softkey.ctap.command.PublicKeyCredentialUserEntity;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Optional;

/**
 * The CTAP requests the engine benchmarks send, built once: a non-discoverable makeCredential for
 * {@code bench.example} and a getAssertion naming the credential it made. Up is left to its
 * default (true) and presence always approves, as a touch would.
 */
final class EngineOps {
  static final String RP_ID = "bench.example";

  private EngineOps() {}

  /** A fresh in-memory engine: the default profile with attestation {@code format}, secure randomness. */
  static Authenticator engine(AttestationFormat format, AttestationCa ca) {
    Profile profile = Profiles.defaultProfile().toBuilder().attestation(format).build();
    return Authenticator.builder()
        .profile(profile)
        .store(new MemoryStore())
        .presence(Presence.approve())
        .random(RandomSource.secure())
        .attestationCa(ca)
        .build();
  }

  /** authenticatorMakeCredential for one user and {@code alg}, as command byte + CBOR. */
  static byte[] makeCredential(CoseAlgorithm alg) {
    return new MakeCredentialRequest(
            Bytes.wrap(new byte[32]),
            new PublicKeyCredentialRpEntity(RP_ID, Optional.of("Bench")),
            new PublicKeyCredentialUserEntity(Bytes.wrap(new byte[] {1, 2, 3, 4}), Optional.of("bench"), Optional.of("Bench")),
            List.of(PublicKeyCredentialParameters.publicKey(alg.id())),
            List.of(),
            Optional.empty(),
            CtapOptions.NONE,
            Optional.empty(),
            Optional.empty(),
            Optional.empty())
        .encode();
  }

  /** authenticatorGetAssertion with an allow list of the credential {@code engine} makes now. */
  static byte[] getAssertion(Authenticator engine, CoseAlgorithm alg) {
    byte[] made = ok(engine.process(makeCredential(alg), OperationContext.INTERNAL));
    Bytes authData = MakeCredentialResponse.fromCbor(CtapReply.body(made)).authData();
    Bytes credentialId = AuthenticatorData.parse(authData).attestedCredentialData().orElseThrow().credentialId();
    return new GetAssertionRequest(
            RP_ID,
            Bytes.wrap(new byte[32]),
            List.of(PublicKeyCredentialDescriptor.publicKey(credentialId)),
            Optional.empty(),
            CtapOptions.NONE,
            Optional.empty(),
            Optional.empty())
        .encode();
  }

  /**
   * {@code response} when its status is CTAP2_OK; otherwise a failure, so that an engine that
   * answers with an error never passes for a fast one.
   */
  static byte[] ok(byte[] response) {
    if (response.length == 0 || response[0] != 0) {
      throw new IllegalStateException("the engine answered status 0x" + (response.length == 0 ? "(none)" : Integer.toHexString(response[0] & 0xFF)));
    }
    return response;
  }
}
