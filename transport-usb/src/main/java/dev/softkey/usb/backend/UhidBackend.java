package dev.softkey.usb.backend;

import dev.softkey.core.profile.Profile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A CTAPHID device on Linux through /dev/uhid (Documentation/hid/uhid.rst in the kernel tree), in
 * plain Java file I/O: the kernel sees a USB HID device with the FIDO report descriptor, creates a
 * /dev/hidrawN node for it, and browsers, libfido2 and python-fido2 find it like a real key.
 *
 * <p>One read-write descriptor on /dev/uhid is one device (every open() of /dev/uhid is a separate
 * device). The reader thread reads through the descriptor's {@link FileChannel}, so that {@link
 * #close} can wake it; writes go through the {@link RandomAccessFile} itself, because a {@code
 * FileChannel} serialises read and write on one lock and a write would wait for the next event. {@link #start} writes UHID_CREATE2 and starts a reader thread that turns
 * UHID_OUTPUT events into {@link HidReportHandler#onOutputReport} calls and answers
 * UHID_GET_REPORT / UHID_SET_REPORT with EIO, so that a client asking for feature reports fails at
 * once instead of making the kernel wait. Input reports leave as UHID_INPUT2. {@link #close}
 * writes UHID_DESTROY. Event layout: {@link UhidCodec}.
 *
 * <p>Permissions: /dev/uhid is usually root-only. The udev rule shipped as {@value #UDEV_RULE}
 * gives it to group "uhid" and hands the resulting hidraw node to the logged-in user.
 */
public final class UhidBackend implements HidDeviceBackend {
  private static final System.Logger LOG = System.getLogger(UhidBackend.class.getName());

  /** Where the kernel's uhid misc device lives. */
  public static final Path DEFAULT_DEVICE = Path.of("/dev/uhid");

  /** sysfs class directory listing hidraw nodes. */
  public static final Path DEFAULT_SYS_CLASS_HIDRAW = Path.of("/sys/class/hidraw");

  /** Resource path of the udev rule in this module's jar. */
  public static final String UDEV_RULE = "dev/softkey/usb/70-softkey-uhid.rules";

  private static final String PHYS = "softkey/uhid";
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(2);

  private final Profile.UsbIdentity identity;
  private final Path device;
  private final Path sysClassHidraw;
  private final String uniq;
  private final Object writeLock = new Object();

  private RandomAccessFile file; // guarded by writeLock; writes go here
  private FileChannel channel; // guarded by writeLock; the reader reads here
  private Thread reader; // guarded by writeLock
  private boolean closed; // guarded by writeLock

  /** A uhid device with the given USB identity on /dev/uhid. */
  public UhidBackend(Profile.UsbIdentity identity) {
    this(identity, DEFAULT_DEVICE, DEFAULT_SYS_CLASS_HIDRAW);
  }

  /**
   * @param identity vendor, product and names for UHID_CREATE2
   * @param device the uhid character device (normally /dev/uhid)
   * @param sysClassHidraw where to look for the hidraw node (normally /sys/class/hidraw)
   */
  public UhidBackend(Profile.UsbIdentity identity, Path device, Path sysClassHidraw) {
    this(identity, device, sysClassHidraw, defaultUniq());
  }

  UhidBackend(Profile.UsbIdentity identity, Path device, Path sysClassHidraw, String uniq) {
    this.identity = Objects.requireNonNull(identity);
    this.device = Objects.requireNonNull(device);
    this.sysClassHidraw = Objects.requireNonNull(sysClassHidraw);
    this.uniq = Objects.requireNonNull(uniq);
  }

  /** Unique per process and instant; the hidraw node is found again through this HID_UNIQ. */
  private static String defaultUniq() {
    return "softkey-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
  }

  /** The HID_UNIQ string (USB serial number) the device is created with. */
  public String uniq() {
    return uniq;
  }

  /** The HID_NAME: "manufacturer product", as a real key reports it. */
  String hidName() {
    String m = identity.manufacturer() == null ? "" : identity.manufacturer().trim();
    String p = identity.product() == null ? "" : identity.product().trim();
    if (p.startsWith(m)) {
      return p; // "softkey" + "softkey FIDO2 security key" would repeat the vendor
    }
    return (m + " " + p).trim();
  }

  /** bcdDevice-style version from the profile's CTAPHID device version (major.minor). */
  int hidVersion() {
    List<Integer> v = identity.deviceVersion();
    return ((v.get(0) & 0xFF) << 8) | (v.get(1) & 0xFF);
  }

  @Override
  public HidReportSender start(HidReportHandler handler) {
    Objects.requireNonNull(handler);
    synchronized (writeLock) {
      if (channel != null || closed) {
        throw new IllegalStateException("uhid back-end already started");
      }
      accessProblem(device, Files.exists(device), Files.isWritable(device))
          .ifPresent(
              message -> {
                throw new BackendException(message);
              });
      RandomAccessFile f;
      try {
        f = new RandomAccessFile(device.toFile(), "rw");
      } catch (FileNotFoundException e) {
        String why = String.valueOf(e.getMessage());
        if (why.contains("Permission denied")) {
          throw new BackendException(notWritableMessage(device), e);
        }
        if (why.contains("No such file")) {
          throw new BackendException(missingMessage(device), e);
        }
        throw new BackendException("cannot open " + device + ": " + why, e);
      }
      FileChannel ch = f.getChannel();
      byte[] create =
          UhidCodec.create2(
              hidName(),
              PHYS,
              uniq,
              UhidCodec.BUS_USB,
              identity.vendorId(),
              identity.productId(),
              hidVersion(),
              0,
              FidoReportDescriptor.bytes());
      try {
        writeFully(f, create);
      } catch (IOException e) {
        closeQuietly(ch);
        throw new BackendException("UHID_CREATE2 on " + device + " failed: " + e.getMessage(), e);
      }
      file = f;
      channel = ch;
      reader = new Thread(() -> readLoop(ch, handler), "softkey-uhid-reader");
      reader.setDaemon(true);
      reader.start();
      LOG.log(Level.DEBUG, "uhid device created: {0} {1}", hidName(), uniq);
      return this::sendInputReport;
    }
  }

  private void sendInputReport(byte[] report) {
    if (report.length != FidoReportDescriptor.REPORT_SIZE) {
      throw new IllegalArgumentException(
          "input report must be " + FidoReportDescriptor.REPORT_SIZE + " bytes, not " + report.length);
    }
    byte[] event = UhidCodec.input2(report);
    synchronized (writeLock) {
      if (closed || channel == null) {
        throw new BackendException("uhid device " + uniq + " is closed");
      }
      try {
        writeFully(file, event);
      } catch (IOException e) {
        throw new BackendException("UHID_INPUT2 failed: " + e.getMessage(), e);
      }
    }
  }

  private void readLoop(FileChannel ch, HidReportHandler handler) {
    ByteBuffer buf = ByteBuffer.allocate(UhidCodec.EVENT_SIZE);
    try {
      while (true) {
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
          return;
        }
        if (n < 4) {
          continue;
        }
        dispatch(UhidCodec.decode(buf.array(), n), handler);
      }
    } catch (ClosedChannelException e) {
      // close() ended the loop
    } catch (IOException e) {
      LOG.log(Level.ERROR, "reading " + device + " failed; the uhid device stops answering", e);
    }
  }

  private void dispatch(UhidEvent event, HidReportHandler handler) {
    if (event instanceof UhidEvent.Output out) {
      if (out.reportType() != UhidCodec.UHID_OUTPUT_REPORT) {
        LOG.log(Level.DEBUG, "uhid: ignoring output event with report type {0}", out.reportType());
        return;
      }
      try {
        handler.onOutputReport(stripReportId(out.data().toArray()));
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "HID report handler failed", e);
      }
    } else if (event instanceof UhidEvent.GetReport get) {
      writeReply(UhidCodec.getReportReply(get.id(), UhidCodec.EIO));
    } else if (event instanceof UhidEvent.SetReport set) {
      writeReply(UhidCodec.setReportReply(set.id(), UhidCodec.EIO));
    } else {
      LOG.log(Level.DEBUG, "uhid event {0}", event);
    }
  }

  /**
   * hidraw hands the report with its report-ID byte first (0 for the FIDO descriptor, which has no
   * report IDs): drop it and return exactly 64 bytes, zero-padded if a client wrote fewer.
   */
  static byte[] stripReportId(byte[] data) {
    byte[] report = new byte[FidoReportDescriptor.REPORT_SIZE];
    if (data.length > 1) {
      System.arraycopy(data, 1, report, 0, Math.min(data.length - 1, report.length));
    }
    return report;
  }

  private void writeReply(byte[] event) {
    synchronized (writeLock) {
      if (closed || channel == null) {
        return;
      }
      try {
        writeFully(file, event);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "uhid report reply failed: " + e.getMessage());
      }
    }
  }

  private static void writeFully(RandomAccessFile f, byte[] event) throws IOException {
    // One write() per event: uhid takes one event per call and reports the whole count as written
    // (RandomAccessFile.write loops on short counts, which uhid never returns).
    f.write(event);
  }

  @Override
  public String describe() {
    return hidrawNode().map(p -> "uhid " + p).orElse("uhid (hidraw node pending)");
  }

  /**
   * The /dev/hidrawN node the kernel made for this device, found by HID_UNIQ in
   * /sys/class/hidraw/*&#47;device/uevent; empty before the kernel has created it.
   */
  public Optional<Path> hidrawNode() {
    if (!Files.isDirectory(sysClassHidraw)) {
      return Optional.empty();
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(sysClassHidraw)) {
      dir.forEach(entries::add);
    } catch (IOException e) {
      return Optional.empty();
    }
    String wanted = "HID_UNIQ=" + uniq;
    for (Path entry : entries) {
      try {
        if (Files.readAllLines(entry.resolve("device/uevent")).contains(wanted)) {
          return Optional.of(Path.of("/dev").resolve(entry.getFileName().toString()));
        }
      } catch (IOException e) {
        // node went away while scanning
      }
    }
    return Optional.empty();
  }

  /** Polls sysfs until the hidraw node appears or {@code timeout} passes. */
  public Optional<Path> awaitHidrawNode(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Path> node = hidrawNode();
      if (node.isPresent() || System.nanoTime() - deadline >= 0) {
        return node;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  @Override
  public void close() {
    Thread r;
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closed = true;
      r = reader;
      if (channel != null) {
        try {
          writeFully(file, UhidCodec.destroy());
        } catch (IOException e) {
          LOG.log(Level.WARNING, "UHID_DESTROY failed: " + e.getMessage());
        }
        // Closing the channel wakes the reader thread blocked in read() (the JDK signals it) and
        // closes the descriptor.
        closeQuietly(channel);
      }
    }
    if (r != null && r != Thread.currentThread()) {
      try {
        r.join(JOIN_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing uhid channel: " + e.getMessage());
    }
  }

  /** The message for a device node that is missing or not writable, if either is the case. */
  static Optional<String> accessProblem(Path device, boolean exists, boolean writable) {
    if (!exists) {
      return Optional.of(missingMessage(device));
    }
    if (!writable) {
      return Optional.of(notWritableMessage(device));
    }
    return Optional.empty();
  }

  static String missingMessage(Path device) {
    return device + " does not exist: load the module with 'sudo modprobe uhid'";
  }

  static String notWritableMessage(Path device) {
    return device
        + " is not writable by this user: run as root or install the udev rule"
        + " (contrib/udev/70-softkey-uhid.rules, also in the transport-usb jar as "
        + UDEV_RULE
        + ") into /etc/udev/rules.d and add yourself to the group"
        + " ('sudo groupadd --system uhid; sudo usermod -aG uhid $USER', then log in again)";
  }
}
