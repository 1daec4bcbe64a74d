package dev.softkey.hybrid.tunnel;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * A caBLE v2 tunnel server (CTAP 2.2 hybrid; see the shared hybrid notes, section 5): the
 * authenticator opens {@code /cable/new/<tunnel ID>} and learns a routing ID from the
 * {@code X-caBLE-Routing-ID} response header; the initiator opens {@code
 * /cable/connect/<routing ID>/<tunnel ID>}; the server then relays binary WebSocket messages
 * verbatim between the two, never looking inside. State-assisted {@code /cable/contact/<contact
 * ID>} requests are handed to whoever registered that contact ID (see {@link ContactDirectory}).
 * Binds to loopback unless told otherwise; TLS is optional.
 */
public final class TunnelServer implements AutoCloseable {
  /**
   * Limits, after webauthn-rs's cable-tunnel-server defaults.
   *
   * @param tunnelTtl how long a tunnel lives from the authenticator's connect
   * @param maxMessagesPerPeer messages one side may send in one tunnel
   * @param maxMessageBytes largest binary message
   * @param unpairedTimeout how long a {@code new} tunnel waits for its initiator
   */
  public record Limits(Duration tunnelTtl, int maxMessagesPerPeer, int maxMessageBytes, Duration unpairedTimeout) {
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(120), 16, 16 * 1024, Duration.ofSeconds(120));
  }

  private final EventLoopGroup group;
  private final Channel server;
  private final TunnelRegistry registry;

  private TunnelServer(EventLoopGroup group, Channel server, TunnelRegistry registry) {
    this.group = group;
    this.server = server;
    this.registry = registry;
  }

  /** Starts a server on {@code bind} (port 0 picks a free port). */
  public static TunnelServer start(InetSocketAddress bind, Limits limits, Optional<SslContext> tls, ContactDirectory contacts) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    TunnelRegistry registry = new TunnelRegistry(limits, contacts);
    try {
      Channel ch =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                      ChannelPipeline p = c.pipeline();
                      tls.ifPresent(ctx -> p.addLast(ctx.newHandler(c.alloc())));
                      p.addLast(new HttpServerCodec());
                      p.addLast(new HttpObjectAggregator(8192));
                      p.addLast(new TunnelHandshakeHandler(registry, tls.isPresent()));
                    }
                  })
              .bind(bind)
              .sync()
              .channel();
      return new TunnelServer(group, ch, registry);
    } catch (InterruptedException e) {
      group.shutdownGracefully();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding the tunnel server", e);
    } catch (RuntimeException e) {
      group.shutdownGracefully();
      throw new IllegalStateException("cannot bind the tunnel server to " + bind + ": " + e.getMessage(), e);
    }
  }

  public static TunnelServer startLoopback(int port) {
    return start(new InetSocketAddress("127.0.0.1", port), Limits.DEFAULT, Optional.empty(), ContactDirectory.none());
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** The routing ID this single-process server hands out (3 bytes; the shard is always the same). */
  public byte[] routingId() {
    return TunnelRegistry.ROUTING_ID.clone();
  }

  /** Number of tunnels currently registered (waiting or paired). */
  public int openTunnels() {
    return registry.size();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    registry.closeAll();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
