package dev.softkey.hybrid.ble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BluezOptionsTest {
  @Test
  void defaults_hci0_broadcastWithUuidList_autoScanForFidoAndGoogleUuids() {
    BluezOptions o = BluezOptions.defaults();

    assertThat(o.adapter()).isEqualTo("hci0");
    assertThat(o.adapterPath()).isEqualTo("/org/bluez/hci0");
    assertThat(o.advertisementType().dbusValue()).isEqualTo("broadcast");
    assertThat(o.includeServiceUuids()).isTrue();
    assertThat(o.scanMethod()).isEqualTo(BluezOptions.ScanMethod.AUTO);
    assertThat(o.scanUuids()).containsExactly(0xFFF9, 0xFDE2);
    assertThat(o.powerOn()).isTrue();
  }

  @Test
  void withers_changeOneThing() {
    BluezOptions o =
        BluezOptions.defaults()
            .withAdapter("hci1")
            .withScanMethod(BluezOptions.ScanMethod.MONITOR)
            .withAdvertisementType(BluezOptions.AdvertisementType.PERIPHERAL)
            .withScanUuids(List.of(0xFFF9))
            .withIncludeServiceUuids(false)
            .withPowerOn(false);

    assertThat(o.adapterPath()).isEqualTo("/org/bluez/hci1");
    assertThat(o.scanMethod()).isEqualTo(BluezOptions.ScanMethod.MONITOR);
    assertThat(o.advertisementType().dbusValue()).isEqualTo("peripheral");
    assertThat(o.scanUuids()).containsExactly(0xFFF9);
    assertThat(o.includeServiceUuids()).isFalse();
    assertThat(o.powerOn()).isFalse();
  }

  @Test
  void adapterNameMustBeAPathElement() {
    assertThatThrownBy(() -> BluezOptions.defaults().withAdapter("hci0/../x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hci0");
    assertThatThrownBy(() -> BluezOptions.defaults().withAdapter("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scanUuids_areCopied_nonEmpty_and16Bit() {
    List<Integer> uuids = new ArrayList<>(List.of(0xFFF9));
    BluezOptions o = BluezOptions.defaults().withScanUuids(uuids);
    uuids.add(0x1234);
    assertThat(o.scanUuids()).containsExactly(0xFFF9);
    assertThatThrownBy(() -> BluezOptions.defaults().withScanUuids(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BluezOptions.defaults().withScanUuids(List.of(0x10000)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void open_withoutASystemBus_saysWhatToCheck() {
    // Points dbus-java at a socket that does not exist, so this holds on any machine.
    String saved = System.getProperty("DBUS_SYSTEM_BUS_ADDRESS");
    System.setProperty("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/softkey-test-bus");
    try {
      assertThatThrownBy(() -> BluezRadio.open("hci0"))
          .isInstanceOf(BluezException.class)
          .hasMessageContaining("D-Bus system bus")
          .hasMessageContaining("dbus-daemon");
    } finally {
      if (saved == null) {
        System.clearProperty("DBUS_SYSTEM_BUS_ADDRESS");
      } else {
        System.setProperty("DBUS_SYSTEM_BUS_ADDRESS", saved);
      }
    }
  }
}
