package dev.softkey.hybrid.tunnel;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;

/**
 * One end of a tunnel after the handshake: binary messages go to the peer untouched; ping is
 * answered, pong ignored; every frame restarts the tunnel's idle clock; a text frame, too many messages or an oversize message close the tunnel.
 */
final class RelayHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final TunnelRegistry registry;
  private final TunnelRegistry.Tunnel tunnel;
  private final WebSocketServerHandshaker handshaker;

  RelayHandler(TunnelRegistry registry, TunnelRegistry.Tunnel tunnel, WebSocketServerHandshaker handshaker) {
    this.registry = registry;
    this.tunnel = tunnel;
    this.handshaker = handshaker;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    registry.touch(tunnel);
    if (frame instanceof BinaryWebSocketFrame b) {
      if (!tunnel.relay(ctx.channel(), ByteBufUtil.getBytes(b.content()))) {
        registry.close(tunnel, 1008, "message limit reached");
      }
    } else if (frame instanceof PingWebSocketFrame p) {
      ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
    } else if (frame instanceof PongWebSocketFrame) {
      // ignored
    } else if (frame instanceof CloseWebSocketFrame c) {
      handshaker.close(ctx.channel(), c.retain());
      registry.close(tunnel, 1000, "peer closed");
    } else {
      registry.close(tunnel, 1003, "only binary messages are relayed");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Oversize frames (the aggregator's limit) and protocol errors end this tunnel only.
    registry.close(tunnel, 1009, "message too large or malformed");
    ctx.close();
  }
}
