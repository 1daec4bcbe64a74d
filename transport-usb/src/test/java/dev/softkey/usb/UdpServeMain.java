package dev.softkey.usb;

import dev.softkey.core.Authenticator;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.usb.backend.UdpBackend;
import dev.softkey.usb.ctaphid.CtapHidDevice;
import java.util.concurrent.CountDownLatch;

/**
 * A softkey on UDP for harnesses (test code): an in-memory {@link Authenticator} that approves
 * every user-presence request, behind {@link CtapHidDevice} and {@link UdpBackend}.
 *
 * <pre>
 * java ... dev.softkey.usb.UdpServeMain [--device-port 8111] [--host-port 7112] [--profile generic] [--seed N]
 * </pre>
 *
 * It prints the back-end's description and serves until killed.
 */
public final class UdpServeMain implements AutoCloseable {
  private final Authenticator authenticator;
  private final UdpBackend backend;
  private final CtapHidDevice device;

  private UdpServeMain(Authenticator authenticator, UdpBackend backend) {
    this.authenticator = authenticator;
    this.backend = backend;
    this.device = CtapHidDevice.builder(authenticator).start(backend);
  }

  /** A fresh in-memory authenticator for {@code profile}, approving presence, served on loopback. */
  public static UdpServeMain start(Profile profile, RandomSource random, int devicePort, int hostPort) {
    Authenticator authenticator =
        Authenticator.builder()
            .profile(profile)
            .store(new MemoryStore())
            .presence(Presence.approve())
            .random(random)
            .build();
    return new UdpServeMain(authenticator, UdpBackend.onLoopback(devicePort, hostPort));
  }

  /** {@code authenticator} served on loopback (a harness that needs another builder than {@link #start(Profile, RandomSource, int, int)}). */
  public static UdpServeMain start(Authenticator authenticator, int devicePort, int hostPort) {
    return new UdpServeMain(authenticator, UdpBackend.onLoopback(devicePort, hostPort));
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  /** The device port actually bound (resolves a requested port 0). */
  public int devicePort() {
    return backend.localAddress().orElseThrow().getPort();
  }

  /** Where input reports go (the harness binds it). */
  public int hostPort() {
    return backend.replyAddress().getPort();
  }

  public String describe() {
    return backend.describe();
  }

  @Override
  public void close() {
    device.close();
    backend.close();
  }

  public static void main(String[] args) throws InterruptedException {
    int devicePort = UdpBackend.DEFAULT_DEVICE_PORT;
    int hostPort = UdpBackend.DEFAULT_HOST_PORT;
    String profileId = Profiles.DEFAULT_ID;
    RandomSource random = RandomSource.secure();
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--device-port" -> devicePort = Integer.parseInt(require(args[i], value));
        case "--host-port" -> hostPort = Integer.parseInt(require(args[i], value));
        case "--profile" -> profileId = require(args[i], value);
        case "--seed" -> random = RandomSource.seeded(Long.parseLong(require(args[i], value)));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    UdpServeMain serving = start(Profiles.load(profileId), random, devicePort, hostPort);
    Runtime.getRuntime().addShutdownHook(new Thread(serving::close));
    System.out.println("softkey ready: " + serving.describe());
    new CountDownLatch(1).await();
  }

  private static String require(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
