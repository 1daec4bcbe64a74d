package dev.softkey.hybrid.tunnel;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP error answer written as bytes, for the stages in front of the HTTP codec ({@link
 * ConnectionGate}, {@link RequestGuard}), which cannot hand a response object to an encoder that
 * sits behind them. Always {@code Connection: close}, then the connection is closed.
 */
final class RawAnswer {
  private RawAnswer() {}

  static byte[] bytes(int status, String reason, String why) {
    String body = why + "\n";
    String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
        + "Connection: close\r\n\r\n";
    return (head + body).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Writes the answer from {@code ctx}'s position, so through TLS if it is in front but never
   * through the HTTP encoder behind (which would refuse raw bytes), and closes.
   */
  static void send(ChannelHandlerContext ctx, int status, String reason, String why) {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes(status, reason, why))).addListener(ChannelFutureListener.CLOSE);
  }
}
