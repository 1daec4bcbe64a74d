package dev.softkey.hybrid.tunnel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The server's tunnels: one waiting end, then a pair relaying binary messages. Thread-safe. */
final class TunnelRegistry {
  /** This server is one shard: it hands out one routing ID. */
  static final byte[] ROUTING_ID = {0x00, 0x00, 0x00};

  private final TunnelServer.Limits limits;
  private final ContactDirectory contacts;
  private final Map<String, Tunnel> tunnels = new HashMap<>();
  private final SecureRandom random = new SecureRandom();

  TunnelRegistry(TunnelServer.Limits limits, ContactDirectory contacts) {
    this.limits = limits;
    this.contacts = contacts;
  }

  TunnelServer.Limits limits() {
    return limits;
  }

  ContactDirectory contacts() {
    return contacts;
  }

  /** One tunnel: the end that opened it waits for the other; then messages flow both ways. */
  final class Tunnel {
    final String id;
    final Channel first;
    Channel second;
    final boolean signalConnection;
    final List<byte[]> pendingForSecond = new ArrayList<>();
    int fromFirst;
    int fromSecond;
    ScheduledFuture<?> expiry;
    /** Once paired: ends the tunnel after {@code idleTimeout} without a frame from either end. */
    ScheduledFuture<?> idle;

    Tunnel(String id, Channel first, boolean signalConnection) {
      this.id = id;
      this.first = first;
      this.signalConnection = signalConnection;
    }

    /** Relays one binary message from {@code from}; false when a limit ends the tunnel. */
    boolean relay(Channel from, byte[] message) {
      synchronized (TunnelRegistry.this) {
        boolean fromFirstEnd = from == first;
        int count = fromFirstEnd ? ++fromFirst : ++fromSecond;
        if (count > limits.maxMessagesPerPeer()) {
          return false;
        }
        Channel to = fromFirstEnd ? second : first;
        if (to == null) {
          pendingForSecond.add(message);
          return true;
        }
        to.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message)));
        return true;
      }
    }
  }

  synchronized int size() {
    return tunnels.size();
  }

  static String key(byte[] tunnelId) {
    return HexFormat.of().formatHex(tunnelId);
  }

  /** Opens a tunnel with its first end; null if the ID is taken. */
  synchronized Tunnel open(byte[] tunnelId, Channel first, boolean signalConnection) {
    String k = key(tunnelId);
    if (tunnels.containsKey(k)) {
      return null;
    }
    Tunnel t = new Tunnel(k, first, signalConnection);
    tunnels.put(k, t);
    t.expiry = first.eventLoop().schedule(() -> expire(t), limits.unpairedTimeout().toMillis(), TimeUnit.MILLISECONDS);
    first.closeFuture().addListener(f -> closed(t));
    return t;
  }

  /** Joins the second end; null if there is no waiting tunnel with this ID. */
  synchronized Tunnel join(byte[] tunnelId, Channel second) {
    Tunnel t = tunnels.get(key(tunnelId));
    if (t == null || t.second != null || !t.first.isActive()) {
      return null;
    }
    t.second = second;
    t.expiry.cancel(false);
    t.expiry = second.eventLoop().schedule(() -> expire(t), limits.tunnelTtl().toMillis(), TimeUnit.MILLISECONDS);
    armIdle(t);
    second.closeFuture().addListener(f -> closed(t));
    return t;
  }

  /** After the second end's handshake: deliver what waited, then the optional connect signal. */
  synchronized void paired(Tunnel t) {
    if (t.signalConnection) {
      t.first.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {0})));
    }
    for (byte[] m : t.pendingForSecond) {
      t.second.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(m)));
    }
    t.pendingForSecond.clear();
  }

  /**
   * A frame arrived on either end: a paired tunnel's idle clock starts again. (Before pairing the
   * unpaired timeout governs: the first end legitimately waits in silence for its peer.)
   */
  synchronized void touch(Tunnel t) {
    if (t.idle != null && tunnels.get(t.id) == t) {
      t.idle.cancel(false);
      armIdle(t);
    }
  }

  private void armIdle(Tunnel t) {
    t.idle = t.second.eventLoop().schedule(() -> close(t, 1001, "tunnel idle"), limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  byte[] newTunnelId() {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return id;
  }

  private void expire(Tunnel t) {
    close(t, 1001, "tunnel expired");
  }

  private void closed(Tunnel t) {
    close(t, 1000, "peer closed");
  }

  void close(Tunnel t, int code, String reason) {
    List<Channel> ends = new ArrayList<>();
    synchronized (this) {
      if (tunnels.get(t.id) == t) {
        tunnels.remove(t.id);
      }
      if (t.expiry != null) {
        t.expiry.cancel(false);
      }
      if (t.idle != null) {
        t.idle.cancel(false);
      }
      ends.add(t.first);
      if (t.second != null) {
        ends.add(t.second);
      }
    }
    for (Channel c : ends) {
      if (c.isActive()) {
        c.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> c.close());
      }
    }
  }

  void closeAll() {
    List<Tunnel> all;
    synchronized (this) {
      all = new ArrayList<>(tunnels.values());
    }
    for (Tunnel t : all) {
      close(t, 1001, "server shutting down");
    }
  }
}
