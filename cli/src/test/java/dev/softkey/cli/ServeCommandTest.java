package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.core.store.FileStore;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.usb.client.CtapHidClient;
import dev.softkey.usb.client.UdpHidTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code softkey serve} as a user runs it: a separate JVM serving UDP with a file store, a client
 * registering over CTAPHID, then a SIGTERM (what Ctrl-C sends through the shutdown hook): the
 * process ends and the store holds the discoverable credential.
 */
class ServeCommandTest {
  static final String CREATE =
      "{\"publicKey\":{\"rp\":{\"name\":\"Example\"},\"user\":{\"id\":\"AQID\",\"name\":\"a\",\"displayName\":\"A\"},"
          + "\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}],"
          + "\"authenticatorSelection\":{\"residentKey\":\"required\",\"userVerification\":\"discouraged\"}}}";

  static int freePort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void serveUdp_readyLine_registration_thenSigtermFlushesAndStops(@TempDir Path store) throws Exception {
    int device = freePort();
    int reply = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.softkey.cli.Main",
                "--store", store.toString(), "serve", "--port", String.valueOf(device), "--reply-port", String.valueOf(reply))
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertThat(ready).startsWith("softkey ready: generic on udp 127.0.0.1:" + device);

      try (CtapHidClient client = CtapHidClient.of(UdpHidTransport.open(device, reply))) {
        client.init();
        byte[] info = client.cbor(new byte[] {0x04});
        assertThat(info[0]).isZero();
        CborMap m = CborDecoder.decodeMap(Arrays.copyOfRange(info, 1, info.length));
        assertThat(m.map(4).optBool("rk")).contains(true);
        RegistrationResponse reg = WebAuthnClient.builder(client).build().create(CREATE, "https://example.com", Optional.empty());
        assertThat(reg.rawId().length()).isGreaterThan(16);
      }

      p.destroy(); // SIGTERM: the shutdown hook closes the device and the store
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    try (FileStore fs = FileStore.open(store, Optional.empty())) {
      assertThat(fs.findByRpId("example.com")).hasSize(1);
    }
  }
}
