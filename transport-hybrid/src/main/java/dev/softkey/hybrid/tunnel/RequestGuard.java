package dev.softkey.hybrid.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * In front of the HTTP codec until the WebSocket upgrade: the deadline for the upgrade request
 * and a check of its header bytes. netty's codec skips leading control characters and waits for
 * more, so a request of NUL bytes would never be answered; this stage answers instead:
 *
 * <ul>
 *   <li>{@code 400} for a request that does not start with a method (an upper-case letter, after
 *       optional empty lines) or holds a control character other than CR, LF and HT, or DEL, in
 *       its header section;
 *   <li>{@code 431} for a header section over {@link #MAX_HEADER_BYTES};
 *   <li>{@code 408} when the request has not completed within {@link
 *       TunnelServer.Limits#requestTimeout} of the accept (a slowloris client, or one that sends
 *       nothing); a {@code wss://} client still in its TLS handshake is closed without an answer.
 * </ul>
 *
 * The {@link TunnelHandshakeHandler} removes this stage when it upgrades, which stops the clock.
 * Each refusal is logged as one line naming the peer and the reason, never the bytes.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {
  static final String NAME = "request-guard";
  /** The codec's initial-line (4096) and header (8192) limits together. */
  static final int MAX_HEADER_BYTES = 4096 + 8192;

  private static final System.Logger LOG = System.getLogger(TunnelServer.class.getName());

  private final long timeoutMillis;
  private ScheduledFuture<?> deadline;
  private boolean started;
  private boolean headersDone;
  private int lineLength;
  private int headerBytes;
  private boolean refused;

  RequestGuard(TunnelServer.Limits limits) {
    this.timeoutMillis = limits.requestTimeout().toMillis();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline = ctx.executor().schedule(() -> timedOut(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    deadline.cancel(false);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    deadline.cancel(false);
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    if (!headersDone && msg instanceof ByteBuf buf) {
      String problem = scan(buf);
      if (problem != null) {
        buf.release();
        refuse(ctx, problem.startsWith("header section") ? 431 : 400,
            problem.startsWith("header section") ? "Request Header Fields Too Large" : "Bad Request", problem);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Checks the header bytes in {@code buf} (without consuming them); null when acceptable. */
  private String scan(ByteBuf buf) {
    for (int i = buf.readerIndex(); i < buf.writerIndex() && !headersDone; i++) {
      int b = buf.getByte(i) & 0xFF;
      if (++headerBytes > MAX_HEADER_BYTES) {
        return "header section over " + MAX_HEADER_BYTES + " bytes";
      }
      if (b == '\n') {
        if (started && lineLength == 0) {
          headersDone = true;
        }
        lineLength = 0;
      } else if (b == '\r') {
        // part of a line ending
      } else if (!started) {
        if (b < 'A' || b > 'Z') {
          return "not an HTTP request (it must start with a method such as GET)";
        }
        started = true;
        lineLength = 1;
      } else if ((b < 0x20 && b != '\t') || b == 0x7F) {
        return "control character in the request header";
      } else {
        lineLength++;
      }
    }
    return null;
  }

  private void timedOut(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive() || refused) {
      return;
    }
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl != null && !ssl.handshakeFuture().isSuccess()) {
      refused = true;
      LOG.log(Level.INFO, "tunnel server: closed {0}: no TLS handshake within {1} ms", ctx.channel().remoteAddress(), timeoutMillis);
      ctx.close();
      return;
    }
    refuse(ctx, 408, "Request Timeout", "no complete upgrade request within " + timeoutMillis + " ms");
  }

  private void refuse(ChannelHandlerContext ctx, int status, String reason, String why) {
    refused = true;
    LOG.log(Level.INFO, "tunnel server: answered {0} {1} to {2}: {3}", status, reason, ctx.channel().remoteAddress(), why);
    RawAnswer.send(ctx, status, reason, why);
  }
}
