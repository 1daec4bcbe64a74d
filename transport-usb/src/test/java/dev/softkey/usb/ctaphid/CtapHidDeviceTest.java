package dev.softkey.usb.ctaphid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.Authenticator;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.profile.Quirks;
import dev.softkey.core.testing.MutableClock;
import dev.softkey.usb.ctaphid.HidHost.Message;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CtapHidDeviceTest {
  static final int BROADCAST = CtapHidFrames.BROADCAST_CID;
  static final int ALL_CAPS = CtapHidDevice.CAPABILITY_WINK | CtapHidDevice.CAPABILITY_CBOR;
  static final byte[] GET_INFO = {0x04};
  static final byte[] SELECTION = {0x0B};

  final MutableClock clock = new MutableClock();
  final HidHost host = new HidHost();
  final ExecutorService worker = Executors.newSingleThreadExecutor();
  final AtomicInteger winks = new AtomicInteger();
  CtapHidDevice device;

  @AfterEach
  void stop() {
    if (device != null) {
      device.close();
    }
    worker.shutdownNow();
  }

  static Profile.UsbIdentity identity(int capabilities) {
    return new Profile.UsbIdentity(0x1209, 0xB401, "softkey", "test", List.of(5, 4, 3), capabilities);
  }

  CtapHidDevice start(Authenticator authenticator, int capabilities, Executor executor) {
    device =
        CtapHidDevice.builder(authenticator)
            .identity(identity(capabilities))
            .clock(clock)
            .random(RandomSource.seeded(7))
            .worker(executor)
            .ticker(false)
            .onWink(winks::incrementAndGet)
            .build(host);
    host.attach(device);
    return device;
  }

  CtapHidDevice start() {
    return start(Authenticator.builder().seed(1).build(), ALL_CAPS, worker);
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** An executor that holds tasks until the test runs them, so "processing" lasts as long as needed. */
  static final class HeldExecutor implements Executor {
    final Deque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable r) {
      tasks.add(r);
    }

    synchronized Runnable next() {
      return tasks.removeFirst();
    }
  }

  @Nested
  class Init {
    @Test
    void broadcastInit_allocatesChannel_echoesNonce_reportsVersionAndCapabilities() {
      start();
      byte[] nonce = {9, 8, 7, 6, 5, 4, 3, 2};
      host.write(BROADCAST, CtapHidCommand.INIT, nonce);
      Message m = host.read();
      assertThat(m.cid()).isEqualTo(BROADCAST);
      assertThat(m.cmd()).isEqualTo(0x86);
      assertThat(m.payload().length()).isEqualTo(17);
      assertThat(m.payload().slice(0, 8)).isEqualTo(Bytes.of(nonce));
      int cid = CtapHidFrames.cid(m.payload().slice(8, 12).toArray());
      assertThat(cid).isNotIn(0, BROADCAST);
      assertThat(m.payload().slice(12, 17)).isEqualTo(Bytes.of(new byte[] {2, 5, 4, 3, (byte) ALL_CAPS}));
    }

    @Test
    void everyBroadcastInit_allocatesADifferentChannel() {
      start();
      List<Integer> cids = List.of(host.allocate(), host.allocate(), host.allocate(), host.allocate());
      assertThat(cids).doesNotHaveDuplicates().doesNotContain(0, BROADCAST);
    }

    @Test
    void initOnAllocatedChannel_keepsTheChannelId() {
      start();
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.INIT, new byte[] {1, 1, 1, 1, 1, 1, 1, 1});
      Message m = host.read();
      assertThat(m.cid()).isEqualTo(cid);
      assertThat(CtapHidFrames.cid(m.payload().slice(8, 12).toArray())).isEqualTo(cid);
    }

    @Test
    void initWithoutAnEightByteNonce_isInvalidLen() {
      start();
      host.write(BROADCAST, CtapHidCommand.INIT, new byte[7]);
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_LEN.code());
    }

    @Test
    void resync_initDuringAssembly_dropsThePendingMessage() {
      start();
      int cid = host.allocate();
      host.writeInit(cid, CtapHidCommand.PING.code(), 200, new byte[57]);
      host.write(cid, CtapHidCommand.INIT, new byte[] {4, 4, 4, 4, 4, 4, 4, 4});
      Message m = host.read();
      assertThat(m.cmd()).isEqualTo(CtapHidCommand.INIT.code());
      assertThat(CtapHidFrames.cid(m.payload().slice(8, 12).toArray())).isEqualTo(cid);
      // The old message's continuation is now spurious and ignored.
      host.writeCont(cid, 0, new byte[59]);
      host.assertNothingSent();
      host.write(cid, CtapHidCommand.PING, new byte[] {42});
      assertThat(host.read().payload()).isEqualTo(Bytes.of(new byte[] {42}));
    }

    @Test
    void resync_initDuringProcessing_abandonsTheTransaction() {
      HeldExecutor held = new HeldExecutor();
      start(Authenticator.builder().seed(1).build(), ALL_CAPS, held);
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.CBOR, GET_INFO);
      host.write(cid, CtapHidCommand.INIT, new byte[8]);
      assertThat(host.read().cmd()).isEqualTo(CtapHidCommand.INIT.code());
      held.next().run(); // the abandoned request: no response
      host.assertNothingSent();
      host.write(cid, CtapHidCommand.CBOR, GET_INFO);
      held.next().run();
      assertThat(host.read().payload().get(0)).isZero();
    }
  }

  @Nested
  class Ping {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 57, 58, 59 + 57, 1000, 7609})
    void pingEchoesTheData(int length) {
      start();
      int cid = host.allocate();
      byte[] data = randomBytes(length, length);
      host.write(cid, CtapHidCommand.PING, data);
      Message m = host.read();
      assertThat(m.cid()).isEqualTo(cid);
      assertThat(m.cmd()).isEqualTo(CtapHidCommand.PING.code());
      assertThat(m.payload()).isEqualTo(Bytes.of(data));
    }

    @Test
    void messageOf7610Bytes_isInvalidLen() {
      start();
      int cid = host.allocate();
      host.writeInit(cid, CtapHidCommand.PING.code(), 7610, new byte[57]);
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_LEN.code());
      host.writeCont(cid, 0, new byte[59]);
      host.assertNothingSent();
    }
  }

  @Nested
  class Sequence {
    @Test
    void continuationOutOfSequence_isInvalidSeq_andDropsTheMessage() {
      start();
      int cid = host.allocate();
      host.writeInit(cid, CtapHidCommand.PING.code(), 200, new byte[57]);
      host.writeCont(cid, 0, new byte[59]);
      host.writeCont(cid, 2, new byte[59]);
      Message m = host.read();
      assertThat(m.cid()).isEqualTo(cid);
      assertThat(m.errorCode()).isEqualTo(CtapHidError.ERR_INVALID_SEQ.code());
      host.writeCont(cid, 1, new byte[59]);
      host.assertNothingSent();
    }

    @Test
    void initPacketOtherThanInitDuringAssembly_isInvalidSeq() {
      start();
      int cid = host.allocate();
      host.writeInit(cid, CtapHidCommand.PING.code(), 100, new byte[57]);
      host.write(cid, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_SEQ.code());
      host.write(cid, CtapHidCommand.PING, new byte[] {2});
      assertThat(host.read().payload()).isEqualTo(Bytes.of(new byte[] {2}));
    }

    @Test
    void spuriousContinuation_isIgnored() {
      start();
      int cid = host.allocate();
      host.writeCont(cid, 0, new byte[59]);
      host.writeCont(0x12345678, 5, new byte[59]);
      host.assertNothingSent();
    }
  }

  @Nested
  class Channels {
    @Test
    void reservedChannel_isInvalidChannel() {
      start();
      host.write(0, CtapHidCommand.INIT, new byte[8]);
      Message m = host.read();
      assertThat(m.cid()).isZero();
      assertThat(m.errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CHANNEL.code());
    }

    @Test
    void unallocatedChannel_isInvalidChannel() {
      start();
      host.write(0x01020304, CtapHidCommand.PING, new byte[] {1});
      Message m = host.read();
      assertThat(m.cid()).isEqualTo(0x01020304);
      assertThat(m.errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CHANNEL.code());
    }

    @Test
    void broadcastChannel_acceptsOnlyInit() {
      start();
      host.write(BROADCAST, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CHANNEL.code());
      host.write(BROADCAST, CtapHidCommand.CBOR, GET_INFO);
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CHANNEL.code());
    }

    @Test
    void otherChannelDuringAssembly_isBusy_andTheFirstMessageStillCompletes() {
      start();
      int a = host.allocate();
      int b = host.allocate();
      byte[] data = randomBytes(100, 3);
      List<byte[]> packets = CtapHidFrames.fragment(a, CtapHidCommand.PING.code(), data);
      device.onOutputReport(packets.get(0));
      host.write(b, CtapHidCommand.PING, new byte[] {1});
      Message busy = host.read();
      assertThat(busy.cid()).isEqualTo(b);
      assertThat(busy.errorCode()).isEqualTo(CtapHidError.ERR_CHANNEL_BUSY.code());
      host.write(BROADCAST, CtapHidCommand.INIT, new byte[8]);
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_CHANNEL_BUSY.code());
      device.onOutputReport(packets.get(1));
      Message pong = host.read();
      assertThat(pong.cid()).isEqualTo(a);
      assertThat(pong.payload()).isEqualTo(Bytes.of(data));
    }

    @Test
    void otherChannelsDuringProcessing_areBusy_andSameChannelToo() {
      HeldExecutor held = new HeldExecutor();
      start(Authenticator.builder().seed(1).build(), ALL_CAPS, held);
      int a = host.allocate();
      int b = host.allocate();
      host.write(a, CtapHidCommand.CBOR, GET_INFO);
      host.write(b, CtapHidCommand.PING, new byte[] {1});
      Message m = host.read();
      assertThat(m.cid()).isEqualTo(b);
      assertThat(m.errorCode()).isEqualTo(CtapHidError.ERR_CHANNEL_BUSY.code());
      host.write(a, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_CHANNEL_BUSY.code());
      held.next().run();
      Message info = host.read();
      assertThat(info.cid()).isEqualTo(a);
      assertThat(info.cmd()).isEqualTo(CtapHidCommand.CBOR.code());
      host.write(b, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().cmd()).isEqualTo(CtapHidCommand.PING.code());
    }

    @Test
    void powerCycle_forgetsChannels() {
      start();
      int cid = host.allocate();
      device.onPowerCycle();
      host.write(cid, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CHANNEL.code());
      assertThat(host.allocate()).isNotZero();
    }
  }

  /** The profile's quirk quirks.ctaphidChannelAllocation (strict: CTAP 2.1 section 11.2.3; lenient: Solo 1). */
  @Nested
  class ChannelAllocationQuirk {
    static final int UNALLOCATED = 0x0A0B0C0D;

    CtapHidDevice startWith(Quirks.ChannelAllocation allocation) {
      Profile p = Profiles.defaultProfile().toBuilder().ctaphidChannelAllocation(allocation).build();
      return start(Authenticator.builder().profile(p).seed(1).build(), ALL_CAPS, worker);
    }

    @ParameterizedTest
    @ValueSource(strings = {"generic", "yubikey-5", "bio"})
    void everyBuiltInProfile_isStrict_asBeforeTheQuirk(String id) {
      start(Authenticator.builder().profile(Profiles.builtIn(id).orElseThrow()).seed(1).build(), ALL_CAPS, worker);
      host.write(UNALLOCATED, CtapHidCommand.PING, new byte[] {1});
      Message m = host.read();
      assertThat(m.cid()).isEqualTo(UNALLOCATED);
      assertThat(m.errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CHANNEL.code());
    }

    @Test
    void strict_unallocatedChannel_isInvalidChannel_evenForCbor() {
      startWith(Quirks.ChannelAllocation.STRICT);
      host.write(UNALLOCATED, CtapHidCommand.CBOR, GET_INFO);
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CHANNEL.code());
    }

    @Test
    void lenient_unallocatedChannel_isAllocatedOnFirstUse() {
      startWith(Quirks.ChannelAllocation.LENIENT);
      host.write(UNALLOCATED, CtapHidCommand.PING, new byte[] {1, 2, 3});
      Message pong = host.read();
      assertThat(pong.cid()).isEqualTo(UNALLOCATED);
      assertThat(pong.cmd()).isEqualTo(CtapHidCommand.PING.code());
      assertThat(pong.payload()).isEqualTo(Bytes.of(new byte[] {1, 2, 3}));
      // Once allocated it stays a channel: CTAP2 over it works.
      host.write(UNALLOCATED, CtapHidCommand.CBOR, GET_INFO);
      Message info = host.readSkippingKeepalives();
      assertThat(info.cid()).isEqualTo(UNALLOCATED);
      assertThat(info.cmd()).isEqualTo(CtapHidCommand.CBOR.code());
      assertThat(info.payload().slice(0, 1)).isEqualTo(Bytes.of(new byte[] {0})); // CTAP2_OK
    }

    @Test
    void lenient_initOnAnUnknownChannel_synchronizesToThatChannel() {
      startWith(Quirks.ChannelAllocation.LENIENT);
      host.write(UNALLOCATED, CtapHidCommand.INIT, new byte[] {1, 1, 1, 1, 1, 1, 1, 1});
      Message m = host.read();
      assertThat(m.cid()).isEqualTo(UNALLOCATED);
      assertThat(m.cmd()).isEqualTo(CtapHidCommand.INIT.code());
      assertThat(CtapHidFrames.cid(m.payload().slice(8, 12).toArray())).isEqualTo(UNALLOCATED);
    }

    @Test
    void lenient_reservedAndBroadcastChannels_stayInvalid() {
      startWith(Quirks.ChannelAllocation.LENIENT);
      host.write(0, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CHANNEL.code());
      host.write(BROADCAST, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CHANNEL.code());
    }
  }

  @Nested
  class Timeouts {
    @Test
    void messageThatStopsArriving_timesOutOnTick() {
      start();
      int a = host.allocate();
      host.writeInit(a, CtapHidCommand.PING.code(), 100, new byte[57]);
      clock.advance(CtapHidDevice.DEFAULT_PACKET_TIMEOUT);
      device.tick();
      host.assertNothingSent();
      clock.advance(Duration.ofMillis(1));
      device.tick();
      Message m = host.read();
      assertThat(m.cid()).isEqualTo(a);
      assertThat(m.errorCode()).isEqualTo(CtapHidError.ERR_MSG_TIMEOUT.code());
      host.writeCont(a, 0, new byte[59]); // late: ignored
      host.assertNothingSent();
    }

    @Test
    void timeoutIsNoticedWhenTheNextPacketArrives() {
      start();
      int a = host.allocate();
      int b = host.allocate();
      host.writeInit(a, CtapHidCommand.PING.code(), 100, new byte[57]);
      clock.advance(Duration.ofSeconds(1));
      host.write(b, CtapHidCommand.PING, new byte[] {7});
      Message timeout = host.read();
      assertThat(timeout.cid()).isEqualTo(a);
      assertThat(timeout.errorCode()).isEqualTo(CtapHidError.ERR_MSG_TIMEOUT.code());
      Message pong = host.read();
      assertThat(pong.cid()).isEqualTo(b);
      assertThat(pong.payload()).isEqualTo(Bytes.of(new byte[] {7}));
    }

    @Test
    void slowButSteadyMessage_timesOutAfterTheMessageTimeout() {
      start();
      int a = host.allocate();
      host.writeInit(a, CtapHidCommand.PING.code(), 7609, new byte[57]);
      int seq = 0;
      for (int i = 0; i < 7; i++) { // 7 * 400 ms = 2800 ms: within 3000 ms
        clock.advance(Duration.ofMillis(400));
        host.writeCont(a, seq++, new byte[59]);
      }
      host.assertNothingSent();
      clock.advance(Duration.ofMillis(400));
      host.writeCont(a, seq, new byte[59]);
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_MSG_TIMEOUT.code());
    }
  }

  @Nested
  class Commands {
    @Test
    void unknownCommand_isInvalidCmd() {
      start();
      int cid = host.allocate();
      for (int cmd : new int[] {0x82, 0xC0, 0xFF, CtapHidCommand.KEEPALIVE.code(), CtapHidCommand.ERROR.code()}) {
        host.write(cid, cmd, new byte[] {1});
        Message m = host.read();
        assertThat(m.cid()).isEqualTo(cid);
        assertThat(m.errorCode()).as("command 0x%02x", cmd).isEqualTo(CtapHidError.ERR_INVALID_CMD.code());
      }
    }

    @Test
    void msg_u2fVersion_answersU2fV2() {
      start();
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.MSG, new byte[] {0, 3, 0, 0, 0, 0, 0});
      Message m = host.readSkippingKeepalives();
      assertThat(m.cmd()).isEqualTo(CtapHidCommand.MSG.code());
      assertThat(m.payload()).isEqualTo(Bytes.of(new byte[] {'U', '2', 'F', '_', 'V', '2', (byte) 0x90, 0}));
    }

    @Test
    void msg_withNmsgCapability_isInvalidCmd() {
      start(Authenticator.builder().seed(1).build(), ALL_CAPS | CtapHidDevice.CAPABILITY_NMSG, worker);
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.MSG, new byte[] {0, 3, 0, 0, 0, 0, 0});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CMD.code());
    }

    @Test
    void cbor_getInfo_answersTheProfile() {
      start();
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.CBOR, GET_INFO);
      Message m = host.readSkippingKeepalives();
      assertThat(m.cid()).isEqualTo(cid);
      assertThat(m.cmd()).isEqualTo(CtapHidCommand.CBOR.code());
      assertThat(m.payload().get(0)).isZero();
      byte[] body = m.payload().slice(1, m.payload().length()).toArray();
      CborMap info = CborDecoder.decodeMap(body);
      assertThat(info.list(1)).contains("FIDO_2_1", "U2F_V2");
    }

    @Test
    void cbor_withoutCborCapability_isInvalidCmd() {
      start(Authenticator.builder().seed(1).build(), CtapHidDevice.CAPABILITY_WINK, worker);
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.CBOR, GET_INFO);
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CMD.code());
    }

    @Test
    void wink_answersEmpty_andCounts() {
      start();
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.WINK, new byte[0]);
      Message m = host.read();
      assertThat(m.cmd()).isEqualTo(CtapHidCommand.WINK.code());
      assertThat(m.payload().isEmpty()).isTrue();
      assertThat(device.winkCount()).isEqualTo(1);
      assertThat(winks.get()).isEqualTo(1);
      host.write(cid, CtapHidCommand.WINK, new byte[] {1});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_LEN.code());
      assertThat(device.winkCount()).isEqualTo(1);
    }

    @Test
    void wink_withoutWinkCapability_isInvalidCmd() {
      start(Authenticator.builder().seed(1).build(), CtapHidDevice.CAPABILITY_CBOR, worker);
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.WINK, new byte[0]);
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_CMD.code());
      assertThat(device.winkCount()).isZero();
    }

    @Test
    void lock_makesOtherChannelsBusy_untilItExpires() {
      start();
      int a = host.allocate();
      int b = host.allocate();
      host.write(a, CtapHidCommand.LOCK, new byte[] {5});
      Message locked = host.read();
      assertThat(locked.cmd()).isEqualTo(CtapHidCommand.LOCK.code());
      assertThat(locked.payload().isEmpty()).isTrue();
      host.write(b, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_CHANNEL_BUSY.code());
      host.write(a, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().cmd()).isEqualTo(CtapHidCommand.PING.code());
      clock.advance(Duration.ofMillis(4999));
      host.write(b, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_CHANNEL_BUSY.code());
      clock.advance(Duration.ofMillis(1));
      host.write(b, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().cmd()).isEqualTo(CtapHidCommand.PING.code());
    }

    @Test
    void lockZero_releasesTheLock() {
      start();
      int a = host.allocate();
      int b = host.allocate();
      host.write(a, CtapHidCommand.LOCK, new byte[] {10});
      host.read();
      host.write(a, CtapHidCommand.LOCK, new byte[] {0});
      assertThat(host.read().cmd()).isEqualTo(CtapHidCommand.LOCK.code());
      host.write(b, CtapHidCommand.PING, new byte[] {1});
      assertThat(host.read().cmd()).isEqualTo(CtapHidCommand.PING.code());
    }

    @Test
    void lockOverTenSeconds_isInvalidPar_andWrongLength_isInvalidLen() {
      start();
      int a = host.allocate();
      host.write(a, CtapHidCommand.LOCK, new byte[] {11});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_PAR.code());
      host.write(a, CtapHidCommand.LOCK, new byte[] {1, 1});
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_LEN.code());
      host.write(a, CtapHidCommand.LOCK, new byte[0]);
      assertThat(host.read().errorCode()).isEqualTo(CtapHidError.ERR_INVALID_LEN.code());
    }

    @Test
    void cancelWithNothingPending_getsNoReply() {
      start();
      int a = host.allocate();
      host.write(a, CtapHidCommand.CANCEL, new byte[0]);
      host.write(0x0BADCAFE, CtapHidCommand.CANCEL, new byte[0]);
      host.assertNothingSent();
    }
  }

  @Nested
  class KeepaliveAndCancel {
    @Test
    void keepaliveProcessing_whileTheRequestWaitsForTheWorker() {
      HeldExecutor held = new HeldExecutor();
      start(Authenticator.builder().seed(1).build(), ALL_CAPS, held);
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.CBOR, GET_INFO);
      device.tick();
      host.assertNothingSent();
      clock.advance(CtapHidDevice.DEFAULT_KEEPALIVE_INTERVAL);
      device.tick();
      Message k = host.read();
      assertThat(k.cid()).isEqualTo(cid);
      assertThat(k.cmd()).isEqualTo(CtapHidCommand.KEEPALIVE.code());
      assertThat(k.payload()).isEqualTo(Bytes.of(new byte[] {1}));
      held.next().run();
      assertThat(host.read().cmd()).isEqualTo(CtapHidCommand.CBOR.code());
      clock.advance(Duration.ofSeconds(1));
      device.tick();
      host.assertNothingSent();
    }

    @Test
    void cancelDuringPresenceWait_answersKeepaliveCancel() {
      Authenticator a =
          Authenticator.builder()
              .seed(1)
              .presence(Presence.delayed(Duration.ofSeconds(5), Presence.approve()))
              .build();
      start(a, ALL_CAPS, worker);
      int cid = host.allocate();
      int other = host.allocate();
      host.write(cid, CtapHidCommand.CBOR, SELECTION);
      int upNeeded = 0;
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (upNeeded < 3 && System.nanoTime() < deadline) {
        clock.advance(CtapHidDevice.DEFAULT_KEEPALIVE_INTERVAL);
        device.tick();
        byte[] p = host.poll(20).orElse(null);
        if (p != null) {
          assertThat(CtapHidFrames.cid(p)).isEqualTo(cid);
          assertThat(p[4] & 0xFF).isEqualTo(CtapHidCommand.KEEPALIVE.code());
          assertThat(CtapHidFrames.bcnt(p)).isEqualTo(1);
          if (p[7] == 2) {
            upNeeded++;
          }
        }
      }
      assertThat(upNeeded).as("KEEPALIVE UPNEEDED packets").isEqualTo(3);
      host.write(other, CtapHidCommand.CANCEL, new byte[0]); // another channel cannot cancel
      host.write(cid, CtapHidCommand.CANCEL, new byte[0]);
      Message m = host.readSkippingKeepalives();
      assertThat(m.cid()).isEqualTo(cid);
      assertThat(m.cmd()).isEqualTo(CtapHidCommand.CBOR.code());
      assertThat(m.payload()).isEqualTo(Bytes.of(new byte[] {0x2D}));
    }

    @Test
    void powerCycleDuringPresenceWait_dropsTheResponse() throws Exception {
      Authenticator a =
          Authenticator.builder()
              .seed(1)
              .presence(Presence.delayed(Duration.ofSeconds(5), Presence.approve()))
              .build();
      start(a, ALL_CAPS, worker);
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.CBOR, SELECTION);
      assertThat(host.read().cmd()).isEqualTo(CtapHidCommand.KEEPALIVE.code()); // core is waiting
      long t0 = System.nanoTime();
      device.onPowerCycle(); // waits for the cancelled core call to return
      assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
      worker.submit(() -> {}).get();
      while (true) { // only keepalives: the cancelled request's answer was dropped
        byte[] p = host.poll(0).orElse(null);
        if (p == null) {
          break;
        }
        assertThat(p[4] & 0xFF).isEqualTo(CtapHidCommand.KEEPALIVE.code());
      }
      int again = host.allocate();
      host.write(again, CtapHidCommand.CBOR, GET_INFO);
      Message m = host.readSkippingKeepalives();
      assertThat(m.cid()).isEqualTo(again);
      assertThat(m.payload().get(0)).isZero();
    }
  }

  @Nested
  class Robustness {
    @Test
    void flood_ofRandomAndMalformedReports_leavesTheDeviceWorking() {
      // Requests run on the calling thread, so the flood is deterministic.
      start(Authenticator.builder().seed(1).build(), ALL_CAPS, Runnable::run);
      Random rnd = new Random(20240601);
      int[] commands = {0x81, 0x83, 0x84, 0x86, 0x88, 0x90, 0x91, 0xBB, 0xBF};
      List<Integer> cids = new java.util.ArrayList<>(List.of(0, BROADCAST, 0x01020304));
      for (int i = 0; i < 20_000; i++) {
        int kind = rnd.nextInt(10);
        byte[] report;
        if (kind == 0) {
          report = randomBytes(rnd.nextInt(70), rnd.nextLong()); // any length, any content
        } else {
          report = randomBytes(CtapHidFrames.REPORT_SIZE, rnd.nextLong());
          int cid = rnd.nextInt(4) == 0 ? rnd.nextInt() : cids.get(rnd.nextInt(cids.size()));
          CtapHidFrames.putCid(report, cid);
          if (kind <= 4) { // initialization packet with a plausible command and length
            report[4] = (byte) (rnd.nextInt(3) == 0 ? 0x80 | rnd.nextInt(128) : commands[rnd.nextInt(commands.length)]);
            int bcnt = rnd.nextInt(4) == 0 ? rnd.nextInt(65536) : rnd.nextInt(300);
            report[5] = (byte) (bcnt >>> 8);
            report[6] = (byte) bcnt;
            if ((report[4] & 0xFF) == 0x90 && rnd.nextBoolean()) {
              report[7] = (byte) rnd.nextInt(0x0C); // a real CTAP2 command byte
            }
          } else if (kind <= 8) { // continuation with a small sequence number
            report[4] = (byte) rnd.nextInt(6);
          } else { // INIT on broadcast: more channels to play with
            CtapHidFrames.putCid(report, BROADCAST);
            report[4] = (byte) 0x86;
            report[5] = 0;
            report[6] = 8;
          }
        }
        device.onOutputReport(report);
        if (rnd.nextInt(50) == 0) {
          clock.advance(Duration.ofMillis(rnd.nextInt(2000)));
          device.tick();
        }
        while (true) {
          byte[] sent = host.poll(0).orElse(null);
          if (sent == null) {
            break;
          }
          // learn allocated channels from INIT answers on the broadcast channel
          if (CtapHidFrames.cid(sent) == BROADCAST && (sent[4] & 0xFF) == 0x86 && CtapHidFrames.bcnt(sent) == 17) {
            cids.add(CtapHidFrames.cid(Arrays.copyOfRange(sent, 15, 19)));
          }
        }
      }
      assertThat(host.reportSizes()).allMatch(n -> n == CtapHidFrames.REPORT_SIZE);
      assertThat(cids.size()).as("channels allocated during the flood").isGreaterThan(10);

      clock.advance(Duration.ofSeconds(11)); // past any lock and pending message
      device.tick();
      host.clear();
      int cid = host.allocate();
      host.write(cid, CtapHidCommand.CBOR, GET_INFO);
      Message m = host.readSkippingKeepalives();
      assertThat(m.cid()).isEqualTo(cid);
      assertThat(m.payload().get(0)).isZero();
      assertThat(CborDecoder.decodeMap(m.payload().slice(1, m.payload().length()).toArray()).list(1))
          .contains("FIDO_2_1");
    }

    @Test
    void senderFailure_doesNotEscape() {
      Authenticator a = Authenticator.builder().seed(1).build();
      CtapHidDevice d =
          CtapHidDevice.builder(a)
              .clock(clock)
              .worker(worker)
              .ticker(false)
              .build(r -> {
                throw new IllegalStateException("socket closed");
              });
      d.onOutputReport(CtapHidFrames.fragment(BROADCAST, 0x86, new byte[8]).get(0));
      d.onOutputReport(new byte[0]);
      d.onOutputReport(null);
      d.close();
    }
  }
}
