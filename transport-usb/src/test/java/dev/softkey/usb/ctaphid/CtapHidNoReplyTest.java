package dev.softkey.usb.ctaphid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.fault.FaultPlan;
import dev.softkey.core.fault.FaultRule;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.usb.backend.UdpBackend;
import dev.softkey.usb.client.CtapHidClient;
import dev.softkey.usb.client.HidTimeoutException;
import dev.softkey.usb.client.InitResponse;
import dev.softkey.usb.client.UdpHidTransport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dropped reply ({@code CtapDevice.NO_REPLY}) over real CTAPHID: the UDP back-end, the real
 * engine behind a fault plan, and the repo's host-side client with its own timeout.
 */
class CtapHidNoReplyTest {
  private static final byte[] GET_INFO = {0x04};

  private FaultPlan plan;
  private UdpBackend backend;
  private CtapHidDevice hid;
  private CtapHidClient client;

  @BeforeEach
  void start() throws Exception {
    Authenticator engine =
        Authenticator.builder()
            .profile(Profiles.defaultProfile())
            .store(new MemoryStore())
            .presence(Presence.approve())
            .random(RandomSource.seeded(7))
            .build();
    plan = new FaultPlan(engine);
    int replyPort;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      replyPort = s.getLocalPort();
    }
    backend = UdpBackend.onLoopback(0, replyPort);
    hid = CtapHidDevice.builder(plan).start(backend);
    InetAddress lo = InetAddress.getLoopbackAddress();
    client =
        CtapHidClient.builder(
                UdpHidTransport.open(new InetSocketAddress(lo, backend.localAddress().orElseThrow().getPort()), new InetSocketAddress(lo, replyPort)))
            .timeout(Duration.ofMillis(700))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    hid.close();
    backend.close();
  }

  @Test
  void droppedReply_sendsNothing_theClientsTimeoutFires_andTheChannelServesTheNextRequest() {
    InitResponse first = client.init();
    plan.add(FaultRule.status(CtapCommand.GET_INFO, CtapStatus.CTAP1_ERR_OTHER).withDropReply(true));

    long start = System.nanoTime();
    assertThatThrownBy(() -> client.cbor(GET_INFO)).isInstanceOf(HidTimeoutException.class);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(650);

    // Same channel, next request: the engine's real answer (not the dropped CTAP1_ERR_OTHER, which
    // would show up here had the device sent it late).
    byte[] info = client.cbor(GET_INFO);
    assertThat(info[0]).isZero();
    assertThat(info.length).isGreaterThan(1);
    assertThat(client.initResponse().orElseThrow().channelId()).isEqualTo(first.channelId());
  }

  @Test
  void afterADroppedReply_aNewInitWorks_andGetsAFreshChannel() {
    InitResponse first = client.init();
    plan.add(FaultRule.dropReply(CtapCommand.GET_INFO));
    assertThatThrownBy(() -> client.cbor(GET_INFO)).isInstanceOf(HidTimeoutException.class);

    InitResponse second = client.init();
    assertThat(second.channelId()).isNotEqualTo(first.channelId());
    assertThat(client.cbor(GET_INFO)[0]).isZero();
  }

  @Test
  void webAuthnClientOverCtapHid_seesADroppedMakeCredentialReplyAsNotAllowedError() {
    client.init();
    plan.add(FaultRule.dropReply(CtapCommand.MAKE_CREDENTIAL));
    WebAuthnClient webauthn = WebAuthnClient.builder(client).build();
    String options =
        "{\"rp\":{\"id\":\"example.com\",\"name\":\"Example\"},\"user\":{\"id\":\"AQID\",\"name\":\"a\",\"displayName\":\"A\"},"
            + "\"challenge\":\"AAECAwQFBgcICQoLDA0ODw\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}]}";
    assertThatThrownBy(() -> webauthn.create(options, "https://example.com", Optional.empty()))
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(WebAuthnException.Name.NotAllowedError));
    // The fault was once: the same options now make a credential.
    assertThat(webauthn.create(options, "https://example.com", Optional.empty()).rawId().length()).isGreaterThan(0);
  }

  @Test
  void aDelayedReply_keepsTheClientWaitingWithKeepalives_andArrives() {
    client.init();
    plan.add(FaultRule.delay(CtapCommand.GET_INFO, Duration.ofMillis(400)));
    long start = System.nanoTime();
    byte[] info = client.cbor(GET_INFO);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(390);
    assertThat(info[0]).isZero();
  }
}
