package dev.softkey.control;

import dev.softkey.core.CtapDevice;
import dev.softkey.core.ForwardingCtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.ctap.model.Bytes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Sees every CTAP2 request and response (and U2F APDU) that passes between the transports and the
 * device, and tells its listeners, in order, on the calling thread. It sits first in the chain
 * (transports, tap, fault plan, engine), so it sees what a client sent and what the client got,
 * faults included. A listener that throws is ignored for that event: watching never breaks the key.
 */
public final class CtapTap extends ForwardingCtapDevice {
  /** What passed: a request, or the response to the request of the same sequence number. */
  public enum Direction {
    REQUEST,
    RESPONSE
  }

  /**
   * One message.
   *
   * @param sequence the request's number on this tap, shared by its response
   * @param u2f a CTAP1/U2F APDU (CTAPHID_MSG), not a CTAP2 message
   * @param request the request (command byte and CBOR, or the APDU)
   * @param response the response, empty for a request event; for a dropped reply, empty with
   *     {@code dropped} true
   * @param elapsed how long the device took, zero for a request event
   */
  public record Exchange(
      long sequence,
      Direction direction,
      boolean u2f,
      String transport,
      Bytes request,
      Bytes response,
      boolean dropped,
      Duration elapsed) {
    public Exchange {
      Objects.requireNonNull(direction);
      Objects.requireNonNull(transport);
      Objects.requireNonNull(request);
      Objects.requireNonNull(response);
      Objects.requireNonNull(elapsed);
    }
  }

  private static final System.Logger LOG = System.getLogger(CtapTap.class.getName());

  private final List<Consumer<Exchange>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong sequence = new AtomicLong();

  public CtapTap(CtapDevice device) {
    super(device);
  }

  /** Adds a listener; closing the handle removes it. */
  public AutoCloseable subscribe(Consumer<Exchange> listener) {
    Objects.requireNonNull(listener);
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public byte[] process(byte[] request, OperationContext ctx) {
    return exchange(false, request, ctx, () -> super.process(request, ctx));
  }

  @Override
  public byte[] processU2f(byte[] apdu, OperationContext ctx) {
    return exchange(true, apdu, ctx, () -> super.processU2f(apdu, ctx));
  }

  private byte[] exchange(boolean u2f, byte[] request, OperationContext ctx, java.util.function.Supplier<byte[]> call) {
    long seq = sequence.incrementAndGet();
    Bytes req = Bytes.of(request);
    emit(new Exchange(seq, Direction.REQUEST, u2f, ctx.transport(), req, Bytes.EMPTY, false, Duration.ZERO));
    long start = System.nanoTime();
    byte[] response = call.get();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    boolean dropped = isDropped(response);
    emit(new Exchange(seq, Direction.RESPONSE, u2f, ctx.transport(), req, dropped ? Bytes.EMPTY : Bytes.of(response), dropped, elapsed));
    return response;
  }

  /** A reply the fault plan dropped ({@link CtapDevice#NO_REPLY}). */
  static boolean isDropped(byte[] response) {
    return CtapDevice.isNoReply(response);
  }

  private void emit(Exchange e) {
    for (Consumer<Exchange> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.WARNING, "a CTAP tap listener failed: " + ex.getClass().getSimpleName());
      }
    }
  }
}
