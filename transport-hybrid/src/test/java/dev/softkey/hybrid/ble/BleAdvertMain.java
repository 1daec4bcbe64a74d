package dev.softkey.hybrid.ble;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test-code main for the guest check src/test/vm/ble-advert.sh: scans on one adapter through
 * {@link BluezRadio#scan}, advertises a known EID under 0xFFF9 on another through
 * {@link BluezRadio#advertise}, and prints machine-readable lines:
 *
 * <pre>
 *   JVM_START_TO_MAIN_MS=n       process start to main(), from the OS process start time
 *   SCAN_STARTED adapter=hci1 method=MONITOR|DISCOVERY
 *   ADVERTISING adapter=hci0 uuid=fff9 data=hex
 *   SCAN_HEARD uuid=fff9 data=hex ms=n      every advert the scan delivers
 *   EID_SEEN_BY_SCAN ms=n                    once, when the advertised EID is heard
 * </pre>
 *
 * Usage: {@code BleAdvertMain --advertise hci0 --scan hci1 --eid HEX --seconds 8 [--scan-method
 * MONITOR|DISCOVERY|AUTO] [--type broadcast|peripheral]}. Exit 0 when the scan heard the EID (or no
 * scan was asked for), 3 when it did not.
 */
public final class BleAdvertMain {
  private BleAdvertMain() {}

  public static void main(String[] args) throws Exception {
    Instant mainAt = Instant.now();
    ProcessHandle.current()
        .info()
        .startInstant()
        .ifPresent(s -> System.out.println("JVM_START_TO_MAIN_MS=" + Duration.between(s, mainAt).toMillis()));
    String advertise = null;
    String scan = null;
    byte[] eid = null;
    long seconds = 8;
    BluezOptions.ScanMethod method = BluezOptions.ScanMethod.MONITOR;
    BluezOptions.AdvertisementType type = BluezOptions.AdvertisementType.BROADCAST;
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--advertise" -> advertise = v;
        case "--scan" -> scan = v;
        case "--eid" -> eid = HexFormat.of().parseHex(v);
        case "--seconds" -> seconds = Long.parseLong(v);
        case "--scan-method" -> method = BluezOptions.ScanMethod.valueOf(v);
        case "--type" -> type = BluezOptions.AdvertisementType.valueOf(v.toUpperCase(java.util.Locale.ROOT));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (eid == null) {
      throw new IllegalArgumentException("--eid HEX is required");
    }
    Advert wanted = new Advert(Advert.FIDO_UUID, eid);
    CountDownLatch seen = new CountDownLatch(1);
    long t0 = System.nanoTime();
    BluezRadio scanner = null;
    Radio.Handle scanHandle = null;
    if (scan != null) {
      scanner = BluezRadio.open(BluezOptions.defaults().withAdapter(scan).withScanMethod(method));
      scanHandle =
          scanner.scan(
              a -> {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf(
                    "SCAN_HEARD uuid=%04x data=%s ms=%d%n", a.serviceUuid16(), HexFormat.of().formatHex(a.serviceData()), ms);
                if (a.equals(wanted) && seen.getCount() > 0) {
                  System.out.println("EID_SEEN_BY_SCAN ms=" + ms);
                  seen.countDown();
                }
              });
      System.out.println("SCAN_STARTED adapter=" + scan + " method=" + method);
    }
    BluezRadio advertiser = null;
    Radio.Handle advertHandle = null;
    if (advertise != null) {
      advertiser = BluezRadio.open(BluezOptions.defaults().withAdapter(advertise).withAdvertisementType(type));
      advertHandle = advertiser.advertise(wanted);
      System.out.printf(
          "ADVERTISING adapter=%s uuid=fff9 data=%s ms=%d%n",
          advertise, HexFormat.of().formatHex(eid), (System.nanoTime() - t0) / 1_000_000);
    }
    boolean heard = seen.await(seconds, TimeUnit.SECONDS);
    if (heard) {
      Thread.sleep(1000); // a little more air time for the HCI capture on the scanning side
    }
    if (advertHandle != null) {
      advertHandle.close();
      advertiser.close();
    }
    if (scanHandle != null) {
      scanHandle.close();
      scanner.close();
    }
    System.out.println("DONE heard=" + heard);
    System.exit(scan == null || heard ? 0 : 3);
  }
}
