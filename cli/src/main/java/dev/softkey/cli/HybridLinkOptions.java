package dev.softkey.cli;

import dev.softkey.hybrid.ble.LoopbackRadio;
import dev.softkey.hybrid.ble.Radio;
import dev.softkey.hybrid.crypto.TunnelDomain;
import dev.softkey.hybrid.session.HybridOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** Options of the hybrid roles that talk to a tunnel and a radio ({@code scan}, {@code initiate}). */
final class HybridLinkOptions {
  @Option(names = "--tunnel-url", paramLabel = "URL",
      description = "Use this tunnel server (e.g. ws://127.0.0.1:8080 from 'softkey tunnel-server'). Default: the one the advert names (--domain).")
  URI tunnelUrl;

  @Option(names = "--radio", paramLabel = "loopback|bluez",
      description = "The radio: loopback (processes on this machine) or bluez (a real controller through BlueZ). Default: ${DEFAULT-VALUE}.")
  String radio = "loopback";

  @Option(names = "--adapter", paramLabel = "hciN", description = "With --radio bluez: the BlueZ adapter. Default: ${DEFAULT-VALUE}.")
  String adapter = "hci0";

  @Option(names = "--domain", paramLabel = "ID", description = "Tunnel domain ID the phone advertises. Default: ${DEFAULT-VALUE} (Google's, cable.ua5v.com).")
  int domain = TunnelDomain.GOOGLE;

  @Option(names = "--timeout", paramLabel = "S", description = "Seconds each step may wait. Default: ${DEFAULT-VALUE}.")
  int timeout = 60;

  HybridOptions options(Consumer<String> log) {
    return new HybridOptions(domain, Optional.ofNullable(tunnelUrl), Duration.ofSeconds(timeout), log);
  }

  Radio radio() {
    return switch (radio) {
      case "loopback" -> new LoopbackRadio();
      case "bluez" -> {
        try {
          yield dev.softkey.hybrid.ble.BluezRadio.open(adapter);
        } catch (dev.softkey.hybrid.ble.BluezException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      }
      default -> throw new UsageException("--radio must be loopback or bluez, not " + radio);
    };
  }
}
