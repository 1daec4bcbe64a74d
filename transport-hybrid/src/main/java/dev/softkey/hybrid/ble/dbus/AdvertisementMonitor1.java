package dev.softkey.hybrid.ble.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * {@code org.bluez.AdvertisementMonitor1}, exported by the application: bluetoothd calls these
 * methods. Its properties ({@code Type} = "or_patterns", {@code Patterns} = a(yyay)) are handed to
 * bluetoothd through the application root's GetManagedObjects.
 */
@DBusInterfaceName("org.bluez.AdvertisementMonitor1")
public interface AdvertisementMonitor1 extends DBusInterface {
  /** The monitor was removed by bluetoothd. */
  void Release();

  /** The monitor was accepted and is active. */
  void Activate();

  /** A device whose advert matches a pattern was found; {@code device} is its org.bluez.Device1 path. */
  void DeviceFound(DBusPath device);

  /** A found device is no longer heard. */
  void DeviceLost(DBusPath device);
}
