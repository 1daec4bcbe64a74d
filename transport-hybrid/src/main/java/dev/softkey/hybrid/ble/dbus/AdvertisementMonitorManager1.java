package dev.softkey.hybrid.ble.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * {@code org.bluez.AdvertisementMonitorManager1} on {@code /org/bluez/hciN}: registers an
 * application root that exports {@code org.freedesktop.DBus.ObjectManager} whose objects implement
 * {@link AdvertisementMonitor1}.
 */
@DBusInterfaceName("org.bluez.AdvertisementMonitorManager1")
public interface AdvertisementMonitorManager1 extends DBusInterface {
  /** Registers every monitor below {@code application}; bluetoothd reads them with GetManagedObjects. */
  void RegisterMonitor(DBusPath application);

  /** Unregisters the application root and its monitors. */
  void UnregisterMonitor(DBusPath application);
}
