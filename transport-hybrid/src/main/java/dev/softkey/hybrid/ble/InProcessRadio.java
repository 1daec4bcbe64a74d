package dev.softkey.hybrid.ble;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A radio inside one JVM: an advert reaches every current scanner at once, and scanners that start
 * later hear the adverts still running (as a real scan would within one advertising interval).
 */
public final class InProcessRadio implements Radio {
  private final List<Advert> adverts = new CopyOnWriteArrayList<>();
  private final List<Consumer<Advert>> scanners = new CopyOnWriteArrayList<>();

  @Override
  public Handle advertise(Advert advert) {
    adverts.add(advert);
    for (Consumer<Advert> s : scanners) {
      s.accept(advert);
    }
    return () -> adverts.remove(advert);
  }

  @Override
  public Handle scan(Consumer<Advert> listener) {
    scanners.add(listener);
    for (Advert a : adverts) {
      listener.accept(a);
    }
    return () -> scanners.remove(listener);
  }
}
