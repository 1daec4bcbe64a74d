package dev.softkey.hybrid.ble;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link BluezRadio} uses BlueZ.
 *
 * @param adapter the adapter name, {@code hci0} by default ({@code /org/bluez/<adapter>})
 * @param advertisementType LEAdvertisement1 {@code Type}: broadcast (non-connectable, as Android
 *     advertises caBLE) or peripheral
 * @param includeServiceUuids also put the 16-bit service-UUID list in the advert (Android does;
 *     with a broadcast advert it still fits the 31-byte legacy budget: 4 + 24 bytes)
 * @param scanMethod how {@link BluezRadio#scan} hears adverts
 * @param scanUuids the 16-bit service-data UUIDs a scan delivers (default FIDO 0xFFF9 and Google's
 *     older 0xFDE2, which hybrid notes section 4.3 says initiators should scan)
 * @param powerOn switch the adapter on when it is off
 */
public record BluezOptions(
    String adapter,
    AdvertisementType advertisementType,
    boolean includeServiceUuids,
    ScanMethod scanMethod,
    List<Integer> scanUuids,
    boolean powerOn) {

  /** Google's 16-bit service UUID used by older caBLE v2 (Chromium before 0xFFF9, iOS 16). */
  public static final int GOOGLE_CABLE_UUID = 0xFDE2;

  private static final Pattern ADAPTER = Pattern.compile("[A-Za-z0-9_]{1,32}");

  /** LEAdvertisement1 {@code Type}. */
  public enum AdvertisementType {
    BROADCAST("broadcast"),
    PERIPHERAL("peripheral");

    private final String dbusValue;

    AdvertisementType(String dbusValue) {
      this.dbusValue = dbusValue;
    }

    /** The string BlueZ expects in the {@code Type} property. */
    public String dbusValue() {
      return dbusValue;
    }
  }

  /** How a scan hears adverts. */
  public enum ScanMethod {
    /**
     * Register an {@code org.bluez.AdvertisementMonitor1} (or_patterns on service data): bluetoothd
     * then reports devices whose adverts lack a discoverable flag, as caBLE adverts do, with a
     * passive scan. In BlueZ 5.66 the monitor manager exists only when bluetoothd runs with
     * {@code -E} (experimental).
     */
    MONITOR,
    /**
     * {@code SetDiscoveryFilter} (LE, duplicates, the UUIDs) + {@code StartDiscovery}. Unfiltered
     * discovery drops LE adverts without a discoverable flag; with a filter set BlueZ treats every
     * LE advert as discoverable, so caBLE adverts are heard (seen with BlueZ 5.66, no {@code -E}).
     * An active scan, shared with other discovery clients of the adapter.
     */
    DISCOVERY,
    /** MONITOR, or DISCOVERY when the adapter has no AdvertisementMonitorManager1. */
    AUTO
  }

  public BluezOptions {
    Objects.requireNonNull(adapter, "adapter");
    Objects.requireNonNull(advertisementType, "advertisementType");
    Objects.requireNonNull(scanMethod, "scanMethod");
    if (!ADAPTER.matcher(adapter).matches()) {
      throw new IllegalArgumentException("adapter name must be like hci0, got " + adapter);
    }
    scanUuids = List.copyOf(scanUuids);
    if (scanUuids.isEmpty()) {
      throw new IllegalArgumentException("scanUuids must not be empty");
    }
    for (int u : scanUuids) {
      if (u < 0 || u > 0xFFFF) {
        throw new IllegalArgumentException("a 16-bit UUID is 0..0xFFFF");
      }
    }
  }

  /** hci0, broadcast advert with the UUID list, AUTO scan for 0xFFF9 and 0xFDE2, power on. */
  public static BluezOptions defaults() {
    return new BluezOptions(
        "hci0",
        AdvertisementType.BROADCAST,
        true,
        ScanMethod.AUTO,
        List.of(Advert.FIDO_UUID, GOOGLE_CABLE_UUID),
        true);
  }

  public BluezOptions withAdapter(String name) {
    return new BluezOptions(name, advertisementType, includeServiceUuids, scanMethod, scanUuids, powerOn);
  }

  public BluezOptions withAdvertisementType(AdvertisementType type) {
    return new BluezOptions(adapter, type, includeServiceUuids, scanMethod, scanUuids, powerOn);
  }

  public BluezOptions withIncludeServiceUuids(boolean include) {
    return new BluezOptions(adapter, advertisementType, include, scanMethod, scanUuids, powerOn);
  }

  public BluezOptions withScanMethod(ScanMethod method) {
    return new BluezOptions(adapter, advertisementType, includeServiceUuids, method, scanUuids, powerOn);
  }

  public BluezOptions withScanUuids(List<Integer> uuids) {
    return new BluezOptions(adapter, advertisementType, includeServiceUuids, scanMethod, uuids, powerOn);
  }

  public BluezOptions withPowerOn(boolean on) {
    return new BluezOptions(adapter, advertisementType, includeServiceUuids, scanMethod, scanUuids, on);
  }

  /** The adapter's object path, {@code /org/bluez/hci0}. */
  public String adapterPath() {
    return "/org/bluez/" + adapter;
  }
}
