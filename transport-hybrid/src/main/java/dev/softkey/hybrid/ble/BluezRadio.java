package dev.softkey.hybrid.ble;

import dev.softkey.hybrid.ble.dbus.AdvertisementMonitor1;
import dev.softkey.hybrid.ble.dbus.AdvertisementMonitorManager1;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.bluez.Adapter1;
import org.bluez.LEAdvertisement1;
import org.bluez.LEAdvertisingManager1;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/**
 * A {@link Radio} on a real Bluetooth controller through bluetoothd's D-Bus API (hybrid notes
 * section 12.3).
 *
 * <p>advertise: exports an {@code org.bluez.LEAdvertisement1} object (with
 * {@code org.freedesktop.DBus.Properties}) and registers it with {@code
 * LEAdvertisingManager1.RegisterAdvertisement} on the adapter; the handle unregisters it. The
 * advert carries the service data under the advert's 16-bit UUID and no flags (hybrid notes
 * section 4.3).
 *
 * <p>scan: registers an {@code org.bluez.AdvertisementMonitor1} with or_patterns on service data
 * (AD type 0x16 starting with the UUID, little-endian), which makes bluetoothd scan passively and
 * report devices whose adverts have no discoverable flag, as caBLE adverts do; the service data is
 * then read from {@code org.bluez.Device1.ServiceData} (on DeviceFound, InterfacesAdded and
 * PropertiesChanged). Without an AdvertisementMonitorManager1 (BlueZ 5.66 without {@code -E}) it
 * falls back to filtered discovery, which hears them too (see {@link BluezOptions.ScanMethod}).
 *
 * <p>Needs dbus-daemon, bluetoothd and permission to talk to org.bluez on the system bus (root or a
 * policy that allows it). Listeners run on one thread of this radio, one advert at a time.
 */
public final class BluezRadio implements Radio {
  private static final System.Logger LOG = System.getLogger(BluezRadio.class.getName());
  private static final String OUR_ROOT = "/dev/softkey/ble";
  private static final int CONNECT_TIMEOUT_MS = 1000;

  private final DBusConnection bus;
  private final BluezOptions options;
  private final String adapterPath;
  private final AtomicInteger nextObject = new AtomicInteger();
  private final ExecutorService delivery =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "softkey-bluez-radio");
            t.setDaemon(true);
            return t;
          });

  BluezRadio(DBusConnection bus, BluezOptions options) {
    this.bus = bus;
    this.options = options;
    this.adapterPath = options.adapterPath();
  }

  /** Connects to the system bus and checks (and, if asked, powers on) the adapter. */
  public static BluezRadio open(BluezOptions options) {
    DBusConnection bus;
    try {
      // the transport timeout only sets dbus-java's connect retries (every 500 ms); its default of
      // 10 s makes a missing bus take 10 s to report
      bus =
          DBusConnectionBuilder.forSystemBus()
              .withShared(false)
              .transportConfig()
              .withTimeout(CONNECT_TIMEOUT_MS)
              .back()
              .build();
    } catch (DBusException | RuntimeException e) {
      throw new BluezException(
          "cannot connect to the D-Bus system bus: is dbus-daemon running, and is a dbus-java"
              + " transport on the class path? ("
              + e.getMessage()
              + ")",
          e);
    }
    BluezRadio radio = new BluezRadio(bus, options);
    try {
      radio.checkAdapter();
    } catch (RuntimeException e) {
      radio.close();
      throw e;
    }
    return radio;
  }

  /** {@link #open(BluezOptions)} with {@link BluezOptions#defaults()} on the named adapter. */
  public static BluezRadio open(String adapter) {
    return open(BluezOptions.defaults().withAdapter(adapter));
  }

  /** The options this radio was opened with. */
  public BluezOptions options() {
    return options;
  }

  private void checkAdapter() {
    Map<String, Variant<?>> adapter;
    try {
      Properties p = bus.getRemoteObject(BluezProperties.BLUEZ, adapterPath, Properties.class);
      adapter = p.GetAll(BluezProperties.ADAPTER1);
    } catch (DBusException | DBusExecutionException e) {
      throw new BluezException(
          "no Bluetooth adapter "
              + options.adapter()
              + ": is bluetoothd running, and does "
              + adapterPath
              + " exist (bluetoothctl list, btmgmt info)? ("
              + e.getMessage()
              + ")",
          e);
    }
    Variant<?> powered = adapter.get("Powered");
    if (powered != null && Boolean.FALSE.equals(powered.getValue()) && options.powerOn()) {
      try {
        Properties p = bus.getRemoteObject(BluezProperties.BLUEZ, adapterPath, Properties.class);
        p.Set(BluezProperties.ADAPTER1, "Powered", new Variant<>(Boolean.TRUE));
      } catch (DBusException | DBusExecutionException e) {
        throw new BluezException("cannot power on Bluetooth adapter " + options.adapter() + " (" + e.getMessage() + ")", e);
      }
    }
  }

  @Override
  public Handle advertise(Advert advert) {
    String path = OUR_ROOT + "/advert" + nextObject.incrementAndGet();
    Map<String, Variant<?>> props =
        BluezProperties.advertisement(advert, options.advertisementType(), options.includeServiceUuids());
    LEAdvertisingManager1 manager;
    try {
      bus.exportObject(path, new Advertisement(path, props));
      manager = bus.getRemoteObject(BluezProperties.BLUEZ, adapterPath, LEAdvertisingManager1.class);
      manager.RegisterAdvertisement(new DBusPath(path), Map.of());
    } catch (DBusException | DBusExecutionException e) {
      bus.unExportObject(path);
      throw new BluezException(
          "BlueZ refused the advert on " + options.adapter() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
          e);
    }
    LOG.log(Level.DEBUG, "advertising {0} on {1} as {2}", advert, options.adapter(), path);
    return () -> {
      try {
        manager.UnregisterAdvertisement(new DBusPath(path));
      } catch (DBusException | DBusExecutionException e) {
        // already gone (bluetoothd restarted or released it): nothing left to stop
        LOG.log(Level.DEBUG, "UnregisterAdvertisement {0}: {1}", path, e.getMessage());
      } finally {
        bus.unExportObject(path);
      }
    };
  }

  @Override
  public Handle scan(Consumer<Advert> listener) {
    Set<Integer> wanted = Set.copyOf(options.scanUuids());
    Consumer<Object> deliver =
        serviceData -> {
          for (Advert a : BluezProperties.adverts(serviceData, wanted)) {
            try {
              delivery.execute(() -> listener.accept(a));
            } catch (RejectedExecutionException e) {
              return; // radio closed
            }
          }
        };
    AutoCloseable changed;
    AutoCloseable added;
    try {
      changed =
          bus.addSigHandler(
              Properties.PropertiesChanged.class,
              sig -> {
                if (isOurDevice(sig.getPath()) && BluezProperties.DEVICE1.equals(sig.getInterfaceName())) {
                  Variant<?> sd = sig.getPropertiesChanged().get("ServiceData");
                  if (sd != null) {
                    deliver.accept(sd);
                  }
                }
              });
      added =
          bus.addSigHandler(
              ObjectManager.InterfacesAdded.class,
              sig -> {
                Map<String, Variant<?>> device = sig.getInterfaces().get(BluezProperties.DEVICE1);
                if (device != null && isOurDevice(sig.getSignalSource().getPath()) && device.get("ServiceData") != null) {
                  deliver.accept(device.get("ServiceData"));
                }
              });
    } catch (DBusException e) {
      throw new BluezException("cannot listen to org.bluez signals (" + e.getMessage() + ")", e);
    }
    Runnable stopListening =
        () -> {
          closeQuietly(changed);
          closeQuietly(added);
        };
    try {
      Runnable stopScan = startScan(path -> readServiceData(path, deliver));
      return () -> {
        stopListening.run();
        stopScan.run();
      };
    } catch (RuntimeException e) {
      stopListening.run();
      throw e;
    }
  }

  /** Starts the scan with the configured method; returns what stops it. */
  private Runnable startScan(Consumer<String> deviceFound) {
    switch (options.scanMethod()) {
      case MONITOR:
        return startMonitor(deviceFound);
      case DISCOVERY:
        return startDiscovery();
      default:
        try {
          return startMonitor(deviceFound);
        } catch (MonitorUnavailable e) {
          LOG.log(Level.INFO, "no advertisement monitor on {0} ({1}): scanning by discovery", options.adapter(), e.getMessage());
          return startDiscovery();
        }
    }
  }

  private Runnable startMonitor(Consumer<String> deviceFound) {
    String root = OUR_ROOT + "/monitors" + nextObject.incrementAndGet();
    String monitorPath = root + "/monitor0";
    Map<String, Variant<?>> props = BluezProperties.monitor(options.scanUuids());
    AdvertisementMonitorManager1 manager;
    try {
      bus.exportObject(monitorPath, new Monitor(monitorPath, props, deviceFound));
      bus.exportObject(root, new MonitorApplication(root, monitorPath, props));
      manager = bus.getRemoteObject(BluezProperties.BLUEZ, adapterPath, AdvertisementMonitorManager1.class);
      manager.RegisterMonitor(new DBusPath(root));
    } catch (DBusException | DBusExecutionException e) {
      bus.unExportObject(root);
      bus.unExportObject(monitorPath);
      String type = e instanceof DBusExecutionException x && x.getType() != null ? x.getType() : "";
      if (type.startsWith("org.freedesktop.DBus.Error.Unknown")
          || e.getClass().getName().startsWith("org.freedesktop.dbus.errors.Unknown")) {
        throw new MonitorUnavailable(e.getMessage(), e);
      }
      throw new BluezException(
          "BlueZ refused the advertisement monitor on " + options.adapter() + " (" + e.getMessage() + ")", e);
    }
    LOG.log(Level.DEBUG, "advertisement monitor {0} on {1}", root, options.adapter());
    return () -> {
      try {
        manager.UnregisterMonitor(new DBusPath(root));
      } catch (DBusExecutionException e) {
        LOG.log(Level.DEBUG, "UnregisterMonitor {0}: {1}", root, e.getMessage());
      } finally {
        bus.unExportObject(root);
        bus.unExportObject(monitorPath);
      }
    };
  }

  private Runnable startDiscovery() {
    Adapter1 adapter;
    try {
      adapter = bus.getRemoteObject(BluezProperties.BLUEZ, adapterPath, Adapter1.class);
      adapter.SetDiscoveryFilter(BluezProperties.discoveryFilter(options.scanUuids()));
      adapter.StartDiscovery();
    } catch (DBusException | DBusExecutionException e) {
      throw new BluezException("cannot start discovery on " + options.adapter() + " (" + e.getMessage() + ")", e);
    }
    return () -> {
      try {
        adapter.StopDiscovery();
      } catch (DBusException | DBusExecutionException e) {
        LOG.log(Level.DEBUG, "StopDiscovery: {0}", e.getMessage());
      }
    };
  }

  private boolean isOurDevice(String path) {
    return path != null && path.startsWith(adapterPath + "/dev_");
  }

  private void readServiceData(String devicePath, Consumer<Object> deliver) {
    if (!isOurDevice(devicePath)) {
      return;
    }
    try {
      delivery.execute(
          () -> {
            try {
              Properties p = bus.getRemoteObject(BluezProperties.BLUEZ, devicePath, Properties.class);
              Map<String, Variant<?>> all = p.GetAll(BluezProperties.DEVICE1);
              Variant<?> sd = all.get("ServiceData");
              if (sd != null) {
                deliver.accept(sd);
              }
            } catch (DBusException | DBusExecutionException e) {
              LOG.log(Level.DEBUG, "reading {0}: {1}", devicePath, e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      // radio closed
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "removing a signal handler: {0}", e.getMessage());
    }
  }

  /** Closes the bus connection; adverts and scans still open end with it (bluetoothd drops them). */
  @Override
  public void close() {
    delivery.shutdownNow();
    try {
      bus.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the system bus: {0}", e.getMessage());
    }
  }

  /** The adapter has no AdvertisementMonitorManager1 (old or non-experimental bluetoothd). */
  private static final class MonitorUnavailable extends BluezException {
    private static final long serialVersionUID = 1L;

    MonitorUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The exported org.bluez.LEAdvertisement1; BlueZ reads its properties once, at registration. */
  /** An exported object whose D-Bus properties, of one interface, never change. */
  private abstract static class ReadOnlyObject implements Properties {
    final String path;
    private final String iface;
    private final Map<String, Variant<?>> props;

    ReadOnlyObject(String path, String iface, Map<String, Variant<?>> props) {
      this.path = path;
      this.iface = iface;
      this.props = Map.copyOf(props);
    }

    @Override
    public String getObjectPath() {
      return path;
    }

    @SuppressWarnings("unchecked")
    @Override
    public <A> A Get(String iface, String name) {
      return (A) props.get(name);
    }

    @Override
    public <A> void Set(String iface, String name, A value) {
      throw new DBusExecutionException("read-only");
    }

    @Override
    public Map<String, Variant<?>> GetAll(String iface) {
      return this.iface.equals(iface) ? props : Map.of();
    }
  }

  private static final class Advertisement extends ReadOnlyObject implements LEAdvertisement1 {
    Advertisement(String path, Map<String, Variant<?>> props) {
      super(path, BluezProperties.LE_ADVERTISEMENT1, props);
    }

    @Override
    public void Release() {
      LOG.log(Level.DEBUG, "bluetoothd released advert {0}", path);
    }

  }

  /** The exported org.bluez.AdvertisementMonitor1. */
  private static final class Monitor extends ReadOnlyObject implements AdvertisementMonitor1 {
    private final Consumer<String> deviceFound;

    Monitor(String path, Map<String, Variant<?>> props, Consumer<String> deviceFound) {
      super(path, BluezProperties.ADVERTISEMENT_MONITOR1, props);
      this.deviceFound = deviceFound;
    }

    @Override
    public void Release() {
      LOG.log(Level.DEBUG, "bluetoothd released monitor {0}", path);
    }

    @Override
    public void Activate() {
      LOG.log(Level.DEBUG, "monitor {0} active", path);
    }

    @Override
    public void DeviceFound(DBusPath device) {
      deviceFound.accept(device.getPath());
    }

    @Override
    public void DeviceLost(DBusPath device) {
      // a lost advertiser simply stops being heard
    }

  }

  /** The application root that RegisterMonitor names: an ObjectManager listing the one monitor. */
  private static final class MonitorApplication implements ObjectManager {
    private final String path;
    private final Map<DBusPath, Map<String, Map<String, Variant<?>>>> objects;

    MonitorApplication(String path, String monitorPath, Map<String, Variant<?>> monitorProps) {
      this.path = path;
      this.objects =
          Map.of(new DBusPath(monitorPath), Map.of(BluezProperties.ADVERTISEMENT_MONITOR1, Map.copyOf(monitorProps)));
    }

    @Override
    public Map<DBusPath, Map<String, Map<String, Variant<?>>>> GetManagedObjects() {
      return objects;
    }

    @Override
    public String getObjectPath() {
      return path;
    }
  }

  /** For tests: the property maps this radio would hand to BlueZ. */
  static List<Map<String, Variant<?>>> describe(BluezOptions options, Advert advert) {
    return List.of(
        BluezProperties.advertisement(advert, options.advertisementType(), options.includeServiceUuids()),
        BluezProperties.monitor(options.scanUuids()));
  }
}
