/**
 * D-Bus bindings for the BlueZ interfaces that bluez-dbus 0.3.1 does not ship: the advertisement
 * monitor API (BlueZ {@code doc/advertisement-monitor-api.txt}, {@code org.bluez.AdvertisementMonitor1}
 * and {@code org.bluez.AdvertisementMonitorManager1}). Owns only the interface shapes and the
 * {@code (yyay)} pattern struct; {@link dev.softkey.hybrid.ble.BluezRadio} uses them. Not an API
 * for other modules.
 */
package dev.softkey.hybrid.ble.dbus;
