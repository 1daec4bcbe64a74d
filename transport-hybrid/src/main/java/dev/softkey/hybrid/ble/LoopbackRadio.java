package dev.softkey.hybrid.ble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A simulated radio between processes on one machine, for offline demos. Wire format (one UDP
 * datagram per advert, sent to 127.0.0.1 on every port of the band, every 100 ms while
 * advertising):
 *
 * <pre>
 *   "SKBLE1"   6 bytes, ASCII magic
 *   uuid16     2 bytes, big-endian 16-bit service UUID (0xFFF9 for caBLE)
 *   length     1 byte, service data length
 *   data       length bytes, the service data (the 20-byte encrypted EID for caBLE)
 * </pre>
 *
 * A scanner binds the first free port of the band (default 17249..17256), so up to eight scanners
 * can listen at once; other tools can listen or advertise with the same format. Datagrams that do
 * not match the format are ignored.
 */
public final class LoopbackRadio implements Radio {
  public static final int DEFAULT_FIRST_PORT = 17249;
  public static final int BAND_SIZE = 8;
  static final byte[] MAGIC = "SKBLE1".getBytes(StandardCharsets.US_ASCII);

  private final int firstPort;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "softkey-loopback-radio");
            t.setDaemon(true);
            return t;
          });

  public LoopbackRadio() {
    this(DEFAULT_FIRST_PORT);
  }

  public LoopbackRadio(int firstPort) {
    this.firstPort = firstPort;
  }

  static byte[] encode(Advert a) {
    byte[] data = a.serviceData();
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 3 + data.length);
    b.put(MAGIC).putShort((short) a.serviceUuid16()).put((byte) data.length).put(data);
    return b.array();
  }

  /** Decodes a datagram; null when it is not a loopback-radio advert. */
  static Advert decode(byte[] d, int len) {
    if (len < MAGIC.length + 3 || !Arrays.equals(d, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return null;
    }
    int uuid = ((d[6] & 0xFF) << 8) | (d[7] & 0xFF);
    int n = d[8] & 0xFF;
    if (len != MAGIC.length + 3 + n) {
      return null;
    }
    return new Advert(uuid, Arrays.copyOfRange(d, 9, 9 + n));
  }

  @Override
  public Handle advertise(Advert advert) {
    DatagramChannel ch;
    try {
      ch = DatagramChannel.open(StandardProtocolFamily.INET);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the loopback radio", e);
    }
    byte[] datagram = encode(advert);
    ScheduledFuture<?> task =
        timer.scheduleAtFixedRate(
            () -> {
              for (int p = firstPort; p < firstPort + BAND_SIZE; p++) {
                try {
                  ch.send(ByteBuffer.wrap(datagram), new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                } catch (IOException e) {
                  // nobody listening on that port: a radio does not care
                }
              }
            },
            0,
            100,
            TimeUnit.MILLISECONDS);
    return () -> {
      task.cancel(false);
      try {
        ch.close();
      } catch (IOException e) {
        // closing a datagram socket does not fail in practice
      }
    };
  }

  @Override
  public Handle scan(Consumer<Advert> listener) {
    DatagramChannel ch = null;
    for (int p = firstPort; p < firstPort + BAND_SIZE && ch == null; p++) {
      try {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
        ch = c;
      } catch (IOException e) {
        // taken by another scanner: try the next port of the band
      }
    }
    if (ch == null) {
      throw new UncheckedIOException(
          new IOException("all loopback radio ports " + firstPort + ".." + (firstPort + BAND_SIZE - 1) + " are taken"));
    }
    DatagramChannel bound = ch;
    Thread reader =
        new Thread(
            () -> {
              ByteBuffer buf = ByteBuffer.allocate(512);
              while (bound.isOpen()) {
                try {
                  buf.clear();
                  bound.receive(buf);
                  Advert a = decode(buf.array(), buf.position());
                  if (a != null) {
                    listener.accept(a);
                  }
                } catch (IOException e) {
                  return; // closed
                }
              }
            },
            "softkey-loopback-scan");
    reader.setDaemon(true);
    reader.start();
    return () -> {
      try {
        bound.close();
      } catch (IOException e) {
        // ignore
      }
    };
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
