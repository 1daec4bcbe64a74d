package dev.softkey.usb.client;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.NoReplyException;
import dev.softkey.usb.ctaphid.CtapHidCommand;
import dev.softkey.usb.ctaphid.CtapHidError;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The host side of CTAPHID (CTAP 2.1 section 11.2) over a {@link HidTransport}: allocates a channel
 * with CTAPHID_INIT, fragments requests into an initialization packet and continuation packets,
 * reassembles the response on its channel (ignoring other channels' traffic), follows
 * CTAPHID_KEEPALIVE and turns CTAPHID_ERROR into {@link CtapHidException}.
 *
 * <p>Call {@link #init()} first. One transaction runs at a time; {@link #cancel()} may be called
 * from another thread (or from a {@link KeepaliveListener}) while {@link #cbor} waits. Each
 * transaction must complete within the client's timeout; keepalives do not extend it.
 *
 * <p>As a {@link CtapTransport}, {@link #transact} is {@link #cbor(byte[])}, so {@code
 * WebAuthnClient} runs over a HID device or the UDP simulator unchanged.
 */
public final class CtapHidClient implements CtapTransport, AutoCloseable {
  /** The broadcast channel, used for INIT (CTAP 2.1 section 11.2.9.1.3). */
  public static final int BROADCAST_CID = 0xFFFFFFFF;

  /** Payload bytes in an initialization packet: 64 - 7. */
  public static final int INIT_DATA_SIZE = HidTransport.REPORT_SIZE - 7;

  /** Payload bytes in a continuation packet: 64 - 5. */
  public static final int CONT_DATA_SIZE = HidTransport.REPORT_SIZE - 5;

  /** The largest message: one initialization packet and 128 continuation packets (7609 bytes). */
  public static final int MAX_PAYLOAD = INIT_DATA_SIZE + 128 * CONT_DATA_SIZE;

  /** The timeout used when none is set. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final HidTransport transport;
  private final RandomSource random;
  private final Clock clock;
  private final Duration timeout;
  private final KeepaliveListener defaultListener;
  private final Object transactionLock = new Object();
  private final Object writeLock = new Object();
  private volatile Optional<InitResponse> channel = Optional.empty();

  private CtapHidClient(Builder b) {
    this.transport = b.transport;
    this.random = b.random;
    this.clock = b.clock;
    this.timeout = b.timeout;
    this.defaultListener = b.keepaliveListener;
  }

  /** A client with secure randomness, the system clock and {@link #DEFAULT_TIMEOUT}. */
  public static CtapHidClient of(HidTransport transport) {
    return builder(transport).build();
  }

  public static Builder builder(HidTransport transport) {
    return new Builder(transport);
  }

  /** Options of a {@link CtapHidClient}. */
  public static final class Builder {
    private final HidTransport transport;
    private RandomSource random = RandomSource.secure();
    private Clock clock = Clock.systemUTC();
    private Duration timeout = DEFAULT_TIMEOUT;
    private KeepaliveListener keepaliveListener = KeepaliveListener.NONE;

    private Builder(HidTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** Where INIT nonces come from (default: secure). */
    public Builder random(RandomSource r) {
      this.random = Objects.requireNonNull(r, "random");
      return this;
    }

    /** The clock that times transactions out (default: system UTC). */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** How long one transaction may take, keepalives included (default: 30 s). */
    public Builder timeout(Duration t) {
      if (t.isNegative() || t.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = t;
      return this;
    }

    /** The listener {@link #transact} and {@link CtapHidClient#cbor(byte[])} use. */
    public Builder keepaliveListener(KeepaliveListener l) {
      this.keepaliveListener = Objects.requireNonNull(l, "keepaliveListener");
      return this;
    }

    public CtapHidClient build() {
      return new CtapHidClient(this);
    }
  }

  /** The transport, e.g. for {@link HidTransport#describe()}. */
  public HidTransport transport() {
    return transport;
  }

  /** The last INIT response, empty before {@link #init()}. */
  public Optional<InitResponse> initResponse() {
    return channel;
  }

  /**
   * CTAPHID_INIT on the broadcast channel (CTAP 2.1 section 11.2.9.1.3): allocates a channel and
   * makes it this client's channel for the commands that follow. Calling it again allocates a new
   * channel.
   */
  public InitResponse init() {
    synchronized (transactionLock) {
      // Step 1: a fresh 8-byte nonce; the device echoes it, which tells our answer from another
      // host's INIT answer on the broadcast channel.
      byte[] nonce = random.bytes(InitResponse.NONCE_LENGTH);
      long deadline = deadline();
      send(BROADCAST_CID, CtapHidCommand.INIT, nonce);
      while (true) {
        byte[] payload = receive(BROADCAST_CID, CtapHidCommand.INIT, KeepaliveListener.NONE, deadline);
        // Step 2: skip responses whose nonce is not ours.
        if (payload.length < InitResponse.NONCE_LENGTH
            || !Arrays.equals(payload, 0, InitResponse.NONCE_LENGTH, nonce, 0, InitResponse.NONCE_LENGTH)) {
          continue;
        }
        InitResponse r = InitResponse.parse(payload);
        // Step 3: 0 and 0xFFFFFFFF are reserved, never allocated.
        if (r.channelId() == 0 || r.channelId() == BROADCAST_CID) {
          throw new HidTransportException(
              String.format("CTAPHID_INIT allocated the reserved channel 0x%08X", r.channelId()));
        }
        channel = Optional.of(r);
        return r;
      }
    }
  }

  /** CTAPHID_PING (section 11.2.9.1.4): sends {@code data} and returns what the device echoes. */
  public byte[] ping(byte[] data) {
    return transaction(CtapHidCommand.PING, data, KeepaliveListener.NONE);
  }

  /** CTAPHID_WINK (section 11.2.9.2.1): asks the device to show itself. */
  public void wink() {
    transaction(CtapHidCommand.WINK, new byte[0], KeepaliveListener.NONE);
  }

  /**
   * CTAPHID_LOCK (section 11.2.9.2.2): locks the device to this channel for {@code seconds}
   * (0 releases the lock, at most 10).
   */
  public void lock(int seconds) {
    if (seconds < 0 || seconds > 10) {
      throw new IllegalArgumentException("lock time must be 0 to 10 seconds, not " + seconds);
    }
    transaction(CtapHidCommand.LOCK, new byte[] {(byte) seconds}, KeepaliveListener.NONE);
  }

  /**
   * CTAPHID_MSG (section 11.2.9.1.1): one U2F (CTAP1) APDU; returns the response data and status
   * word.
   */
  public byte[] msg(byte[] apdu) {
    return transaction(CtapHidCommand.MSG, apdu, defaultListener);
  }

  /**
   * CTAPHID_CBOR (section 11.2.9.1.2) with the client's keepalive listener: {@code request} is the
   * CTAP2 command byte and its CBOR parameters; the answer is the status byte and the CBOR
   * response.
   */
  public byte[] cbor(byte[] request) {
    return cbor(request, defaultListener);
  }

  /** CTAPHID_CBOR, telling {@code listener} about each KEEPALIVE while waiting. */
  public byte[] cbor(byte[] request, KeepaliveListener listener) {
    byte[] response = transaction(CtapHidCommand.CBOR, request, listener);
    if (response.length == 0) {
      throw new HidTransportException("CTAPHID_CBOR response without a status byte");
    }
    return response;
  }

  /**
   * {@link CtapTransport}: {@link #cbor(byte[])}; the client's timeout expiring is {@link
   * NoReplyException}, which the platform reports as NotAllowedError.
   */
  @Override
  public byte[] transact(byte[] request) {
    try {
      return cbor(request);
    } catch (HidTimeoutException e) {
      throw new NoReplyException(e.getMessage(), e);
    }
  }

  /**
   * CTAPHID_CANCEL (section 11.2.9.1.5): asks the device to abandon the pending CBOR request on
   * this channel, which then answers CTAP2_ERR_KEEPALIVE_CANCEL. Sends one packet and returns;
   * the device sends no response to CANCEL itself. Safe to call from another thread.
   */
  public void cancel() {
    send(channelId(), CtapHidCommand.CANCEL, new byte[0]);
  }

  /** Closes the transport. */
  @Override
  public void close() {
    transport.close();
  }

  // --- framing -----------------------------------------------------------------------------------

  private int channelId() {
    return channel
        .map(InitResponse::channelId)
        .orElseThrow(() -> new IllegalStateException("no CTAPHID channel: call init() first"));
  }

  private long deadline() {
    return clock.millis() + timeout.toMillis();
  }

  private byte[] transaction(CtapHidCommand cmd, byte[] payload, KeepaliveListener listener) {
    synchronized (transactionLock) {
      int cid = channelId();
      long deadline = deadline();
      send(cid, cmd, payload);
      return receive(cid, cmd, listener, deadline);
    }
  }

  /**
   * Sends one message (CTAP 2.1 section 11.2.4): an initialization packet with CID, CMD, BCNT and
   * the first 57 bytes, then continuation packets with SEQ 0, 1, ... and 59 bytes each.
   */
  private void send(int cid, CtapHidCommand cmd, byte[] payload) {
    if (payload.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "CTAPHID message of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
    }
    synchronized (writeLock) {
      byte[] p = new byte[HidTransport.REPORT_SIZE];
      putCid(p, cid);
      p[4] = (byte) cmd.code();
      p[5] = (byte) (payload.length >>> 8);
      p[6] = (byte) payload.length;
      int n = Math.min(INIT_DATA_SIZE, payload.length);
      System.arraycopy(payload, 0, p, 7, n);
      transport.write(p);
      int off = n;
      for (int seq = 0; off < payload.length; seq++) {
        byte[] c = new byte[HidTransport.REPORT_SIZE];
        putCid(c, cid);
        c[4] = (byte) seq;
        int m = Math.min(CONT_DATA_SIZE, payload.length - off);
        System.arraycopy(payload, off, c, 5, m);
        transport.write(c);
        off += m;
      }
    }
  }

  /**
   * Reads the response to {@code cmd} on {@code cid}: packets of other channels and stray
   * continuation packets are skipped, KEEPALIVE goes to the listener, ERROR throws.
   */
  private byte[] receive(int cid, CtapHidCommand cmd, KeepaliveListener listener, long deadline) {
    while (true) {
      byte[] p = readPacket(deadline, cmd);
      if (cid(p) != cid || (p[4] & 0x80) == 0) {
        continue;
      }
      int command = p[4] & 0xFF;
      int bcnt = ((p[5] & 0xFF) << 8) | (p[6] & 0xFF);
      if (command == CtapHidCommand.KEEPALIVE.code()) {
        listener.onKeepalive(bcnt > 0 ? p[7] & 0xFF : 0);
        continue;
      }
      if (command == CtapHidCommand.ERROR.code()) {
        throw new CtapHidException(bcnt > 0 ? p[7] & 0xFF : CtapHidError.ERR_OTHER.code());
      }
      if (command != cmd.code()) {
        throw new HidTransportException(
            String.format(
                "expected a CTAPHID_%s response, got command 0x%02X", cmd.name(), command));
      }
      if (bcnt > MAX_PAYLOAD) {
        throw new HidTransportException("CTAPHID response announces " + bcnt + " bytes");
      }
      return reassemble(p, cid, bcnt, cmd, deadline);
    }
  }

  private byte[] reassemble(byte[] first, int cid, int bcnt, CtapHidCommand cmd, long deadline) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bcnt);
    out.write(first, 7, Math.min(INIT_DATA_SIZE, bcnt));
    for (int seq = 0; out.size() < bcnt; ) {
      byte[] c = readPacket(deadline, cmd);
      if (cid(c) != cid) {
        continue;
      }
      if ((c[4] & 0x80) != 0) {
        throw new HidTransportException(
            String.format(
                "CTAPHID_%s response interrupted by command 0x%02X after %d of %d bytes",
                cmd.name(), c[4] & 0xFF, out.size(), bcnt));
      }
      if ((c[4] & 0xFF) != seq) {
        throw new HidTransportException(
            String.format(
                "CTAPHID continuation packet out of order: SEQ %d, expected %d", c[4] & 0xFF, seq));
      }
      out.write(c, 5, Math.min(CONT_DATA_SIZE, bcnt - out.size()));
      seq++;
    }
    return out.toByteArray();
  }

  private byte[] readPacket(long deadline, CtapHidCommand cmd) {
    while (true) {
      long remaining = deadline - clock.millis();
      if (remaining <= 0) {
        throw new HidTimeoutException(
            String.format(
                "no CTAPHID_%s answer from %s within %s",
                cmd.name(), transport.describe(), humanDuration(timeout)));
      }
      Optional<byte[]> p = transport.read(Duration.ofMillis(remaining));
      if (p.isPresent()) {
        byte[] r = p.get();
        if (r.length != HidTransport.REPORT_SIZE) {
          throw new HidTransportException("HID report of " + r.length + " bytes, expected 64");
        }
        return r;
      }
    }
  }

  private static String humanDuration(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static int cid(byte[] p) {
    return ((p[0] & 0xFF) << 24) | ((p[1] & 0xFF) << 16) | ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
  }

  private static void putCid(byte[] p, int cid) {
    p[0] = (byte) (cid >>> 24);
    p[1] = (byte) (cid >>> 16);
    p[2] = (byte) (cid >>> 8);
    p[3] = (byte) cid;
  }
}
