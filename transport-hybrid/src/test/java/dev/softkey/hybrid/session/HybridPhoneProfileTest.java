package dev.softkey.hybrid.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import dev.softkey.core.Authenticator;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.OneUserCredentialRepository;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.hybrid.ble.InProcessRadio;
import dev.softkey.hybrid.qr.RequestType;
import dev.softkey.hybrid.tunnel.TunnelServer;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A phone passkey provider profile served as the hybrid phone: a whole QR registration (initiator,
 * phone and tunnel server on loopback, radio in-process) yields the provider's AAGUID, its backup
 * flags (BE/BS set for synced providers, clear for device-bound ones), attestation none, user
 * verification by the phone itself, and a signature counter of 0; java-webauthn-server verifies it.
 */
class HybridPhoneProfileTest {
  private final AtomicReference<HybridAuthenticator> phoneRef = new AtomicReference<>();
  private final TunnelServer server =
      TunnelServer.start(
          new InetSocketAddress("127.0.0.1", 0),
          TunnelServer.Limits.DEFAULT,
          Optional.empty(),
          id -> Optional.ofNullable(phoneRef.get()).flatMap(p -> p.contacts(e -> null).find(id)));
  private final InProcessRadio radio = new InProcessRadio();
  private final HybridOptions options = HybridOptions.loopback(URI.create("ws://127.0.0.1:" + server.port()));

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ms-authenticator-ios, 90a3ccdf-635c-4729-a248-9b709135078f, false",
    "ms-authenticator-android, de1e552d-db1d-4423-a619-566b625cdc84, false",
    "google-password-manager, ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4, true",
    "icloud-keychain, fbfc3007-154e-4ecc-8c0b-6e020557d7bd, true"
  })
  void qrRegistration_yieldsTheProvidersAaguidAndBackupFlags(String profileId, String aaguid, boolean synced) throws Exception {
    Profile profile = Profiles.load(profileId);
    MemoryStore store = new MemoryStore();
    Authenticator key = Authenticator.builder().profile(profile).store(store).seed(11).build();
    HybridAuthenticator phone = new HybridAuthenticator(key, store, radio, RandomSource.seeded(12), options, "softkey " + profileId);
    phoneRef.set(phone);
    HybridInitiator desktop = new HybridInitiator(radio, RandomSource.secure(), options);

    ByteArray userHandle = new ByteArray(new byte[] {9, 8, 7});
    OneUserCredentialRepository repo = new OneUserCredentialRepository("alice", userHandle);
    RelyingParty rp =
        RelyingParty.builder()
            .identity(RelyingPartyIdentity.builder().id("example.com").name("Example").build())
            .credentialRepository(repo)
            .origins(Set.of("https://example.com"))
            // direct: the client keeps the AAGUID (with none it may zero it, WebAuthn L3 section 5.4.7)
            .attestationConveyancePreference(com.yubico.webauthn.data.AttestationConveyancePreference.DIRECT)
            .build();

    HybridInitiator.Pending pending = desktop.startQr(RequestType.MAKE_CREDENTIAL, false);
    CompletableFuture<HybridAuthenticator.Outcome> served =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return phone.serveQr(pending.fidoUrl());
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    PublicKeyCredentialCreationOptions createOptions =
        rp.startRegistration(
            StartRegistrationOptions.builder()
                .user(UserIdentity.builder().name("alice").displayName("Alice").id(userHandle).build())
                .authenticatorSelection(AuthenticatorSelectionCriteria.builder().userVerification(UserVerificationRequirement.REQUIRED).build())
                .build());
    RegistrationResponse reg;
    try (HybridChannel channel = pending.connect()) {
      reg = WebAuthnClient.builder(channel).transports(List.of("hybrid")).build().create(createOptions.toCredentialsCreateJson(), "https://example.com", Optional.empty());
    }
    served.get(10, TimeUnit.SECONDS);

    AuthenticatorData authData = AuthenticatorData.parse(reg.authenticatorData());
    assertThat(authData.attestedCredentialData().orElseThrow().aaguid()).isEqualTo(UUID.fromString(aaguid));
    assertThat(authData.flags() & AuthenticatorData.UV).as("UV by the phone").isNotZero();
    assertThat((authData.flags() & AuthenticatorData.BE) != 0).as("BE").isEqualTo(synced);
    assertThat((authData.flags() & AuthenticatorData.BS) != 0).as("BS").isEqualTo(synced);
    assertThat(authData.signCount()).isZero();

    RegistrationResult result =
        rp.finishRegistration(
            FinishRegistrationOptions.builder().request(createOptions).response(PublicKeyCredential.parseRegistrationResponseJson(reg.toJson())).build());
    assertThat(result.getAaguid().getBytes()).isEqualTo(dev.softkey.ctap.model.Bytes.fromUuid(UUID.fromString(aaguid)).toArray());
    assertThat(result.isBackupEligible()).isEqualTo(synced);
    assertThat(result.isBackedUp()).isEqualTo(synced);
    assertThat(result.isAttestationTrusted()).isFalse(); // attestation none: softkey imitates no vendor's attestation
  }
}
