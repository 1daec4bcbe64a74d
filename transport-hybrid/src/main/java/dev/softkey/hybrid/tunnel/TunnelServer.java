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
 *
 * <p>Before the upgrade every connection passes a {@link ConnectionGate} (caps in all and per
 * source address) and a {@link RequestGuard} (the upgrade request's deadline, malformed bytes
 * answered 400); after it the {@link TunnelRegistry} ends unpaired, idle and expired tunnels. The
 * {@link Limits} say how much; each refusal is logged as one line without the request's bytes.
 */
public final class TunnelServer implements AutoCloseable {
  /**
   * Limits. The tunnel ones follow webauthn-rs's cable-tunnel-server defaults; the connection ones
   * keep one client from holding the server before it ever upgrades (see docs/hardening.md for
   * what the defaults hold, with figures).
   *
   * @param tunnelTtl how long a tunnel lives from the authenticator's connect
   * @param maxMessagesPerPeer messages one side may send in one tunnel
   * @param maxMessageBytes largest binary message
   * @param unpairedTimeout how long a {@code new} (or {@code contact}) tunnel waits for its peer
   * @param maxConnections TCP connections open at once, in all; the one over it is refused
   * @param maxConnectionsPerAddress TCP connections open at once from one source address
   * @param requestTimeout time from the TCP accept (including a TLS handshake) until the upgrade
   *     request's headers (and any body) have arrived; a slow or silent client is closed after it
   * @param idleTimeout how long a paired tunnel may go without a frame from either end
   */
  public record Limits(
      Duration tunnelTtl,
      int maxMessagesPerPeer,
      int maxMessageBytes,
      Duration unpairedTimeout,
      int maxConnections,
      int maxConnectionsPerAddress,
      Duration requestTimeout,
      Duration idleTimeout) {
    /**
     * Safe for a public server on a default 1024-descriptor limit: 512 connections in all, 32 per
     * address (a household or office behind one NAT), 10 s for the upgrade request, 60 s idle
     * (a user reading the phone's prompt), 120 s unpaired and 120 s in all.
     */
    public static final Limits DEFAULT =
        new Limits(Duration.ofSeconds(120), 16, 16 * 1024, Duration.ofSeconds(120), 512, 32, Duration.ofSeconds(10), Duration.ofSeconds(60));

    public Limits {
      positive(tunnelTtl, "tunnelTtl");
      positive(unpairedTimeout, "unpairedTimeout");
      positive(requestTimeout, "requestTimeout");
      positive(idleTimeout, "idleTimeout");
      if (maxMessagesPerPeer < 1 || maxMessageBytes < 1 || maxConnections < 1 || maxConnectionsPerAddress < 1) {
        throw new IllegalArgumentException("tunnel server limits must be positive: " + maxMessagesPerPeer + " messages, " + maxMessageBytes
            + " bytes, " + maxConnections + " connections, " + maxConnectionsPerAddress + " per address");
      }
    }

    /** The tunnel limits alone; the connection limits are {@link #DEFAULT}'s. */
    public Limits(Duration tunnelTtl, int maxMessagesPerPeer, int maxMessageBytes, Duration unpairedTimeout) {
      this(tunnelTtl, maxMessagesPerPeer, maxMessageBytes, unpairedTimeout, DEFAULT.maxConnections, DEFAULT.maxConnectionsPerAddress,
          DEFAULT.requestTimeout, DEFAULT.idleTimeout);
    }

    /** These limits with other connection caps. */
    public Limits withConnections(int max, int perAddress) {
      return new Limits(tunnelTtl, maxMessagesPerPeer, maxMessageBytes, unpairedTimeout, max, perAddress, requestTimeout, idleTimeout);
    }

    /** These limits with other request, idle and unpaired timeouts. */
    public Limits withTimeouts(Duration request, Duration idle, Duration unpaired) {
      return new Limits(tunnelTtl, maxMessagesPerPeer, maxMessageBytes, unpaired, maxConnections, maxConnectionsPerAddress, request, idle);
    }

    private static void positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("tunnel server limit " + name + " must be a positive duration, got " + d);
      }
    }
  }

  private final EventLoopGroup group;
  private final Channel server;
  private final TunnelRegistry registry;
  private final ConnectionGate gate;

  private TunnelServer(EventLoopGroup group, Channel server, TunnelRegistry registry, ConnectionGate gate) {
    this.group = group;
    this.server = server;
    this.registry = registry;
    this.gate = gate;
  }

  /** Starts a server on {@code bind} (port 0 picks a free port). */
  public static TunnelServer start(InetSocketAddress bind, Limits limits, Optional<SslContext> tls, ContactDirectory contacts) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    TunnelRegistry registry = new TunnelRegistry(limits, contacts);
    ConnectionGate gate = new ConnectionGate(limits, tls.isPresent());
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
                      p.addLast(gate);
                      tls.ifPresent(ctx -> p.addLast(ctx.newHandler(c.alloc())));
                      p.addLast(RequestGuard.NAME, new RequestGuard(limits));
                      p.addLast(new HttpServerCodec());
                      p.addLast(new HttpObjectAggregator(8192));
                      p.addLast(new TunnelHandshakeHandler(registry, tls.isPresent()));
                    }
                  })
              .bind(bind)
              .sync()
              .channel();
      return new TunnelServer(group, ch, registry, gate);
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

  /** Number of TCP connections admitted and still open (upgraded or not). */
  public int openConnections() {
    return gate.open();
  }

  /** The limits this server enforces. */
  public Limits limits() {
    return registry.limits();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    registry.closeAll();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
