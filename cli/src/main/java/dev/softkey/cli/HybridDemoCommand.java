package dev.softkey.cli;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.hybrid.ble.InProcessRadio;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.qr.QrImages;
import dev.softkey.hybrid.qr.RequestType;
import dev.softkey.hybrid.session.HybridAuthenticator;
import dev.softkey.hybrid.session.HybridChannel;
import dev.softkey.hybrid.session.HybridInitiator;
import dev.softkey.hybrid.session.HybridOptions;
import dev.softkey.hybrid.session.LinkInfo;
import dev.softkey.hybrid.tunnel.TunnelServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;

/** {@code softkey hybrid demo}: both hybrid roles and a tunnel server in one process, offline. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Both roles and a tunnel server in this process, offline: QR code, advert, handshake, register, sign in, then a linked sign-in without a QR code.",
      "The phone is an in-memory key of --profile."
    })
final class HybridDemoCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  HybridDemoCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    AtomicReference<HybridAuthenticator> phoneRef = new AtomicReference<>();
    try (TunnelServer server =
            TunnelServer.start(new InetSocketAddress("127.0.0.1", 0), TunnelServer.Limits.DEFAULT, Optional.empty(),
                id -> Optional.ofNullable(phoneRef.get()).flatMap(p -> p.contacts(e -> null).find(id)));
        DeviceFactory.Device d = root.openDevice(root.deviceOptions().inMemory())) {
      root.out().println("softkey hybrid demo: tunnel server on ws://127.0.0.1:" + server.port() + ", in-process radio, in-memory phone");
      HybridOptions opts = HybridOptions.loopback(URI.create("ws://127.0.0.1:" + server.port())).withLog(s -> root.out().println("   " + s));
      InProcessRadio radio = new InProcessRadio();
      HybridAuthenticator phone = new HybridAuthenticator(d.authenticator().orElseThrow(), d.state().orElseThrow(), radio, RandomSource.secure(), opts, "softkey demo phone");
      phoneRef.set(phone);
      HybridInitiator desktop = new HybridInitiator(radio, RandomSource.secure(), opts);
      HybridInitiator.Pending pending = desktop.startQr(RequestType.MAKE_CREDENTIAL, true);
      root.out().println("The desktop shows this QR code; the phone scans it:");
      root.out().println(QrImages.renderTerminal(pending.fidoUrl(), false));
      root.out().println(pending.fidoUrl());
      CompletableFuture<HybridAuthenticator.Outcome> phoneRun =
          CompletableFuture.supplyAsync(() -> {
            try {
              return phone.serveQr(pending.fidoUrl());
            } catch (IOException e) {
              throw new HybridException(e.getMessage());
            }
          });
      Optional<LinkInfo> link;
      try (HybridChannel channel = pending.connect()) {
        new Demo(WebAuthnClient.builder(channel).transports(List.of("hybrid")).build(), root.out(), root.deviceOptions().seed()).run(Optional.empty());
        link = channel.linkInfo();
      }
      HybridAuthenticator.Outcome o = phoneRun.get(opts.timeout().toSeconds(), TimeUnit.SECONDS);
      root.out().printf("The phone served %d CTAP request(s) over the tunnel.%n", o.ctapRequests());
      if (link.isPresent()) {
        root.out().println();
        root.out().println("Linked sign-in: no QR code this time; the tunnel's contact endpoint wakes the phone.");
        try (HybridChannel channel = desktop.connectLinked(link.get(), RequestType.GET_ASSERTION)) {
          String get = "{\"challenge\":\"" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(RandomSource.secure().bytes(32))
              + "\",\"rpId\":\"demo.softkey.dev\",\"userVerification\":\"discouraged\"}";
          var auth = WebAuthnClient.builder(channel).transports(List.of("hybrid")).build().get(get, "https://demo.softkey.dev", Optional.empty());
          root.out().println("   signed in with the discoverable credential " + auth.rawId().base64Url().substring(0, 16) + "... (user handle "
              + auth.userHandle().map(u -> u.base64Url()).orElse("none") + ")");
        }
      }
      root.out().println();
      root.out().println("Hybrid demo complete.");
    }
    return 0;
  }
}
