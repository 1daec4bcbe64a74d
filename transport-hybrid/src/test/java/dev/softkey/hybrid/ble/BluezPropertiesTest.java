package dev.softkey.hybrid.ble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.hybrid.ble.dbus.MonitorPattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The maps BluezRadio hands to BlueZ (hybrid notes sections 4.3 and 12.3; BlueZ
 * doc/advertising-api.txt and doc/advertisement-monitor-api.txt) and the parsing of Device1
 * ServiceData.
 */
class BluezPropertiesTest {
  private static final String FIDO_UUID128 = "0000fff9-0000-1000-8000-00805f9b34fb";
  private static final byte[] EID = new byte[20];

  static {
    for (int i = 0; i < EID.length; i++) {
      EID[i] = (byte) (0xA0 + i);
    }
  }

  @Nested
  class Uuids {
    @Test
    void uuid128_isTheBluetoothBaseUuidInLowerCase() {
      assertThat(BluezProperties.uuid128(Advert.FIDO_UUID)).isEqualTo(FIDO_UUID128);
      assertThat(BluezProperties.uuid128(0xFDE2)).isEqualTo("0000fde2-0000-1000-8000-00805f9b34fb");
      assertThat(BluezProperties.uuid128(0)).isEqualTo("00000000-0000-1000-8000-00805f9b34fb");
    }

    @Test
    void uuid128_rejectsValuesBeyond16Bits() {
      assertThatThrownBy(() -> BluezProperties.uuid128(0x10000)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> BluezProperties.uuid128(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uuid16_readsTheFormsBluezUses() {
      assertThat(BluezProperties.uuid16(FIDO_UUID128)).hasValue(0xFFF9);
      assertThat(BluezProperties.uuid16(FIDO_UUID128.toUpperCase())).hasValue(0xFFF9);
      assertThat(BluezProperties.uuid16("fff9")).hasValue(0xFFF9);
      assertThat(BluezProperties.uuid16("0xFDE2")).hasValue(0xFDE2);
    }

    @Test
    void uuid16_refusesUuidsOffTheBaseUuidAndJunk() {
      assertThat(BluezProperties.uuid16("0000fff9-0000-1000-8000-00805f9b34fc")).isEqualTo(OptionalInt.empty());
      assertThat(BluezProperties.uuid16("1234fff9-0000-1000-8000-00805f9b34fb")).isEqualTo(OptionalInt.empty());
      assertThat(BluezProperties.uuid16("fff")).isEqualTo(OptionalInt.empty());
      assertThat(BluezProperties.uuid16("zzzz")).isEqualTo(OptionalInt.empty());
    }
  }

  @Nested
  class Advertisement {
    @Test
    void broadcast_carriesServiceDataUnderTheFidoUuid_andNothingElseThatCostsBytes() {
      Map<String, Variant<?>> p =
          BluezProperties.advertisement(
              new Advert(Advert.FIDO_UUID, EID), BluezOptions.AdvertisementType.BROADCAST, true);

      assertThat(p).containsOnlyKeys("Type", "ServiceUUIDs", "ServiceData", "Discoverable");
      assertThat(p.get("Type").getValue()).isEqualTo("broadcast");
      assertThat(p.get("Type").getSig()).isEqualTo("s");
      assertThat(p.get("ServiceUUIDs").getSig()).isEqualTo("as");
      assertThat((String[]) p.get("ServiceUUIDs").getValue()).containsExactly(FIDO_UUID128);
      assertThat(p.get("Discoverable").getValue()).isEqualTo(false);
      assertThat(p.get("ServiceData").getSig()).isEqualTo("a{sv}");
      @SuppressWarnings("unchecked")
      Map<String, Object> sd = (Map<String, Object>) p.get("ServiceData").getValue();
      assertThat(sd).containsOnlyKeys(FIDO_UUID128);
      Variant<?> data = (Variant<?>) sd.get(FIDO_UUID128);
      assertThat(data.getSig()).isEqualTo("ay");
      assertThat((byte[]) data.getValue()).isEqualTo(EID);
    }

    @Test
    void withoutUuidList_andAsPeripheral() {
      Map<String, Variant<?>> p =
          BluezProperties.advertisement(
              new Advert(Advert.FIDO_UUID, EID), BluezOptions.AdvertisementType.PERIPHERAL, false);

      assertThat(p).doesNotContainKey("ServiceUUIDs").containsKey("ServiceData");
      assertThat(p.get("Type").getValue()).isEqualTo("peripheral");
    }

    @Test
    void serviceDataIsACopy_laterChangesToTheAdvertsArrayDoNotLeakIn() {
      byte[] eid = EID.clone();
      Map<String, Variant<?>> p =
          BluezProperties.advertisement(new Advert(Advert.FIDO_UUID, eid), BluezOptions.AdvertisementType.BROADCAST, false);
      eid[0] = 0;
      Variant<?> data = (Variant<?>) ((Map<?, ?>) p.get("ServiceData").getValue()).get(FIDO_UUID128);
      assertThat((byte[]) data.getValue()).isEqualTo(EID);
    }
  }

  @Nested
  class Monitor {
    @Test
    void orPatterns_matchServiceDataAdType0x16_startingWithTheUuidLittleEndian() {
      List<MonitorPattern> patterns = BluezProperties.servicedataPatterns(List.of(0xFFF9, 0xFDE2));

      assertThat(patterns).hasSize(2);
      assertThat(patterns.get(0).startPosition).isEqualTo((byte) 0);
      assertThat(patterns.get(0).adType).isEqualTo((byte) 0x16);
      assertThat(patterns.get(0).content).containsExactly(0xF9, 0xFF);
      assertThat(patterns.get(1).content).containsExactly(0xE2, 0xFD);
    }

    @Test
    void properties_areTypeOrPatterns_andPatternsOfSignatureAyyay() {
      Map<String, Variant<?>> p = BluezProperties.monitor(List.of(Advert.FIDO_UUID));

      assertThat(p).containsOnlyKeys("Type", "Patterns");
      assertThat(p.get("Type").getValue()).isEqualTo("or_patterns");
      assertThat(p.get("Patterns").getSig()).isEqualTo("a(yyay)");
      assertThat((List<?>) p.get("Patterns").getValue()).hasSize(1);
    }

    @Test
    void discoveryFilter_isLeWithDuplicatesAndTheUuids() {
      Map<String, Variant<?>> f = BluezProperties.discoveryFilter(List.of(0xFFF9, 0xFDE2));

      assertThat(f.get("Transport").getValue()).isEqualTo("le");
      assertThat(f.get("DuplicateData").getValue()).isEqualTo(true);
      assertThat((String[]) f.get("UUIDs").getValue())
          .containsExactly(FIDO_UUID128, "0000fde2-0000-1000-8000-00805f9b34fb");
    }
  }

  @Nested
  class DeviceServiceData {
    @Test
    void wantedUuid_becomesAnAdvert_othersAreSkipped() {
      Map<String, Variant<?>> sd = new LinkedHashMap<>();
      sd.put(FIDO_UUID128, new Variant<>(EID.clone()));
      sd.put("0000180f-0000-1000-8000-00805f9b34fb", new Variant<>(new byte[] {100}));

      List<Advert> adverts = BluezProperties.adverts(new Variant<>(sd, "a{sv}"), Set.of(Advert.FIDO_UUID));

      assertThat(adverts).containsExactly(new Advert(Advert.FIDO_UUID, EID));
    }

    @Test
    void acceptsAListOfBytes_andAnUnwrappedMap() {
      Map<String, Object> sd = Map.of("fff9", List.of((byte) 1, (byte) 2));

      assertThat(BluezProperties.adverts(sd, Set.of(Advert.FIDO_UUID)))
          .containsExactly(new Advert(Advert.FIDO_UUID, new byte[] {1, 2}));
    }

    @Test
    void wrongShapes_giveNoAdvert() {
      assertThat(BluezProperties.adverts("not a map", Set.of(Advert.FIDO_UUID))).isEmpty();
      assertThat(BluezProperties.adverts(Map.of(FIDO_UUID128, new Variant<>("text")), Set.of(Advert.FIDO_UUID)))
          .isEmpty();
      assertThat(BluezProperties.adverts(Map.of(FIDO_UUID128, List.of("x")), Set.of(Advert.FIDO_UUID))).isEmpty();
      assertThat(BluezProperties.adverts(Map.of(FIDO_UUID128, new Variant<>(EID.clone())), Set.of(0xFDE2)))
          .isEmpty();
    }
  }
}
