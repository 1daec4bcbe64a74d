package dev.softkey.hybrid.ble;

import dev.softkey.hybrid.ble.dbus.MonitorPattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.freedesktop.dbus.types.Variant;

/**
 * The D-Bus property maps BluezRadio hands to BlueZ and the conversions of what BlueZ hands back.
 * Pure functions, so they are tested without a bus (BlueZ doc/advertising-api.txt,
 * doc/advertisement-monitor-api.txt, doc/device-api.txt; hybrid notes section 12.3).
 */
final class BluezProperties {
  static final String BLUEZ = "org.bluez";
  static final String ADAPTER1 = "org.bluez.Adapter1";
  static final String DEVICE1 = "org.bluez.Device1";
  static final String LE_ADVERTISEMENT1 = "org.bluez.LEAdvertisement1";
  static final String ADVERTISEMENT_MONITOR1 = "org.bluez.AdvertisementMonitor1";

  /** AD type "Service Data - 16-bit UUID" (Bluetooth Assigned Numbers, 2.3). */
  static final byte AD_SERVICE_DATA_16 = 0x16;

  private static final Pattern BASE_UUID =
      Pattern.compile("0000([0-9a-f]{4})-0000-1000-8000-00805f9b34fb");
  private static final Pattern SHORT_UUID = Pattern.compile("(?:0x)?([0-9a-f]{4})");

  private BluezProperties() {}

  /** The 128-bit form of a 16-bit UUID on the Bluetooth base UUID, lower case as BlueZ writes it. */
  static String uuid128(int uuid16) {
    if (uuid16 < 0 || uuid16 > 0xFFFF) {
      throw new IllegalArgumentException("a 16-bit UUID is 0..0xFFFF");
    }
    return String.format("0000%04x-0000-1000-8000-00805f9b34fb", uuid16);
  }

  /** The 16-bit UUID in a BlueZ UUID string ("0000fff9-0000-1000-8000-00805f9b34fb", "fff9", "0xFFF9"). */
  static OptionalInt uuid16(String uuid) {
    String u = uuid.toLowerCase(Locale.ROOT);
    Matcher m = BASE_UUID.matcher(u);
    if (!m.matches()) {
      m = SHORT_UUID.matcher(u);
      if (!m.matches()) {
        return OptionalInt.empty();
      }
    }
    return OptionalInt.of(Integer.parseInt(m.group(1), 16));
  }

  /**
   * The org.bluez.LEAdvertisement1 properties for one caBLE advert: Type, ServiceData {uuid128:
   * ay}, optionally ServiceUUIDs, Discoverable false (no flags AD). No LocalName and no
   * tx-power include: the legacy advert has 31 bytes and the service data takes 24 of them.
   */
  static Map<String, Variant<?>> advertisement(
      Advert advert, BluezOptions.AdvertisementType type, boolean includeServiceUuids) {
    Map<String, Variant<?>> p = new LinkedHashMap<>();
    p.put("Type", new Variant<>(type.dbusValue()));
    String uuid = uuid128(advert.serviceUuid16());
    if (includeServiceUuids) {
      p.put("ServiceUUIDs", new Variant<>(new String[] {uuid}));
    }
    Map<String, Variant<?>> serviceData = new LinkedHashMap<>();
    serviceData.put(uuid, new Variant<>(advert.serviceData()));
    p.put("ServiceData", new Variant<>(serviceData, "a{sv}"));
    p.put("Discoverable", new Variant<>(Boolean.FALSE));
    return p;
  }

  /**
   * The or_patterns of an advertisement monitor that matches service data of each UUID: AD type
   * 0x16 whose data starts with the UUID in little-endian order (f9 ff for 0xFFF9).
   */
  static List<MonitorPattern> servicedataPatterns(List<Integer> uuids) {
    List<MonitorPattern> out = new ArrayList<>();
    for (int u : uuids) {
      out.add(new MonitorPattern((byte) 0, AD_SERVICE_DATA_16, new byte[] {(byte) u, (byte) (u >>> 8)}));
    }
    return out;
  }

  /** The org.bluez.AdvertisementMonitor1 properties: Type "or_patterns" and Patterns a(yyay). */
  static Map<String, Variant<?>> monitor(List<Integer> uuids) {
    Map<String, Variant<?>> p = new LinkedHashMap<>();
    p.put("Type", new Variant<>("or_patterns"));
    p.put("Patterns", new Variant<>(servicedataPatterns(uuids), "a(yyay)"));
    return p;
  }

  /** The SetDiscoveryFilter argument for the DISCOVERY scan: LE only, duplicates reported, the UUIDs. */
  static Map<String, Variant<?>> discoveryFilter(List<Integer> uuids) {
    Map<String, Variant<?>> p = new LinkedHashMap<>();
    p.put("Transport", new Variant<>("le"));
    p.put("DuplicateData", new Variant<>(Boolean.TRUE));
    p.put("UUIDs", new Variant<>(uuids.stream().map(BluezProperties::uuid128).toArray(String[]::new)));
    return p;
  }

  /**
   * The adverts in a Device1 {@code ServiceData} value (a{sv}, each value ay) whose UUID is one of
   * {@code wanted}; entries of other UUIDs or of another shape are skipped.
   */
  static List<Advert> adverts(Object serviceData, Set<Integer> wanted) {
    Object map = serviceData instanceof Variant<?> v ? v.getValue() : serviceData;
    List<Advert> out = new ArrayList<>();
    if (!(map instanceof Map<?, ?> m)) {
      return out;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        continue;
      }
      OptionalInt u = uuid16(key);
      if (u.isEmpty() || !wanted.contains(u.getAsInt())) {
        continue;
      }
      byte[] data = bytes(e.getValue());
      if (data != null && data.length <= 255) {
        out.add(new Advert(u.getAsInt(), data));
      }
    }
    return out;
  }

  /** An {@code ay} as dbus-java hands it over: byte[], or a list of Byte inside a Variant. */
  private static byte[] bytes(Object o) {
    Object v = o instanceof Variant<?> var ? var.getValue() : o;
    if (v instanceof byte[] b) {
      return b.clone();
    }
    if (v instanceof List<?> list) {
      byte[] b = new byte[list.size()];
      for (int i = 0; i < b.length; i++) {
        if (!(list.get(i) instanceof Byte x)) {
          return null;
        }
        b[i] = x;
      }
      return b;
    }
    return null;
  }
}
