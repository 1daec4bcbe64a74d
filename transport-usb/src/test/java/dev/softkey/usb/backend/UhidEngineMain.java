package dev.softkey.usb.backend;

import dev.softkey.core.Authenticator;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.usb.ctaphid.CtapHidDevice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Guest test (src/test/vm/uhid-libfido2.sh test-main): the real engine behind /dev/uhid, wired the
 * way {@code softkey serve --transport uhid --store memory} will be: {@link Authenticator} (memory
 * store, presence always approved) + {@link CtapHidDevice} + {@link UhidBackend}.
 *
 * <p>Usage: {@code UhidEngineMain [profile-id]} (default "generic").
 */
public final class UhidEngineMain {
  private UhidEngineMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println("T_MAIN " + UhidSmokeMain.uptime());
    Profile profile = Profiles.builtIn(args.length > 0 ? args[0] : Profiles.DEFAULT_ID).orElseThrow();
    Authenticator authenticator = Authenticator.builder().profile(profile).build();
    UhidBackend backend = new UhidBackend(profile.usb());
    CtapHidDevice device = CtapHidDevice.builder(authenticator).start(backend);
    System.out.println("T_CREATED " + UhidSmokeMain.uptime());
    String node = backend.awaitHidrawNode(Duration.ofSeconds(20)).map(Path::toString).orElse("none");
    System.out.println("READY " + backend.describe() + " node=" + node + " T " + UhidSmokeMain.uptime());
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  backend.close();
                  device.close();
                  done.countDown();
                }));
    done.await();
  }
}
