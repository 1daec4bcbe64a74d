package dev.softkey.hybrid.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.UserIdentity;
import dev.softkey.core.Authenticator;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.testing.OneUserCredentialRepository;
import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.hybrid.ble.InProcessRadio;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.qr.QrPayload;
import dev.softkey.hybrid.qr.RequestType;
import dev.softkey.hybrid.tunnel.ContactDirectory;
import dev.softkey.hybrid.tunnel.TunnelServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole hybrid flow offline: initiator, phone and tunnel server on loopback over real
 * WebSockets, the radio in-process; the WebAuthn results verified by java-webauthn-server; then a
 * linked (state-assisted) sign-in with the linking information from the QR transaction.
 */
class HybridEndToEndTest {
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final AtomicReference<HybridAuthenticator> phoneRef = new AtomicReference<>();
  private final TunnelServer server =
      TunnelServer.start(
          new InetSocketAddress("127.0.0.1", 0),
          TunnelServer.Limits.DEFAULT,
          Optional.empty(),
          id -> Optional.ofNullable(phoneRef.get()).flatMap(p -> p.contacts(e -> null).find(id)));
  private final InProcessRadio radio = new InProcessRadio();
  private final HybridOptions options =
      HybridOptions.loopback(URI.create("ws://127.0.0.1:" + server.port())).withLog(log::add);
  private final MemoryStore store = new MemoryStore();
  private final Authenticator key = Authenticator.builder().store(store).seed(7).build();
  private final HybridAuthenticator phone = new HybridAuthenticator(key, store, radio, RandomSource.seeded(8), options, "softkey phone");
  private final HybridInitiator desktop = new HybridInitiator(radio, RandomSource.secure(), options);

  private final ByteArray userHandle = new ByteArray(new byte[] {1, 2, 3, 4});
  private final OneUserCredentialRepository repo = new OneUserCredentialRepository("alice", userHandle);
  private final RelyingParty rp =
      RelyingParty.builder()
          .identity(RelyingPartyIdentity.builder().id("example.com").name("Example").build())
          .credentialRepository(repo)
          .origins(Set.of("https://example.com"))
          .build();

  HybridEndToEndTest() {
    phoneRef.set(phone);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CompletableFuture<HybridAuthenticator.Outcome> phoneScans(String url) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return phone.serveQr(url);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
  }

  @Test
  void qrRegistrationThenSignIn_verifiedByJavaWebauthnServer_thenLinkedSignIn() throws Exception {
    // Registration over a QR transaction that offers linking.
    HybridInitiator.Pending pending = desktop.startQr(RequestType.MAKE_CREDENTIAL, true);
    assertThat(pending.fidoUrl()).startsWith("FIDO:/");
    CompletableFuture<HybridAuthenticator.Outcome> served = phoneScans(pending.fidoUrl());
    PublicKeyCredentialCreationOptions createOptions =
        rp.startRegistration(
            StartRegistrationOptions.builder().user(UserIdentity.builder().name("alice").displayName("Alice").id(userHandle).build()).build());
    LinkInfo link;
    try (HybridChannel channel = pending.connect()) {
      RegistrationResponse reg =
          WebAuthnClient.builder(channel).transports(List.of("hybrid")).build().create(createOptions.toCredentialsCreateJson(), "https://example.com", Optional.empty());
      RegistrationResult result =
          rp.finishRegistration(
              FinishRegistrationOptions.builder().request(createOptions).response(PublicKeyCredential.parseRegistrationResponseJson(reg.toJson())).build());
      repo.register(result);
      link = channel.linkInfo().orElseThrow();
    }
    assertThat(served.get(10, TimeUnit.SECONDS).linkingSent()).isTrue();
    assertThat(link.name()).isEqualTo("softkey phone");

    // Sign-in over a second QR transaction.
    HybridInitiator.Pending second = desktop.startQr(RequestType.GET_ASSERTION, false);
    CompletableFuture<HybridAuthenticator.Outcome> served2 = phoneScans(second.fidoUrl());
    try (HybridChannel channel = second.connect()) {
      assertSignIn(channel);
    }
    assertThat(served2.get(10, TimeUnit.SECONDS).ctapRequests()).isEqualTo(1);

    // Linked sign-in: no QR code, the tunnel's contact endpoint wakes the phone.
    try (HybridChannel channel = desktop.connectLinked(link, RequestType.GET_ASSERTION)) {
      assertSignIn(channel);
    }
    assertThat(log).anyMatch(l -> l.contains("NKpsk0"));
  }

  private void assertSignIn(HybridChannel channel) throws Exception {
    AssertionRequest request = rp.startAssertion(StartAssertionOptions.builder().username("alice").build());
    AuthenticationResponse auth =
        WebAuthnClient.builder(channel).build().get(request.toCredentialsGetJson(), "https://example.com", Optional.empty());
    AssertionResult r =
        rp.finishAssertion(
            FinishAssertionOptions.builder().request(request).response(PublicKeyCredential.parseAssertionResponseJson(auth.toJson())).build());
    assertThat(r.isSuccess()).isTrue();
  }

  @Test
  void wrongQrSecret_neverHandshakes_andTheServerKeepsServing() throws Exception {
    HybridInitiator.Pending pending = desktop.startQr(RequestType.GET_ASSERTION, false);
    QrPayload real = pending.payload();
    // The phone scans a QR code with another secret: its advert does not decrypt for the desktop.
    QrPayload forged =
        new QrPayload(real.publicKey(), dev.softkey.ctap.model.Bytes.wrap(new byte[16]), real.knownDomainCount(), real.currentTime(),
            real.supportsStateAssisted(), real.requestTypeHint(), real.supportsNonDiscoverableMakeCredential(), real.supportedChannels(), real.unknownKeys());
    HybridOptions shortWait = new HybridOptions(0, options.tunnelOverride(), Duration.ofMillis(800), s -> {});
    HybridAuthenticator impatientPhone = new HybridAuthenticator(key, store, radio, RandomSource.secure(), shortWait, "p");
    CompletableFuture<Object> phoneRun = CompletableFuture.supplyAsync(() -> {
      try {
        return impatientPhone.serveQr(forged);
      } catch (Exception e) {
        return e;
      }
    });
    HybridInitiator impatientDesktop = new HybridInitiator(radio, RandomSource.secure(), shortWait);
    HybridInitiator.Pending p2 = impatientDesktop.startQr(RequestType.GET_ASSERTION, false);
    assertThatThrownBy(p2::connect).isInstanceOf(HybridException.class).hasMessageContaining("no advert");
    assertThat(phoneRun.get(10, TimeUnit.SECONDS)).isInstanceOf(HybridException.class);
    // A good transaction still works on the same server.
    HybridInitiator.Pending ok = desktop.startQr(RequestType.GET_ASSERTION, false);
    CompletableFuture<HybridAuthenticator.Outcome> served = phoneScans(ok.fidoUrl());
    try (HybridChannel channel = ok.connect()) {
      assertThat(channel.transact(new byte[] {0x04})[0]).isZero();
    }
    assertThat(served.get(10, TimeUnit.SECONDS).ctapRequests()).isZero();
  }
}
