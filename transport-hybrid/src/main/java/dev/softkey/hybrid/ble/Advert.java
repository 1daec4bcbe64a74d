package dev.softkey.hybrid.ble;

import java.util.Arrays;

/**
 * One BLE advertisement as caBLE uses it: 16-bit service UUID and its service data. For hybrid the
 * UUID is 0xFFF9 (FIDO) and the data is the 20-byte encrypted EID (hybrid notes section 4.3).
 *
 * @param serviceUuid16 the 16-bit service UUID
 * @param serviceData the service data bytes
 */
public record Advert(int serviceUuid16, byte[] serviceData) {
  /** The FIDO Alliance's 16-bit service UUID that caBLE v2 adverts use. */
  public static final int FIDO_UUID = 0xFFF9;

  public Advert {
    if (serviceUuid16 < 0 || serviceUuid16 > 0xFFFF) {
      throw new IllegalArgumentException("a 16-bit UUID is 0..0xFFFF");
    }
    if (serviceData.length > 255) {
      throw new IllegalArgumentException("service data too long");
    }
    serviceData = serviceData.clone();
  }

  @Override
  public byte[] serviceData() {
    return serviceData.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Advert a && a.serviceUuid16 == serviceUuid16 && Arrays.equals(a.serviceData, serviceData);
  }

  @Override
  public int hashCode() {
    return serviceUuid16 * 31 + Arrays.hashCode(serviceData);
  }

  @Override
  public String toString() {
    return String.format("Advert[uuid=%04x, %d bytes]", serviceUuid16, serviceData.length);
  }
}
