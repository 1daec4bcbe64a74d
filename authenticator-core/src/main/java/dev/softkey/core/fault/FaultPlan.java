package dev.softkey.core.fault;

import dev.softkey.core.CtapDevice;
import dev.softkey.core.ForwardingCtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.core.OperationContext.KeepaliveStatus;
import dev.softkey.ctap.CtapStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Faults injected between the transports and the engine: errors a real key answers, delays, and
 * replies that never come, so a client's or relying party's retry and timeout paths can be tested
 * against a device that otherwise behaves. Sits where {@code DeviceFactory}'s decorator (or the
 * control server) puts it, so every transport of the device sees the same faults.
 *
 * <p>Only CTAP2 messages ({@link #process}) are touched; U2F APDUs, power cycles and the profile
 * pass unchanged. Rules are checked in the order they were added: every rule that matches a
 * request's command counts it, and the first one that fires decides the request (later ones that
 * would fire too are not applied). A {@link FaultRule.Mode#ONCE} rule leaves the plan when it
 * fires. Thread-safe: rules may be added and cleared while requests run; a delay is waited outside
 * the plan's lock.
 */
public final class FaultPlan extends ForwardingCtapDevice {
  /** A rule and the matching requests it has counted. */
  private static final class Armed {
    final FaultRule rule;
    long seen;

    Armed(FaultRule rule) {
      this.rule = rule;
    }
  }

  private final List<Armed> armed = new ArrayList<>();

  /** A plan without rules in front of {@code device}: it forwards everything until rules are added. */
  public FaultPlan(CtapDevice device) {
    super(device);
  }

  /** Adds a rule after the existing ones. */
  public void add(FaultRule rule) {
    java.util.Objects.requireNonNull(rule, "rule");
    synchronized (armed) {
      armed.add(new Armed(rule));
    }
  }

  /** Removes every rule: the plan forwards everything again. */
  public void clear() {
    synchronized (armed) {
      armed.clear();
    }
  }

  /** The rules still in the plan (fired ONCE rules have left), in order. */
  public List<FaultRule> rules() {
    synchronized (armed) {
      return armed.stream().map(a -> a.rule).toList();
    }
  }

  @Override
  public byte[] process(byte[] request, OperationContext ctx) {
    if (request == null || request.length == 0) {
      return super.process(request, ctx);
    }
    Optional<FaultRule> fired = fire(request[0]);
    if (fired.isEmpty()) {
      return super.process(request, ctx);
    }
    FaultRule rule = fired.get();
    if (!rule.delay().isZero() && !waitOut(rule, ctx)) {
      return new byte[] {(byte) CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL.code()};
    }
    byte[] answer =
        rule.status().isPresent()
            ? new byte[] {(byte) rule.status().get().code()}
            : super.process(request, ctx);
    return rule.dropReply() ? NO_REPLY : answer;
  }

  /** Counts the request for every matching rule; returns the first one that fires. */
  private Optional<FaultRule> fire(byte commandByte) {
    synchronized (armed) {
      FaultRule first = null;
      for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
        Armed a = it.next();
        if (!a.rule.matches(commandByte)) {
          continue;
        }
        a.seen++;
        boolean fires =
            switch (a.rule.mode()) {
              case ONCE, ALWAYS -> true;
              case EVERY_NTH -> a.seen % a.rule.n() == 0;
            };
        if (fires && first == null) {
          first = a.rule;
          if (a.rule.mode() == FaultRule.Mode.ONCE) {
            it.remove();
          }
        }
      }
      return Optional.ofNullable(first);
    }
  }

  /** Waits the rule's delay with PROCESSING keepalives; false if cancelled (or interrupted). */
  private static boolean waitOut(FaultRule rule, OperationContext ctx) {
    long end = System.nanoTime() + rule.delay().toNanos();
    while (true) {
      if (ctx.isCancelled()) {
        return false;
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      ctx.keepalive(KeepaliveStatus.PROCESSING);
      try {
        Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
