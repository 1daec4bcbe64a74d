package dev.softkey.hybrid.tunnel;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the upgrade request, decides which endpoint it is (hybrid notes section 5.2), answers
 * errors with plain HTTP statuses (400 malformed, 404 unknown tunnel, 409 tunnel ID taken, 410 Gone
 * for an unknown contact ID), and otherwise completes the WebSocket handshake with the {@code
 * fido.cable} subprotocol and hands the channel to a {@link RelayHandler}.
 */
final class TunnelHandshakeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final System.Logger LOG = System.getLogger(TunnelServer.class.getName());
  static final String SUBPROTOCOL = "fido.cable";
  static final String ROUTING_ID_HEADER = "X-caBLE-Routing-ID";
  static final String CLIENT_PAYLOAD_HEADER = "X-caBLE-Client-Payload";
  static final String SIGNAL_CONNECTION_HEADER = "X-caBLE-Signal-Connection";

  private final TunnelRegistry registry;
  private final boolean tls;

  TunnelHandshakeHandler(TunnelRegistry registry, boolean tls) {
    this.registry = registry;
    this.tls = tls;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (req.decoderResult().isFailure()) {
      // netty's codec names the fault (line too long, bad header); the answer does not repeat bytes
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
      return;
    }
    if (!req.method().equals(HttpMethod.GET) || !"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "expected a WebSocket upgrade");
      return;
    }
    if (!offersSubprotocol(req.headers())) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "the client must offer the fido.cable subprotocol");
      return;
    }
    String[] parts = new QueryStringDecoder(req.uri()).path().split("/");
    // ["", "cable", kind, ...]
    if (parts.length < 4 || !parts[1].equals("cable")) {
      reject(ctx, HttpResponseStatus.NOT_FOUND, "unknown endpoint");
      return;
    }
    switch (parts[2]) {
      case "new" -> onNew(ctx, req, parts);
      case "connect" -> onConnect(ctx, req, parts);
      case "contact" -> onContact(ctx, req, parts);
      default -> reject(ctx, HttpResponseStatus.NOT_FOUND, "unknown endpoint");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A failed TLS handshake or a malformed request ends this connection only.
    ctx.close();
  }

  private void onNew(ChannelHandlerContext ctx, FullHttpRequest req, String[] parts) {
    Optional<byte[]> tunnelId = hex(parts, 3, 16);
    if (parts.length != 4 || tunnelId.isEmpty()) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "expected /cable/new/<32 hex digits>");
      return;
    }
    TunnelRegistry.Tunnel t = registry.open(tunnelId.get(), ctx.channel(), false);
    if (t == null) {
      reject(ctx, HttpResponseStatus.CONFLICT, "tunnel ID already in use");
      return;
    }
    HttpHeaders extra = new DefaultHttpHeaders();
    extra.set(ROUTING_ID_HEADER, HexFormat.of().withUpperCase().formatHex(TunnelRegistry.ROUTING_ID));
    upgrade(ctx, req, extra, t, null);
  }

  private void onConnect(ChannelHandlerContext ctx, FullHttpRequest req, String[] parts) {
    // The routing ID only picks a shard; this server is one shard, so it is checked for form only.
    if (parts.length != 5 || hex(parts, 3, 3).isEmpty() || hex(parts, 4, 16).isEmpty()) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "expected /cable/connect/<6 hex digits>/<32 hex digits>");
      return;
    }
    TunnelRegistry.Tunnel t = registry.join(hex(parts, 4, 16).get(), ctx.channel());
    if (t == null) {
      reject(ctx, HttpResponseStatus.NOT_FOUND, "no tunnel waits with this ID");
      return;
    }
    upgrade(ctx, req, new DefaultHttpHeaders(), t, () -> registry.paired(t));
  }

  private void onContact(ChannelHandlerContext ctx, FullHttpRequest req, String[] parts) {
    byte[] contactId;
    byte[] payload;
    try {
      contactId = Base64.getUrlDecoder().decode(parts[3]);
      String p = req.headers().get(CLIENT_PAYLOAD_HEADER);
      if (p == null || parts.length != 4) {
        throw new IllegalArgumentException();
      }
      payload = HexFormat.of().parseHex(p.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "expected /cable/contact/<base64url> with an X-caBLE-Client-Payload hex header");
      return;
    }
    Optional<ContactDirectory.Listener> listener = registry.contacts().find(contactId);
    if (listener.isEmpty()) {
      reject(ctx, HttpResponseStatus.GONE, "unknown contact ID");
      return;
    }
    boolean signal = "true".equalsIgnoreCase(req.headers().get(SIGNAL_CONNECTION_HEADER));
    byte[] tunnelId = registry.newTunnelId();
    TunnelRegistry.Tunnel t = registry.open(tunnelId, ctx.channel(), signal);
    HttpHeaders extra = new DefaultHttpHeaders();
    if (signal) {
      extra.set(SIGNAL_CONNECTION_HEADER, "true");
    }
    upgrade(ctx, req, extra, t, () -> listener.get().onKnock(new ContactDirectory.Knock(TunnelRegistry.ROUTING_ID.clone(), tunnelId, payload)));
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, HttpHeaders extra, TunnelRegistry.Tunnel t, Runnable afterHandshake) {
    String url = (tls ? "wss://" : "ws://") + req.headers().get(HttpHeaderNames.HOST) + req.uri();
    int max = registry.limits().maxMessageBytes();
    WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(url, SUBPROTOCOL, false, max).newHandshaker(req);
    if (hs == null) {
      registry.close(t, 1002, "unsupported WebSocket version");
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    if (ctx.pipeline().get(RequestGuard.NAME) != null) {
      ctx.pipeline().remove(RequestGuard.NAME); // the request is complete: its deadline no longer applies
    }
    ctx.pipeline().replace(this, "relay", new RelayHandler(registry, t, hs));
    ctx.pipeline().addBefore("relay", "aggregate", new WebSocketFrameAggregator(max));
    hs.handshake(ctx.channel(), req, extra, ctx.channel().newPromise())
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                registry.close(t, 1002, "handshake failed");
              } else if (afterHandshake != null) {
                afterHandshake.run();
              }
            });
  }

  private static boolean offersSubprotocol(HttpHeaders h) {
    String v = h.get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    if (v == null) {
      return false;
    }
    for (String p : v.split(",")) {
      if (p.strip().equals(SUBPROTOCOL)) {
        return true;
      }
    }
    return false;
  }

  /** Hex of exactly {@code bytes} bytes at parts[i], case-insensitive (Chromium writes upper case). */
  private static Optional<byte[]> hex(String[] parts, int i, int bytes) {
    if (parts.length <= i || parts[i].length() != bytes * 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(HexFormat.of().parseHex(parts[i].toLowerCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
    LOG.log(Level.INFO, "tunnel server: answered {0} to {1}: {2}", status, ctx.channel().remoteAddress(), why);
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(why + "\n", StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
  }
}
