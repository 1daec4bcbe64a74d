package dev.softkey.hybrid.tunnel;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A WebSocket connection to a caBLE tunnel (ours or a real one): offers the {@code fido.cable}
 * subprotocol, exposes the handshake response headers (the authenticator needs {@code
 * X-caBLE-Routing-ID}, which the JDK's WebSocket client does not show) and moves whole binary
 * messages.
 */
public final class TunnelClient implements AutoCloseable {
  /** Largest message accepted from the tunnel (Chromium's cap). */
  public static final int MAX_MESSAGE = 1 << 20;

  private static final byte[] CLOSED = new byte[0];

  private final EventLoopGroup group;
  private final Channel channel;
  private final HttpHeaders responseHeaders;
  private final LinkedBlockingQueue<byte[]> inbox;

  private TunnelClient(EventLoopGroup group, Channel channel, HttpHeaders responseHeaders, LinkedBlockingQueue<byte[]> inbox) {
    this.group = group;
    this.channel = channel;
    this.responseHeaders = responseHeaders;
    this.inbox = inbox;
  }

  /** The server refused the upgrade: the HTTP status tells why (404 unknown tunnel, 410 Gone...). */
  public static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public RefusedException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * Connects to {@code uri} (ws:// or wss://) with extra request headers; waits at most {@code
   * timeout} for the handshake.
   */
  public static TunnelClient connect(URI uri, Map<String, String> headers, Duration timeout) throws IOException {
    return connect(uri, headers, timeout, Optional.empty());
  }

  /**
   * As {@link #connect(URI, Map, Duration)}, with the TLS settings for wss:// given (e.g. trusting
   * a local server's own certificate); by default the JDK's trusted roots decide.
   */
  public static TunnelClient connect(URI uri, Map<String, String> headers, Duration timeout, Optional<SslContext> clientTls)
      throws IOException {
    boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : (tls ? 443 : 80);
    SslContext ssl;
    try {
      ssl = tls ? (clientTls.isPresent() ? clientTls.get() : SslContextBuilder.forClient().build()) : null;
    } catch (SSLException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
    HttpHeaders h = new DefaultHttpHeaders();
    headers.forEach(h::set);
    WebSocketClientHandshaker hs =
        WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, TunnelHandshakeHandler.SUBPROTOCOL, false, h, MAX_MESSAGE);
    CompletableFuture<HttpHeaders> done = new CompletableFuture<>();
    LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel ch =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                      if (ssl != null) {
                        c.pipeline().addLast(ssl.newHandler(c.alloc(), uri.getHost(), port));
                      }
                      c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), new ClientHandler(hs, done, inbox));
                    }
                  })
              .connect(uri.getHost(), port)
              .sync()
              .channel();
      HttpHeaders response = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new TunnelClient(group, ch, response, inbox);
    } catch (ExecutionException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("tunnel handshake failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException("tunnel handshake timed out after " + timeout.toMillis() + " ms: " + uri.getHost());
    } catch (InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException("cannot connect to " + uri.getHost() + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** A response header of the handshake (case-insensitive name). */
  public Optional<String> responseHeader(String name) {
    return Optional.ofNullable(responseHeaders.get(name));
  }

  public void send(byte[] message) {
    channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message.clone())));
  }

  /** The next binary message; empty on timeout; throws when the tunnel closed. */
  public Optional<byte[]> receive(Duration timeout) throws IOException {
    try {
      byte[] m = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (m == CLOSED) {
        inbox.add(CLOSED);
        throw new IOException("the tunnel closed");
      }
      return Optional.ofNullable(m);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /**
   * Runs {@code listener} once when the connection is gone, whoever ended it: the peer or the
   * server (close frame, dropped connection), an error, or {@link #close()}. If it is gone already,
   * the listener runs at once on the calling thread; otherwise on the tunnel's I/O thread, so it
   * must be short and must not block (set a flag).
   */
  public void onClose(Runnable listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable once = () -> {
      if (ran.compareAndSet(false, true)) {
        listener.run();
      }
    };
    channel.closeFuture().addListener(f -> once.run());
    // Closed already (or while adding): the I/O thread may be gone, so run it here.
    if (channel.closeFuture().isDone()) {
      once.run();
    }
  }

  @Override
  public void close() {
    if (channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame()).awaitUninterruptibly(500);
    }
    channel.close().awaitUninterruptibly(1000);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private static final class ClientHandler extends SimpleChannelInboundHandler<Object> {
    private final WebSocketClientHandshaker hs;
    private final CompletableFuture<HttpHeaders> done;
    private final LinkedBlockingQueue<byte[]> inbox;

    ClientHandler(WebSocketClientHandshaker hs, CompletableFuture<HttpHeaders> done, LinkedBlockingQueue<byte[]> inbox) {
      this.hs = hs;
      this.done = done;
      this.inbox = inbox;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      hs.handshake(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      inbox.add(CLOSED);
      done.completeExceptionally(new IOException("connection closed during the handshake"));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (!hs.isHandshakeComplete()) {
        FullHttpResponse r = (FullHttpResponse) msg;
        try {
          hs.finishHandshake(ctx.channel(), r);
          if (!TunnelHandshakeHandler.SUBPROTOCOL.equals(hs.actualSubprotocol())) {
            done.completeExceptionally(new IOException("the server did not select the fido.cable subprotocol"));
            ctx.close();
            return;
          }
          ctx.pipeline().addBefore(ctx.name(), "aggregate", new WebSocketFrameAggregator(MAX_MESSAGE));
          done.complete(r.headers().copy());
        } catch (WebSocketHandshakeException e) {
          done.completeExceptionally(
              new RefusedException(r.status().code(), "tunnel server refused: " + r.status() + " " + r.content().toString(java.nio.charset.StandardCharsets.UTF_8).strip()));
          ctx.close();
        }
        return;
      }
      if (msg instanceof BinaryWebSocketFrame b) {
        inbox.add(ByteBufUtil.getBytes(b.content()));
      } else if (msg instanceof CloseWebSocketFrame) {
        ctx.close();
      } else if (msg instanceof WebSocketFrame) {
        // text, ping, pong: not protocol data
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
      ctx.close();
    }
  }
}
