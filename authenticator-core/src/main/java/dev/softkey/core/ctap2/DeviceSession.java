package dev.softkey.core.ctap2;

import java.time.Clock;

/**
 * What a power cycle forgets, apart from the PIN/UV state: the time of power-up (for the reset
 * window of CTAP 2.1 section 6.6) and the pending stateful command.
 */
public final class DeviceSession {
  private final Clock clock;
  private final StatefulCommands stateful;
  private volatile long powerUpMillis;
  private volatile long epoch;

  public DeviceSession(Clock clock) {
    this.clock = clock;
    this.stateful = new StatefulCommands(clock);
    this.powerUpMillis = clock.millis();
  }

  public StatefulCommands stateful() {
    return stateful;
  }

  /** Milliseconds since power-up (or the last power cycle). */
  public long millisSincePowerUp() {
    return clock.millis() - powerUpMillis;
  }

  /**
   * Counts power cycles and authenticatorResets: a pending operation kept elsewhere (a fragmented
   * authenticatorLargeBlobs write) compares it with the count it started under, so that RAM state
   * outlives neither.
   */
  public long epoch() {
    return epoch;
  }

  /** authenticatorReset: pending operations kept elsewhere end (the pending stateful command too). */
  public void reset() {
    stateful.end();
    epoch++;
  }

  /** A power cycle: the pending sequence ends and the reset window starts again. */
  public void powerCycle() {
    stateful.end();
    powerUpMillis = clock.millis();
    epoch++;
  }
}
