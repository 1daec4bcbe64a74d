package dev.softkey.hybrid.ble;

import java.util.function.Consumer;

/**
 * The radio behind hybrid: the authenticator advertises its EID, the initiator scans for it.
 * Implementations: {@link InProcessRadio} (one JVM), {@link LoopbackRadio} (processes on one
 * machine, UDP on 127.0.0.1), and BlueZ over D-Bus for a real controller.
 */
public interface Radio extends AutoCloseable {
  /** Starts advertising until the handle is closed. */
  Handle advertise(Advert advert);

  /** Delivers every advert heard (from any advertiser, possibly repeated) until the handle is closed. */
  Handle scan(Consumer<Advert> listener);

  /** Stops an advert or a scan. */
  interface Handle extends AutoCloseable {
    @Override
    void close();
  }

  @Override
  default void close() {}
}
