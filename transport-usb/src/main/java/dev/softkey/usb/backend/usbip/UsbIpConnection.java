package dev.softkey.usb.backend.usbip;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.usb.backend.usbip.UsbIpMessage.CmdSubmit;
import dev.softkey.usb.backend.usbip.UsbIpMessage.CmdUnlink;
import dev.softkey.usb.backend.usbip.UsbIpMessage.OpRepDevlist;
import dev.softkey.usb.backend.usbip.UsbIpMessage.OpRepImport;
import dev.softkey.usb.backend.usbip.UsbIpMessage.OpReqDevlist;
import dev.softkey.usb.backend.usbip.UsbIpMessage.OpReqImport;
import dev.softkey.usb.backend.usbip.UsbIpMessage.OpUnknown;
import dev.softkey.usb.backend.usbip.UsbIpMessage.RetSubmit;
import dev.softkey.usb.backend.usbip.UsbIpMessage.RetUnlink;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One USB/IP client connection (Linux Documentation/usb/usbip_protocol.rst, "Architecture"):
 * answers OP_REQ_DEVLIST and closes; or answers OP_REQ_IMPORT and then serves URBs for the
 * imported device until the client disconnects (a detach, which the device sees as a power cycle).
 *
 * <p>Interrupt IN URBs are held until the device has an input report; the host keeps one or more
 * pending. A USBIP_CMD_UNLINK of a pending URB gives USBIP_RET_UNLINK with -ECONNRESET and no
 * USBIP_RET_SUBMIT; of an already completed one, status 0. All state is confined to the channel's
 * event loop; {@link #offerInputReport} may be called from any thread.
 */
final class UsbIpConnection extends SimpleChannelInboundHandler<UsbIpMessage> {
  private static final System.Logger LOG = System.getLogger(UsbIpConnection.class.getName());

  /** Input reports kept while the host has no IN URB pending (hidraw not open); oldest dropped. */
  static final int MAX_QUEUED_REPORTS = 256;

  private final Map<String, ExportedDevice> devices;
  private ChannelHandlerContext ctx;
  private ExportedDevice device;
  private FidoUsbDevice usb;
  private final ArrayDeque<CmdSubmit> pendingIn = new ArrayDeque<>();
  private final ArrayDeque<byte[]> queuedReports = new ArrayDeque<>();

  UsbIpConnection(Map<String, ExportedDevice> devices) {
    super(UsbIpMessage.class);
    this.devices = devices;
  }

  /** Installs the decoder, encoder and a fresh connection handler. */
  static void install(ChannelPipeline pipeline, Map<String, ExportedDevice> devices) {
    pipeline.addLast("usbip-decoder", new UsbIpDecoder());
    pipeline.addLast("usbip-encoder", new UsbIpEncoder());
    pipeline.addLast("usbip-connection", new UsbIpConnection(devices));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, UsbIpMessage msg) {
    if (msg instanceof OpReqDevlist) {
      List<UsbIpMessage.DeviceSummary> list =
          devices.values().stream().map(ExportedDevice::summary).toList();
      ctx.writeAndFlush(new OpRepDevlist(list)).addListener(ChannelFutureListener.CLOSE);
    } else if (msg instanceof OpReqImport req) {
      onImport(ctx, req);
    } else if (msg instanceof CmdSubmit cmd) {
      onSubmit(ctx, cmd);
    } else if (msg instanceof CmdUnlink cmd) {
      onUnlink(ctx, cmd);
    } else if (msg instanceof OpUnknown op) {
      LOG.log(Level.WARNING, "USB/IP: unknown op code 0x{0}; closing", Integer.toHexString(op.code()));
      ctx.close();
    } else {
      ctx.close();
    }
  }

  private void onImport(ChannelHandlerContext ctx, OpReqImport req) {
    ExportedDevice d = devices.get(req.busId());
    if (d == null || !d.attach(this)) {
      LOG.log(
          Level.WARNING,
          "USB/IP: import of bus ID {0} refused: {1}",
          req.busId(),
          d == null ? "no such device" : "already imported");
      ctx.writeAndFlush(new OpRepImport(UsbIpProtocol.ST_ERROR, Optional.empty()))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    device = d;
    usb = new FidoUsbDevice(d.descriptors(), report -> deliver(d, report));
    LOG.log(Level.INFO, "USB/IP: bus ID {0} imported by {1}", d.busId(), ctx.channel().remoteAddress());
    ctx.writeAndFlush(new OpRepImport(UsbIpProtocol.ST_OK, Optional.of(d.summary())));
  }

  private void onSubmit(ChannelHandlerContext ctx, CmdSubmit cmd) {
    if (device == null) {
      ctx.close();
      return;
    }
    int ep = cmd.ep() & 0x0F;
    LOG.log(
        Level.DEBUG,
        () ->
            "USB/IP: CMD_SUBMIT seq="
                + cmd.seqnum()
                + " ep="
                + ep
                + (cmd.isIn() ? " IN" : " OUT")
                + " len="
                + cmd.transferBufferLength()
                + (ep == 0 ? " setup=" + cmd.setup().hex() : ""));
    if (ep == 0) {
      onControl(ctx, cmd);
    } else if (ep == (FidoUsbDescriptors.EP_OUT & 0x0F) && !cmd.isIn()) {
      // the device takes the packet (the OUT URB completes), then the handler processes it
      ctx.writeAndFlush(complete(cmd, 0, cmd.data().length(), Bytes.EMPTY));
      deliver(device, FidoUsbDevice.report(cmd.data()));
    } else if (ep == (FidoUsbDescriptors.EP_IN & 0x0F) && cmd.isIn()) {
      pendingIn.add(cmd);
      drain();
    } else {
      ctx.writeAndFlush(complete(cmd, -UsbIpProtocol.EPIPE, 0, Bytes.EMPTY));
    }
  }

  private void onControl(ChannelHandlerContext ctx, CmdSubmit cmd) {
    SetupPacket setup = SetupPacket.parse(cmd.setup());
    Optional<Bytes> reply = usb.control(setup, cmd.data());
    if (reply.isEmpty()) {
      LOG.log(
          Level.DEBUG,
          "USB/IP: stall bmRequestType=0x{0} bRequest=0x{1} wValue=0x{2}",
          Integer.toHexString(setup.bmRequestType()),
          Integer.toHexString(setup.bRequest()),
          Integer.toHexString(setup.wValue()));
      ctx.writeAndFlush(complete(cmd, -UsbIpProtocol.EPIPE, 0, Bytes.EMPTY));
    } else if (cmd.isIn()) {
      Bytes data = reply.get();
      if (data.length() > cmd.transferBufferLength()) {
        data = data.slice(0, cmd.transferBufferLength());
      }
      ctx.writeAndFlush(complete(cmd, 0, data.length(), data));
    } else {
      ctx.writeAndFlush(complete(cmd, 0, cmd.data().length(), Bytes.EMPTY));
    }
  }

  private void onUnlink(ChannelHandlerContext ctx, CmdUnlink cmd) {
    LOG.log(
        Level.DEBUG,
        () -> "USB/IP: CMD_UNLINK seq=" + cmd.seqnum() + " of seq=" + cmd.unlinkSeqnum());
    for (Iterator<CmdSubmit> it = pendingIn.iterator(); it.hasNext(); ) {
      if (it.next().seqnum() == cmd.unlinkSeqnum()) {
        it.remove();
        ctx.writeAndFlush(new RetUnlink(cmd.seqnum(), -UsbIpProtocol.ECONNRESET));
        return;
      }
    }
    // already completed (or never seen): the RET_SUBMIT went out, so nothing was unlinked
    ctx.writeAndFlush(new RetUnlink(cmd.seqnum(), 0));
  }

  /** Called by the device's sender, on any thread. */
  void offerInputReport(byte[] report) {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    if (c.executor().inEventLoop()) {
      enqueue(report);
    } else {
      c.executor().execute(() -> enqueue(report));
    }
  }

  private void enqueue(byte[] report) {
    if (device == null || !ctx.channel().isActive()) {
      return;
    }
    if (queuedReports.size() == MAX_QUEUED_REPORTS) {
      queuedReports.poll();
      LOG.log(Level.WARNING, "USB/IP: host is not reading input reports; dropped the oldest");
    }
    queuedReports.add(report);
    drain();
  }

  /** Completes pending IN URBs with queued input reports, in order. */
  private void drain() {
    boolean wrote = false;
    while (!pendingIn.isEmpty() && !queuedReports.isEmpty()) {
      CmdSubmit cmd = pendingIn.poll();
      byte[] report = queuedReports.poll();
      int n = Math.min(report.length, cmd.transferBufferLength());
      ctx.write(complete(cmd, 0, n, Bytes.of(report, 0, n)));
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  private void deliver(ExportedDevice d, byte[] report) {
    try {
      d.handler().onOutputReport(report);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "USB/IP: report handler failed on bus ID " + d.busId(), e);
    }
  }

  private static RetSubmit complete(CmdSubmit cmd, int status, int actualLength, Bytes data) {
    // start_frame and number_of_packets are echoed, as the kernel's stub driver does for a
    // non-ISO URB (see the HID capture at the end of usbip_protocol.rst)
    return new RetSubmit(
        cmd.seqnum(), status, actualLength, cmd.startFrame(), cmd.numberOfPackets(), data);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ExportedDevice d = device;
    device = null;
    pendingIn.clear();
    queuedReports.clear();
    if (d != null && d.detach(this)) {
      LOG.log(Level.INFO, "USB/IP: bus ID {0} detached", d.busId());
      try {
        d.handler().onPowerCycle();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "USB/IP: power-cycle handler failed on bus ID " + d.busId(), e);
      }
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.WARNING, "USB/IP: closing connection from " + ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
