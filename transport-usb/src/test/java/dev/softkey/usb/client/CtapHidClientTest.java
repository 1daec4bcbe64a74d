package dev.softkey.usb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.testing.CtapHidFraming;
import dev.softkey.core.testing.MutableClock;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.usb.ctaphid.CtapHidCommand;
import dev.softkey.usb.ctaphid.CtapHidError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CtapHidClientTest {
  final FakeCtapHidDevice device = new FakeCtapHidDevice();
  final MutableClock clock = new MutableClock();
  final FakeHidTransport transport = new FakeHidTransport(device, clock);
  final CtapHidClient client =
      CtapHidClient.builder(transport)
          .random(RandomSource.seeded(1))
          .clock(clock)
          .timeout(Duration.ofSeconds(3))
          .build();

  static byte[] sequence(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + 3);
    }
    return b;
  }

  @Nested
  class Init {
    @Test
    void sendsEightByteNonceOnBroadcastChannel_andParsesTheAnswer() {
      InitResponse r = client.init();

      FakeCtapHidDevice.Message m = device.messages.get(0);
      assertThat(m.cid()).isEqualTo(CtapHidClient.BROADCAST_CID);
      assertThat(m.cmd()).isEqualTo(CtapHidCommand.INIT.code());
      assertThat(m.payload()).hasSize(8);
      assertThat(r.nonce().toArray()).isEqualTo(m.payload());
      assertThat(r.channelId()).isEqualTo(0x0A0B0C01);
      assertThat(r.protocolVersion()).isEqualTo(2);
      assertThat(r.deviceVersion()).isEqualTo("5.4.3");
      assertThat(r.hasWink()).isTrue();
      assertThat(r.hasCbor()).isTrue();
      assertThat(r.hasNmsg()).isFalse();
      assertThat(r.capabilityNames()).containsExactly("WINK", "CBOR");
      assertThat(client.initResponse()).contains(r);
    }

    @Test
    void nonceIsFreshEachTime() {
      client.init();
      client.init();

      assertThat(device.messages.get(0).payload()).isNotEqualTo(device.messages.get(1).payload());
      assertThat(client.initResponse().orElseThrow().channelId()).isEqualTo(0x0A0B0C02);
    }

    @Test
    void answersWithAnotherNonceAndOtherChannels_areSkipped() {
      device.noise = true;

      InitResponse r = client.init();

      assertThat(r.channelId()).isEqualTo(0x0A0B0C01);
    }

    @Test
    void laterCommandsUseTheAllocatedChannel() {
      client.init();
      client.wink();

      FakeCtapHidDevice.Message wink = device.messages.get(1);
      assertThat(wink.cid()).isEqualTo(0x0A0B0C01);
      assertThat(wink.cmd()).isEqualTo(CtapHidCommand.WINK.code());
      assertThat(wink.payload()).isEmpty();
    }

    @Test
    void commandsBeforeInit_areRefused() {
      assertThatThrownBy(() -> client.ping(new byte[] {1}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("init()");
      assertThat(device.received).isEmpty();
    }

    @Test
    void parse_rejectsShortPayload() {
      assertThatThrownBy(() -> InitResponse.parse(new byte[16]))
          .isInstanceOf(HidTransportException.class)
          .hasMessageContaining("16 bytes");
    }

    @Test
    void describe_namesChannelVersionAndCapabilities() {
      String d = client.init().describe();

      assertThat(d).contains("0x0A0B0C01").contains("5.4.3").contains("0x05 [WINK, CBOR]");
    }
  }

  @Nested
  class Fragmentation {
    @Test
    void ping_roundTripsEverySizeAroundPacketBoundaries() {
      client.init();
      for (int n : new int[] {0, 1, 56, 57, 58, 57 + 59, 57 + 59 + 1, 1000}) {
        byte[] data = sequence(n);
        assertThat(client.ping(data)).as("%d bytes", n).isEqualTo(data);
      }
    }

    @Test
    void largestMessage_takesOneInitAnd128ContinuationPackets() {
      client.init();
      device.received.clear();
      byte[] data = sequence(CtapHidClient.MAX_PAYLOAD);

      byte[] echo = client.ping(data);

      assertThat(CtapHidClient.MAX_PAYLOAD).isEqualTo(7609);
      assertThat(echo).isEqualTo(data);
      assertThat(device.received).hasSize(129);
      assertThat(device.received.get(0)[5] & 0xFF).isEqualTo(7609 >>> 8);
      assertThat(device.received.get(0)[6] & 0xFF).isEqualTo(7609 & 0xFF);
      for (int i = 1; i < 129; i++) {
        assertThat(device.received.get(i)[4] & 0xFF).isEqualTo(i - 1);
      }
    }

    @Test
    void tooLargeMessage_isRefusedBeforeSending() {
      client.init();
      device.received.clear();

      assertThatThrownBy(() -> client.ping(new byte[CtapHidClient.MAX_PAYLOAD + 1]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(device.received).isEmpty();
    }

    @Test
    void packetsOfOtherChannels_areSkippedDuringReassembly() {
      client.init();
      device.noise = true;
      byte[] data = sequence(300);

      assertThat(client.ping(data)).isEqualTo(data);
    }

    @Test
    void continuationOutOfOrder_isAFramingError() {
      client.init();
      device.scrambleSequence = true;

      assertThatThrownBy(() -> client.ping(sequence(200)))
          .isInstanceOf(HidTransportException.class)
          .hasMessageContaining("SEQ 1, expected 0");
    }
  }

  @Nested
  class Cbor {
    @Test
    void request_travelsWhole_andAnswerComesBack() {
      client.init();
      byte[] request = sequence(150);

      assertThat(client.cbor(request)).isEqualTo(request);
      assertThat(device.messages.get(1).cmd()).isEqualTo(CtapHidCommand.CBOR.code());
      assertThat(device.messages.get(1).payload()).isEqualTo(request);
    }

    @Test
    void keepalives_goToTheListener_thenTheAnswerIsReturned() {
      client.init();
      device.keepalivesBeforeCbor = 3;
      List<Integer> seen = new ArrayList<>();

      byte[] answer = client.cbor(new byte[] {0x04}, seen::add);

      assertThat(answer).containsExactly(0x04);
      assertThat(seen).containsExactly(2, 2, 2);
    }

    @Test
    void builderListener_isUsedByTransact() {
      List<Integer> seen = new ArrayList<>();
      CtapHidClient c =
          CtapHidClient.builder(transport).random(RandomSource.seeded(2)).clock(clock).keepaliveListener(seen::add).build();
      c.init();
      device.keepalivesBeforeCbor = 1;

      c.transact(new byte[] {0x04});

      assertThat(seen).containsExactly(KeepaliveListener.STATUS_UPNEEDED);
    }

    @Test
    void emptyAnswer_isNotAValidCtapResponse() {
      client.init();
      device.cbor = r -> new byte[0];

      assertThatThrownBy(() -> client.cbor(new byte[] {0x04}))
          .isInstanceOf(HidTransportException.class)
          .hasMessageContaining("status byte");
    }

    @Test
    void cancel_sendsCancelOnTheChannelWithoutWaiting() {
      client.init();
      device.received.clear();

      client.cancel();

      assertThat(device.received).hasSize(1);
      byte[] p = device.received.get(0);
      assertThat(CtapHidFraming.cid(p)).isEqualTo(0x0A0B0C01);
      assertThat(p[4] & 0xFF).isEqualTo(CtapHidCommand.CANCEL.code());
      assertThat(p[5] | p[6]).isZero();
      assertThat(transport.toHost).isEmpty();
    }

    @Test
    void cancelFromKeepaliveListener_reachesTheDevice() {
      client.init();
      device.keepalivesBeforeCbor = 2;

      client.cbor(new byte[] {0x01}, s -> client.cancel());

      assertThat(device.messages.stream().filter(m -> m.cmd() == CtapHidCommand.CANCEL.code())).hasSize(2);
    }
  }

  @Nested
  class OtherCommands {
    @Test
    void msg_carriesTheApdu() {
      client.init();
      device.msg = apdu -> new byte[] {0x55, (byte) 0x90, 0x00};

      assertThat(client.msg(new byte[] {0x00, 0x03, 0x00, 0x00})).containsExactly(0x55, 0x90, 0x00);
      assertThat(device.messages.get(1).cmd()).isEqualTo(CtapHidCommand.MSG.code());
    }

    @Test
    void lock_sendsTheSeconds() {
      client.init();

      client.lock(5);

      assertThat(device.messages.get(1).cmd()).isEqualTo(CtapHidCommand.LOCK.code());
      assertThat(device.messages.get(1).payload()).containsExactly(5);
    }

    @Test
    void lock_beyondTenSeconds_isRefused() {
      client.init();

      assertThatThrownBy(() -> client.lock(11)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void close_closesTheTransport() {
      client.close();

      assertThat(transport.closed).isTrue();
    }
  }

  @Nested
  class Errors {
    @Test
    void ctaphidError_becomesCtapHidExceptionWithTheError() {
      client.init();
      device.errorCode = CtapHidError.ERR_CHANNEL_BUSY.code();

      assertThatThrownBy(() -> client.cbor(new byte[] {0x04}))
          .isInstanceOfSatisfying(
              CtapHidException.class,
              e -> {
                assertThat(e.error()).isEqualTo(CtapHidError.ERR_CHANNEL_BUSY);
                assertThat(e.code()).isEqualTo(0x06);
              })
          .hasMessage("CTAPHID_ERROR ERR_CHANNEL_BUSY (0x06)");
    }

    @Test
    void unnamedErrorCode_isErrOtherWithTheRawCode() {
      client.init();
      device.errorCode = 0x7E;

      assertThatThrownBy(() -> client.wink())
          .isInstanceOfSatisfying(
              CtapHidException.class,
              e -> {
                assertThat(e.error()).isEqualTo(CtapHidError.ERR_OTHER);
                assertThat(e.code()).isEqualTo(0x7E);
              });
    }

    @Test
    void silence_timesOutAfterTheConfiguredTime() {
      client.init();
      device.silent = true;
      long before = clock.millis();

      assertThatThrownBy(() -> client.ping(new byte[] {1}))
          .isInstanceOf(HidTimeoutException.class)
          .hasMessage("no CTAPHID_PING answer from fake device within 3 s");
      assertThat(clock.millis() - before).isEqualTo(3000);
    }

    @Test
    void keepalivesDoNotExtendTheTimeout() {
      // A device that keeps saying "processing" forever: each keepalive costs one second.
      HidTransport endless =
          new HidTransport() {
            @Override
            public void write(byte[] report) {}

            @Override
            public Optional<byte[]> read(Duration timeout) {
              clock.advance(Duration.ofSeconds(1));
              return Optional.of(CtapHidFraming.packets(0x0A0B0C01, CtapHidCommand.KEEPALIVE.code(), new byte[] {1}).get(0));
            }

            @Override
            public String describe() {
              return "endless";
            }

            @Override
            public void close() {}
          };
      CtapHidClient c = CtapHidClient.builder(new Forwarding(transport, endless)).clock(clock).timeout(Duration.ofSeconds(5)).build();
      c.init();
      List<Integer> seen = new ArrayList<>();
      ((Forwarding) c.transport()).switchReads();

      assertThatThrownBy(() -> c.cbor(new byte[] {0x04}, seen::add)).isInstanceOf(HidTimeoutException.class);
      assertThat(seen).hasSize(5).containsOnly(KeepaliveListener.STATUS_PROCESSING);
    }

    @Test
    void unexpectedCommandInAnswer_isAFramingError() {
      client.init();
      transport.toHost.add(CtapHidFraming.packets(0x0A0B0C01, CtapHidCommand.WINK.code(), new byte[0]).get(0));
      device.silent = true;

      assertThatThrownBy(() -> client.ping(new byte[] {1}))
          .isInstanceOf(HidTransportException.class)
          .hasMessageContaining("expected a CTAPHID_PING response");
    }
  }

  /** Writes to the fake device; reads from it until switched, then from another transport. */
  static final class Forwarding implements HidTransport {
    final HidTransport first;
    final HidTransport second;
    boolean switched;

    Forwarding(HidTransport first, HidTransport second) {
      this.first = first;
      this.second = second;
    }

    void switchReads() {
      switched = true;
    }

    @Override
    public void write(byte[] report) {
      first.write(report);
    }

    @Override
    public Optional<byte[]> read(Duration timeout) {
      return (switched ? second : first).read(timeout);
    }

    @Override
    public String describe() {
      return "forwarding";
    }

    @Override
    public void close() {}
  }

  @Nested
  class OverWebAuthnClient {
    final Authenticator authenticator =
        Authenticator.builder().presence(Presence.approve()).seed(42).build();

    CtapHidClient clientOnAuthenticator() {
      device.cbor = r -> authenticator.process(r, OperationContext.INTERNAL);
      client.init();
      return client;
    }

    @Test
    void getInfo_travelsThroughCtapHid() {
      AuthenticatorInfo info = WebAuthnClient.builder(clientOnAuthenticator()).build().getInfo();

      assertThat(info.versions()).isNotEmpty();
      assertThat(info.aaguidUuid().orElseThrow().toString()).isEqualTo(authenticator.profile().identity().aaguid().toString());
    }

    @Test
    void create_registersACredentialThroughCtapHid() {
      device.keepalivesBeforeCbor = 1;
      String options =
          "{\"rp\":{\"id\":\"example.com\",\"name\":\"Example\"},\"user\":{\"id\":\"AQID\",\"name\":\"a\",\"displayName\":\"A\"},"
              + "\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}]}";

      RegistrationResponse r =
          WebAuthnClient.builder(clientOnAuthenticator()).build().create(options, "https://example.com", Optional.empty());

      assertThat(r.rawId().length()).isPositive();
      assertThat(r.attestationObject().length()).isGreaterThan(CtapHidClient.INIT_DATA_SIZE);
      assertThat(device.messages.stream().filter(m -> m.cmd() == CtapHidCommand.CBOR.code())).hasSizeGreaterThanOrEqualTo(2);
    }
  }
}
