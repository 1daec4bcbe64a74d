package dev.softkey.hybrid.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The connection caps, first in every pipeline: a connection over {@link
 * TunnelServer.Limits#maxConnections} in all, or over {@link
 * TunnelServer.Limits#maxConnectionsPerAddress} from its source address, is refused as soon as it
 * is accepted, before a byte of it is read. On plain {@code ws://} it gets {@code 503 Service
 * Unavailable} and a close; on {@code wss://} it is closed at once (an answer would need a TLS
 * handshake first, which is the work the cap exists to avoid). Every connection counts until it
 * closes, upgraded or not. Shared by all channels; thread-safe.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(TunnelServer.class.getName());

  private final int max;
  private final int perAddress;
  private final boolean tls;
  private final Map<InetAddress, Integer> byAddress = new HashMap<>();
  private int open;

  ConnectionGate(TunnelServer.Limits limits, boolean tls) {
    this.max = limits.maxConnections();
    this.perAddress = limits.maxConnectionsPerAddress();
    this.tls = tls;
  }

  /** Connections admitted and still open. */
  synchronized int open() {
    return open;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    Channel ch = ctx.channel();
    InetAddress from = ((InetSocketAddress) ch.remoteAddress()).getAddress();
    String refusal = admit(from);
    if (refusal != null) {
      LOG.log(Level.INFO, "tunnel server: refused a connection from {0}: {1}", from.getHostAddress(), refusal);
      if (tls) {
        ch.close();
      } else {
        RawAnswer.send(ctx, 503, "Service Unavailable", "too many connections");
      }
      return;
    }
    ch.closeFuture().addListener(f -> release(from));
    ctx.pipeline().remove(this);
    ctx.fireChannelActive();
  }

  /** Counts the connection in, or says why not (null when admitted). */
  private synchronized String admit(InetAddress from) {
    if (open >= max) {
      return "the server holds its " + max + " connections";
    }
    int mine = byAddress.getOrDefault(from, 0);
    if (mine >= perAddress) {
      return "this address holds its " + perAddress + " connections";
    }
    open++;
    byAddress.put(from, mine + 1);
    return null;
  }

  private synchronized void release(InetAddress from) {
    open--;
    byAddress.computeIfPresent(from, (a, n) -> n == 1 ? null : n - 1);
  }
}
