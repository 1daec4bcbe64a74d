package dev.softkey.usb.ctaphid;

import dev.softkey.core.CtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.profile.Profile;
import dev.softkey.usb.backend.HidDeviceBackend;
import dev.softkey.usb.backend.HidReportHandler;
import dev.softkey.usb.backend.HidReportSender;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The device side of CTAPHID (CTAP 2.1 section 11.2): reassembles host packets into messages per
 * channel, answers the HID-level commands itself (INIT, PING, CANCEL, WINK, LOCK, errors) and hands
 * CTAPHID_CBOR and CTAPHID_MSG to the {@link CtapDevice} on a worker, sending KEEPALIVE while the
 * core works. No I/O: reports come in through {@link #onOutputReport} and go out through the {@link
 * HidReportSender}.
 *
 * <p>One transaction at a time across all channels, as a single-threaded key: while a message is
 * being assembled or processed, requests on other channels get ERR_CHANNEL_BUSY (section
 * 11.2.5.1). Thread-safe: reports arrive on a back-end thread, responses and keepalives come from
 * the worker. Time comes only from the injected {@link Clock}; timeouts are checked when a packet
 * arrives and on {@link #tick()}, which the {@link Builder}'s ticker (or a test) calls.
 */
public final class CtapHidDevice implements HidReportHandler, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CtapHidDevice.class.getName());

  /** CTAPHID_INIT capability flag: implements CTAPHID_WINK (section 11.2.9.1.3). */
  public static final int CAPABILITY_WINK = 0x01;

  /** CTAPHID_INIT capability flag: implements CTAPHID_CBOR. */
  public static final int CAPABILITY_CBOR = 0x04;

  /** CTAPHID_INIT capability flag: does not implement CTAPHID_MSG. */
  public static final int CAPABILITY_NMSG = 0x08;

  /** CTAPHID protocol version reported by CTAPHID_INIT (section 11.2.9.1.3). */
  public static final int PROTOCOL_VERSION = 2;

  /**
   * How long a partly received message waits for its next packet. CTAP 2.1 section 11.2.5.2 leaves
   * the value open; this is U2FHID_FRAME_TIMEOUT from the FIDO U2F HID header u2f_hid.h.
   */
  public static final Duration DEFAULT_PACKET_TIMEOUT = Duration.ofMillis(500);

  /** How long a whole message may take to arrive: U2FHID_TRANS_TIMEOUT from u2f_hid.h. */
  public static final Duration DEFAULT_MESSAGE_TIMEOUT = Duration.ofMillis(3000);

  /**
   * Gap between KEEPALIVE packets while the core works; with the ticker's period this keeps every
   * gap under the 100 ms of section 11.2.9.2.1.
   */
  public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofMillis(50);

  /** Period of the {@link Builder}'s ticker. */
  public static final Duration TICK_PERIOD = Duration.ofMillis(25);

  /** After the core last asked for UP_NEEDED, keepalives say UP_NEEDED for this long. */
  private static final long UP_NEEDED_HOLD_MILLIS = 500;

  /** Allocated channels kept; the least recently used one is forgotten beyond this. */
  static final int MAX_CHANNELS = 1024;

  private static final byte[] EMPTY = new byte[0];
  private static final byte[] CBOR_INTERNAL_ERROR = {0x7F}; // CTAP1_ERR_OTHER
  private static final byte[] U2F_INTERNAL_ERROR = {0x6F, 0x00}; // SW_UNKNOWN

  private final CtapDevice authenticator;
  private final Profile.UsbIdentity identity;
  private final HidReportSender sender;
  private final Clock clock;
  private final RandomSource random;
  private final Executor worker;
  private final long packetTimeoutMillis;
  private final long messageTimeoutMillis;
  private final long keepaliveIntervalMillis;
  private final Optional<Runnable> winkListener;
  private final List<ExecutorService> owned = new ArrayList<>();

  private final Object lock = new Object();
  // Guarded by lock.
  private final Map<Integer, Boolean> channels = new LinkedHashMap<>(16, 0.75f, true);
  private Assembly assembly;
  private Transaction transaction;
  private int lockedCid;
  private long lockedUntilMillis;
  private boolean locked;
  private int winkCount;

  /**
   * A device with the default timeouts and keepalive interval. Nobody calls {@link #tick()} for it:
   * the caller schedules it (every {@link #TICK_PERIOD}) or uses {@link #builder}, which does.
   *
   * @param authenticator the CTAP device (the engine, or a decorator in front of it)
   * @param identity CTAPHID INIT device version and capabilities (usually {@code
   *     authenticator.profile().usb()})
   * @param sender where input reports go
   * @param clock time for timeouts, lock and keepalives
   * @param random source of channel IDs
   * @param worker runs the authenticator calls (one at a time is enough)
   */
  public CtapHidDevice(
      CtapDevice authenticator,
      Profile.UsbIdentity identity,
      HidReportSender sender,
      Clock clock,
      RandomSource random,
      Executor worker) {
    this(builder(authenticator).identity(identity).clock(clock).random(random).worker(worker), sender);
  }

  private CtapHidDevice(Builder b, HidReportSender sender) {
    this.authenticator = b.authenticator;
    this.identity = b.identity;
    this.sender = Objects.requireNonNull(sender, "sender");
    this.clock = b.clock;
    this.random = b.random;
    this.packetTimeoutMillis = b.packetTimeout.toMillis();
    this.messageTimeoutMillis = b.messageTimeout.toMillis();
    this.keepaliveIntervalMillis = b.keepaliveInterval.toMillis();
    this.winkListener = b.winkListener;
    if (b.worker.isPresent()) {
      this.worker = b.worker.get();
    } else {
      ExecutorService own = Executors.newSingleThreadExecutor(daemon("ctaphid-worker"));
      owned.add(own);
      this.worker = own;
    }
  }

  /** A builder with defaults: identity from the profile, system clock, secure randomness, own threads. */
  public static Builder builder(CtapDevice authenticator) {
    return new Builder(authenticator);
  }

  /** How many CTAPHID_WINK requests were answered since construction. */
  public int winkCount() {
    synchronized (lock) {
      return winkCount;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // HidReportHandler

  /** One 64-byte packet from the host. Never throws; failures are logged. */
  @Override
  public void onOutputReport(byte[] report) {
    try {
      if (report == null || report.length < 5) {
        return; // not even a CID and a command or sequence byte
      }
      byte[] packet = Arrays.copyOf(report, CtapHidFrames.REPORT_SIZE); // zero-pads short reports
      Runnable followUp;
      synchronized (lock) {
        followUp = onPacket(packet, clock.millis());
      }
      if (followUp != null) {
        followUp.run();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "CTAPHID: report dropped after an internal error: {0}", e.toString());
    }
  }

  /**
   * Unplug and plug back: all channels, a pending message, a lock and the running transaction (its
   * response is dropped and the core sees it cancelled) go, then the core's volatile state.
   */
  @Override
  public void onPowerCycle() {
    try {
      synchronized (lock) {
        abandonTransaction();
        assembly = null;
        channels.clear();
        locked = false;
      }
      // Outside the lock: the core's monitor may be held by a worker that needs the lock to finish.
      authenticator.powerCycle();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "CTAPHID: power cycle failed: {0}", e.toString());
    }
  }

  /**
   * Checks time-driven state against the clock: a message that stopped arriving gets ERR_MSG_TIMEOUT,
   * an expired lock is released, and the running transaction gets its KEEPALIVE. Call it every
   * {@link #TICK_PERIOD} or so. Never throws.
   */
  public void tick() {
    try {
      synchronized (lock) {
        checkTimers(clock.millis());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "CTAPHID: tick failed: {0}", e.toString());
    }
  }

  /** Stops the threads this device started itself (worker and ticker); the running request is cancelled. */
  @Override
  public void close() {
    synchronized (lock) {
      abandonTransaction();
      assembly = null;
    }
    for (ExecutorService e : owned) {
      e.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Packet handling (all under lock). Returns work to run after the lock is released, or null.

  private Runnable onPacket(byte[] packet, long now) {
    checkTimers(now);
    int cid = CtapHidFrames.cid(packet);
    if (!CtapHidFrames.isInit(packet)) {
      return onContinuation(cid, packet, now);
    }
    int cmd = packet[4] & 0xFF;
    boolean cancel = cmd == CtapHidCommand.CANCEL.code();
    // 11.2.9.1.5: the authenticator MUST NOT reply to CTAPHID_CANCEL, whatever it cancelled.
    // 11.2.3: channel 0 is reserved; the broadcast channel is for CTAPHID_INIT only; any other
    // channel must have been allocated by CTAPHID_INIT (or, on a lenient model, is allocated now).
    if (!acceptChannel(cid, cmd)) {
      return cancel ? null : error(cid, CtapHidError.ERR_INVALID_CHANNEL);
    }
    // 11.2.9.2.2: while another channel holds the lock, this one is busy.
    if (locked && lockedCid != cid) {
      return cancel ? null : error(cid, CtapHidError.ERR_CHANNEL_BUSY);
    }
    if (assembly != null) {
      if (assembly.cid != cid) {
        // 11.2.5.1: a transaction is under way on another channel.
        return cancel ? null : error(cid, CtapHidError.ERR_CHANNEL_BUSY);
      }
      // 11.2.4: an initialization packet where a continuation was expected ends the message;
      // CTAPHID_INIT resynchronizes the channel (11.2.9.1.3), anything else is out of sequence.
      assembly = null;
      if (cancel) {
        return null;
      }
      if (cmd != CtapHidCommand.INIT.code()) {
        return error(cid, CtapHidError.ERR_INVALID_SEQ);
      }
    }
    if (transaction != null) {
      if (transaction.cid != cid) {
        return cancel ? null : error(cid, CtapHidError.ERR_CHANNEL_BUSY);
      }
      if (cancel) {
        // 11.2.9.1.5: the pending request answers CTAP2_ERR_KEEPALIVE_CANCEL by itself.
        transaction.cancelled = true;
        return null;
      }
      if (cmd != CtapHidCommand.INIT.code()) {
        return error(cid, CtapHidError.ERR_CHANNEL_BUSY);
      }
      // 11.2.9.1.3: INIT on the channel of a pending transaction aborts it.
      abandonTransaction();
    }
    int bcnt = CtapHidFrames.bcnt(packet);
    if (bcnt > CtapHidFrames.MAX_MESSAGE_SIZE) {
      return cancel ? null : error(cid, CtapHidError.ERR_INVALID_LEN);
    }
    int first = Math.min(bcnt, CtapHidFrames.INIT_DATA_SIZE);
    if (first == bcnt) {
      return onMessage(cid, cmd, Arrays.copyOfRange(packet, 7, 7 + bcnt), now);
    }
    assembly = new Assembly(cid, cmd, bcnt, now);
    assembly.append(packet, 7, first, now);
    return null;
  }

  private Runnable onContinuation(int cid, byte[] packet, long now) {
    if (assembly == null || assembly.cid != cid) {
      return null; // 11.2.4: spurious continuation packets are ignored
    }
    int seq = packet[4] & 0xFF;
    if (seq != assembly.nextSeq) {
      assembly = null;
      return error(cid, CtapHidError.ERR_INVALID_SEQ);
    }
    Assembly a = assembly;
    a.append(packet, 5, Math.min(a.remaining(), CtapHidFrames.CONT_DATA_SIZE), now);
    if (a.remaining() > 0) {
      return null;
    }
    assembly = null;
    return onMessage(a.cid, a.cmd, a.data, now);
  }

  /** Whether packets on {@code cid} are accepted; a lenient device allocates an unknown CID here. */
  private boolean acceptChannel(int cid, int cmd) {
    if (cid == CtapHidFrames.RESERVED_CID) {
      return false;
    }
    if (cid == CtapHidFrames.BROADCAST_CID) {
      return cmd == CtapHidCommand.INIT.code();
    }
    if (channels.get(cid) != null) { // get, not containsKey: keeps the channel recently used
      return true;
    }
    // The profile's quirk: a strict device knows only channels CTAPHID_INIT allocated; a lenient
    // one (Solo 1) allocates any other CID on first use.
    return switch (authenticator.profile().quirks().ctaphidChannelAllocation()) {
      case STRICT -> false;
      case LENIENT -> {
        remember(cid);
        yield true;
      }
    };
  }

  /** A complete message on a valid channel with no transaction under way (11.2.9). */
  private Runnable onMessage(int cid, int cmdByte, byte[] data, long now) {
    Optional<CtapHidCommand> cmd = CtapHidCommand.fromCode(cmdByte);
    if (cmd.isEmpty()) {
      return error(cid, CtapHidError.ERR_INVALID_CMD); // vendor and unknown commands
    }
    int caps = identity.capabilities();
    switch (cmd.get()) {
      case INIT:
        return init(cid, data);
      case PING:
        // 11.2.9.1.4: the data is echoed back unchanged.
        send(cid, CtapHidCommand.PING, data);
        return null;
      case MSG:
        if ((caps & CAPABILITY_NMSG) != 0) {
          return error(cid, CtapHidError.ERR_INVALID_CMD);
        }
        return begin(cid, CtapHidCommand.MSG, data, now);
      case CBOR:
        if ((caps & CAPABILITY_CBOR) == 0) {
          return error(cid, CtapHidError.ERR_INVALID_CMD);
        }
        return begin(cid, CtapHidCommand.CBOR, data, now);
      case CANCEL:
        return null; // nothing pending to cancel, and no reply (11.2.9.1.5)
      case WINK:
        return wink(cid, data, caps);
      case LOCK:
        return lock(cid, data, now);
      default:
        // KEEPALIVE and ERROR only travel from device to host.
        return error(cid, CtapHidError.ERR_INVALID_CMD);
    }
  }

  /** 11.2.9.1.3 CTAPHID_INIT. */
  private Runnable init(int cid, byte[] nonce) {
    // Request: an 8-byte nonce.
    if (nonce.length != 8) {
      return error(cid, CtapHidError.ERR_INVALID_LEN);
    }
    // On the broadcast channel a new channel is allocated; on an allocated channel the channel is
    // resynchronized (its pending message or transaction was dropped before this point) and keeps
    // its CID.
    int newCid = cid == CtapHidFrames.BROADCAST_CID ? allocateChannel() : cid;
    List<Integer> version = identity.deviceVersion();
    byte[] response = new byte[17];
    System.arraycopy(nonce, 0, response, 0, 8);
    response[8] = (byte) (newCid >>> 24);
    response[9] = (byte) (newCid >>> 16);
    response[10] = (byte) (newCid >>> 8);
    response[11] = (byte) newCid;
    response[12] = PROTOCOL_VERSION;
    response[13] = (byte) versionPart(version, 0);
    response[14] = (byte) versionPart(version, 1);
    response[15] = (byte) versionPart(version, 2);
    response[16] = (byte) identity.capabilities();
    send(cid, CtapHidCommand.INIT, response);
    return null;
  }

  private static int versionPart(List<Integer> version, int i) {
    return i < version.size() ? version.get(i) : 0;
  }

  /** A random CID, unique, neither 0 nor broadcast. */
  private int allocateChannel() {
    int cid;
    do {
      byte[] b = random.bytes(4);
      cid = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    } while (cid == CtapHidFrames.RESERVED_CID
        || cid == CtapHidFrames.BROADCAST_CID
        || channels.containsKey(cid));
    remember(cid);
    return cid;
  }

  /** Marks {@code cid} allocated; beyond {@link #MAX_CHANNELS} the least recently used goes. */
  private void remember(int cid) {
    channels.put(cid, Boolean.TRUE);
    if (channels.size() > MAX_CHANNELS) {
      Integer eldest = channels.keySet().iterator().next();
      channels.remove(eldest);
    }
  }

  /** 11.2.9.2.1 CTAPHID_WINK: empty request, empty response, only with the WINK capability. */
  private Runnable wink(int cid, byte[] data, int caps) {
    if ((caps & CAPABILITY_WINK) == 0) {
      return error(cid, CtapHidError.ERR_INVALID_CMD);
    }
    if (data.length != 0) {
      return error(cid, CtapHidError.ERR_INVALID_LEN);
    }
    winkCount++;
    send(cid, CtapHidCommand.WINK, EMPTY);
    return winkListener.map(CtapHidDevice::guarded).orElse(null);
  }

  /** 11.2.9.2.2 CTAPHID_LOCK: one byte, lock time in seconds 0..10; 0 releases the lock. */
  private Runnable lock(int cid, byte[] data, long now) {
    if (data.length != 1) {
      return error(cid, CtapHidError.ERR_INVALID_LEN);
    }
    int seconds = data[0] & 0xFF;
    if (seconds > 10) {
      return error(cid, CtapHidError.ERR_INVALID_PAR);
    }
    if (seconds == 0) {
      locked = false;
    } else {
      locked = true;
      lockedCid = cid;
      lockedUntilMillis = now + seconds * 1000L;
    }
    send(cid, CtapHidCommand.LOCK, EMPTY);
    return null;
  }

  /** CTAPHID_MSG / CTAPHID_CBOR: the transaction runs on the worker; its response comes later. */
  private Runnable begin(int cid, CtapHidCommand cmd, byte[] request, long now) {
    Transaction tx = new Transaction(cid, cmd, request, now);
    transaction = tx;
    return () -> {
      try {
        worker.execute(tx::run);
      } catch (RejectedExecutionException e) {
        LOG.log(Level.WARNING, "CTAPHID: worker refused the request: {0}", e.toString());
        finish(tx, tx.failure());
      }
    };
  }

  private void abandonTransaction() {
    if (transaction != null) {
      transaction.cancelled = true;
      transaction = null;
    }
  }

  private void checkTimers(long now) {
    // 11.2.5.2: a message that stopped arriving is backed out and the channel told so.
    if (assembly != null
        && (now - assembly.lastPacketMillis > packetTimeoutMillis
            || now - assembly.startMillis > messageTimeoutMillis)) {
      int cid = assembly.cid;
      assembly = null;
      error(cid, CtapHidError.ERR_MSG_TIMEOUT);
    }
    if (locked && now >= lockedUntilMillis) {
      locked = false;
    }
    if (transaction != null && now - transaction.lastKeepaliveMillis >= keepaliveIntervalMillis) {
      transaction.sendKeepalive(now);
    }
  }

  /** Sends CTAPHID_ERROR with one byte on the offending channel. */
  private Runnable error(int cid, CtapHidError error) {
    send(cid, CtapHidCommand.ERROR, new byte[] {(byte) error.code()});
    return null;
  }

  private void send(int cid, CtapHidCommand cmd, byte[] payload) {
    for (byte[] packet : CtapHidFrames.fragment(cid, cmd.code(), payload)) {
      try {
        sender.sendInputReport(packet);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "CTAPHID: sending a report failed: {0}", e.toString());
        return;
      }
    }
  }

  /**
   * The worker's result: sent if the transaction is still the current one, and unless it is {@link
   * CtapDevice#NO_REPLY}.
   */
  private void finish(Transaction tx, byte[] response) {
    synchronized (lock) {
      if (transaction != tx) {
        return; // abandoned by INIT, power cycle or close
      }
      transaction = null;
      if (CtapDevice.isNoReply(response)) {
        // A fault plan dropped the reply: nothing goes out, the host's own timeout fires, and the
        // device is idle again for the next request (on this channel or after a new INIT).
        return;
      }
      if (response.length > CtapHidFrames.MAX_MESSAGE_SIZE) {
        LOG.log(Level.WARNING, "CTAPHID: response of {0} bytes does not fit a message", response.length);
        response = tx.failure();
      }
      send(tx.cid, tx.cmd, response);
    }
  }

  private static Runnable guarded(Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "CTAPHID: wink listener failed: {0}", e.toString());
      }
    };
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  // ---------------------------------------------------------------------------------------------

  /** A message being reassembled from an initialization packet and continuation packets. */
  private static final class Assembly {
    final int cid;
    final int cmd;
    final byte[] data;
    final long startMillis;
    long lastPacketMillis;
    int filled;
    int nextSeq;

    Assembly(int cid, int cmd, int length, long now) {
      this.cid = cid;
      this.cmd = cmd;
      this.data = new byte[length];
      this.startMillis = now;
      this.lastPacketMillis = now;
    }

    int remaining() {
      return data.length - filled;
    }

    /** Appends n bytes from packet[from..]; a continuation packet (data at 5) advances SEQ. */
    void append(byte[] packet, int from, int n, long now) {
      System.arraycopy(packet, from, data, filled, n);
      if (from == 5) {
        nextSeq++;
      }
      filled += n;
      lastPacketMillis = now;
    }
  }

  /** A CTAPHID_CBOR or CTAPHID_MSG request in the core: the context the core sees. */
  private final class Transaction implements OperationContext {
    final int cid;
    final CtapHidCommand cmd;
    final byte[] request;
    volatile boolean cancelled;
    // Guarded by lock.
    long lastKeepaliveMillis;
    KeepaliveStatus lastSent;
    KeepaliveStatus coreStatus = KeepaliveStatus.PROCESSING;
    long coreStatusMillis;

    Transaction(int cid, CtapHidCommand cmd, byte[] request, long now) {
      this.cid = cid;
      this.cmd = cmd;
      this.request = request;
      this.lastKeepaliveMillis = now;
      this.coreStatusMillis = now;
    }

    void run() {
      if (cancelled && !isCurrent()) {
        return; // abandoned before it started: the core never sees it
      }
      byte[] response = failure();
      try {
        response =
            cmd == CtapHidCommand.CBOR
                ? authenticator.process(request, this)
                : authenticator.processU2f(request, this);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "CTAPHID: the authenticator failed: {0}", e.getClass().getName());
      } finally {
        finish(this, response);
      }
    }

    private boolean isCurrent() {
      synchronized (lock) {
        return transaction == this;
      }
    }

    byte[] failure() {
      return cmd == CtapHidCommand.CBOR ? CBOR_INTERNAL_ERROR.clone() : U2F_INTERNAL_ERROR.clone();
    }

    /** 11.2.9.2.1 CTAPHID_KEEPALIVE: one status byte, PROCESSING (1) or UPNEEDED (2). */
    void sendKeepalive(long now) {
      KeepaliveStatus status =
          coreStatus == KeepaliveStatus.UP_NEEDED && now - coreStatusMillis <= UP_NEEDED_HOLD_MILLIS
              ? KeepaliveStatus.UP_NEEDED
              : KeepaliveStatus.PROCESSING;
      lastKeepaliveMillis = now;
      lastSent = status;
      send(cid, CtapHidCommand.KEEPALIVE, new byte[] {(byte) status.code()});
    }

    @Override
    public void keepalive(KeepaliveStatus status) {
      synchronized (lock) {
        if (transaction != this) {
          return;
        }
        long now = clock.millis();
        coreStatus = status;
        coreStatusMillis = now;
        // A change of status goes out at once; otherwise at the keepalive interval.
        if (status != lastSent || now - lastKeepaliveMillis >= keepaliveIntervalMillis) {
          sendKeepalive(now);
        }
      }
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public String transport() {
      return "usb";
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Assembles a {@link CtapHidDevice}; every setting has a default. */
  public static final class Builder {
    private final CtapDevice authenticator;
    private Profile.UsbIdentity identity;
    private Clock clock = Clock.systemUTC();
    private RandomSource random;
    private Optional<Executor> worker = Optional.empty();
    private boolean ticker = true;
    private Duration packetTimeout = DEFAULT_PACKET_TIMEOUT;
    private Duration messageTimeout = DEFAULT_MESSAGE_TIMEOUT;
    private Duration keepaliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
    private Optional<Runnable> winkListener = Optional.empty();

    private Builder(CtapDevice authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      this.identity = authenticator.profile().usb();
    }

    /** INIT device version and capabilities; default: the authenticator's profile. */
    public Builder identity(Profile.UsbIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** Default: the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Source of channel IDs; default: {@link RandomSource#secure()}. */
    public Builder random(RandomSource random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Runs the authenticator calls; default: an own daemon thread, stopped by {@link #close()}. */
    public Builder worker(Executor worker) {
      this.worker = Optional.of(worker);
      return this;
    }

    /** Whether the device calls {@link #tick()} itself every {@link #TICK_PERIOD}; default true. */
    public Builder ticker(boolean ticker) {
      this.ticker = ticker;
      return this;
    }

    /** Longest wait for the next packet of a message; default {@link #DEFAULT_PACKET_TIMEOUT}. */
    public Builder packetTimeout(Duration d) {
      this.packetTimeout = positive(d);
      return this;
    }

    /** Longest time for a whole message to arrive; default {@link #DEFAULT_MESSAGE_TIMEOUT}. */
    public Builder messageTimeout(Duration d) {
      this.messageTimeout = positive(d);
      return this;
    }

    /** Gap between keepalives; default {@link #DEFAULT_KEEPALIVE_INTERVAL}. */
    public Builder keepaliveInterval(Duration d) {
      this.keepaliveInterval = positive(d);
      return this;
    }

    /** Called (outside the device's lock) after each answered CTAPHID_WINK. */
    public Builder onWink(Runnable listener) {
      this.winkListener = Optional.of(listener);
      return this;
    }

    /** A device sending through {@code sender}. */
    public CtapHidDevice build(HidReportSender sender) {
      if (random == null) {
        random = RandomSource.secure();
      }
      CtapHidDevice device = new CtapHidDevice(this, sender);
      if (ticker) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(daemon("ctaphid-tick"));
        device.owned.add(s);
        long period = TICK_PERIOD.toMillis();
        s.scheduleAtFixedRate(device::tick, period, period, TimeUnit.MILLISECONDS);
      }
      return device;
    }

    /**
     * Builds the device and starts {@code backend} with it: the back-end's sender is bound once
     * {@link HidDeviceBackend#start} returns; reports the device sends before that are held and
     * then delivered in order.
     */
    public CtapHidDevice start(HidDeviceBackend backend) {
      LateSender late = new LateSender();
      CtapHidDevice device = build(late);
      try {
        late.bind(backend.start(device));
      } catch (RuntimeException e) {
        device.close();
        throw e;
      }
      return device;
    }

    private static Duration positive(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("duration must be positive");
      }
      return d;
    }
  }

  /** A sender bound after the back-end has started. */
  private static final class LateSender implements HidReportSender {
    private List<byte[]> held = new ArrayList<>();
    private HidReportSender target;

    @Override
    public synchronized void sendInputReport(byte[] report) {
      if (target == null) {
        held.add(report.clone());
      } else {
        target.sendInputReport(report);
      }
    }

    synchronized void bind(HidReportSender sender) {
      target = Objects.requireNonNull(sender, "sender");
      for (byte[] r : held) {
        target.sendInputReport(r);
      }
      held = List.of();
    }
  }
}
