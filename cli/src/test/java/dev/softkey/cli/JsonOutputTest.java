package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.cli.CliRunner.Result;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.usb.client.FidoHidDevice;
import dev.softkey.usb.client.HidTransport;
import dev.softkey.usb.client.HidTransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} of info, profiles and probe: parsed back, real fields checked. */
class JsonOutputTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode parse(Result r) throws IOException {
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    return JSON.readTree(r.out());
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Nested
  class Info {
    @Test
    void generic_membersUnderTheirCtapNames() throws IOException {
      Profile generic = Profiles.load("generic");
      JsonNode n = parse(CliRunner.run("--store", "memory", "info", "--json"));
      assertThat(texts(n.get("versions"))).contains("FIDO_2_1", "U2F_V2");
      assertThat(n.get("aaguid").asText()).isEqualTo(generic.aaguid().toString());
      assertThat(n.at("/options/rk").asBoolean()).isTrue();
      assertThat(n.at("/options/clientPin").isBoolean()).isTrue();
      assertThat(n.get("maxMsgSize").asInt()).isEqualTo(generic.maxMsgSize());
      assertThat(n.get("pinUvAuthProtocols").toString()).isEqualTo("[2,1]");
      assertThat(n.at("/algorithms/0/alg").asInt()).isEqualTo(-7);
      assertThat(n.at("/algorithms/0/type").asText()).isEqualTo("public-key");
      assertThat(n.get("minPINLength").asInt()).isEqualTo(4);
      // the same members as the readable form, in the same order
      List<String> readable = CliRunner.run("--store", "memory", "info").out().lines().map(l -> l.substring(0, l.indexOf(':'))).toList();
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      assertThat(names).isEqualTo(readable);
    }

    @Test
    void otherProfile_andLiveState(@TempDir Path dir) throws IOException {
      JsonNode y = parse(CliRunner.run("--store", "memory", "--profile", "yubikey-5", "info", "--json"));
      assertThat(y.get("aaguid").asText()).isEqualTo(Profiles.load("yubikey-5").aaguid().toString());
      assertThat(texts(y.get("versions"))).contains("FIDO_2_1_PRE").doesNotContain("FIDO_2_1");

      String store = dir.toString();
      assertThat(parse(CliRunner.run("--store", store, "info", "--json")).at("/options/clientPin").asBoolean()).isFalse();
      assertThat(CliRunner.run("--store", store, "pin", "set", "--new-pin", "123456").code()).isZero();
      assertThat(parse(CliRunner.run("--store", store, "info", "--json")).at("/options/clientPin").asBoolean()).isTrue();
    }
  }

  @Nested
  class Profiles_ {
    @Test
    void everyBuiltInProfile_inTheProfileFileFormat(@TempDir Path dir) throws IOException {
      JsonNode a = parse(CliRunner.run("profiles", "--json"));
      assertThat(a.isArray()).isTrue();
      List<String> ids = new ArrayList<>();
      a.forEach(p -> ids.add(p.get("id").asText()));
      assertThat(ids).containsExactlyElementsOf(Profiles.BUILT_IN);
      for (JsonNode p : a) {
        Profile real = Profiles.load(p.get("id").asText());
        assertThat(p.get("aaguid").asText()).isEqualTo(real.aaguid().toString());
        assertThat(p.get("description").asText()).isEqualTo(real.description());
        assertThat(texts(p.get("versions"))).isEqualTo(real.versions());
        assertThat(p.at("/usb/vendorId").asInt()).isEqualTo(real.usb().vendorId());
      }
      // one element, saved, is a profile for --profile FILE
      Path f = dir.resolve("bio-copy.json");
      Files.writeString(f, a.get(2).toString());
      JsonNode info = parse(CliRunner.run("--store", "memory", "--profile", f.toString(), "info", "--json"));
      assertThat(info.get("aaguid").asText()).isEqualTo(Profiles.load("bio").aaguid().toString());
      assertThat(info.at("/options").has("uv")).as("built-in UV, not enrolled yet").isTrue();
    }
  }

  @Nested
  class Probe {
    final DeviceFactory.Device key =
        new DeviceFactory().open(new DeviceFactory.DeviceOptions(Optional.empty(), "generic", OptionalLong.of(1), "approve", Optional.empty()));
    final FidoHidDevice good = new FidoHidDevice("/dev/hidraw7", 0x1050, 0x0407, Optional.of("Yubico"), Optional.of("YubiKey FIDO"), Optional.empty());
    final FidoHidDevice broken = new FidoHidDevice("/dev/hidraw8", 0x20a0, 0x42b1, Optional.empty(), Optional.empty(), Optional.empty());
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void probe(List<FidoHidDevice> devices, int capabilities) {
      CtapHidTestKey k = new CtapHidTestKey(key.transport(), capabilities);
      ProbeCommand.HidDevices hid =
          new ProbeCommand.HidDevices() {
            @Override
            public List<FidoHidDevice> list() {
              return devices;
            }

            @Override
            public HidTransport open(FidoHidDevice d) {
              if (d.equals(broken)) {
                throw new HidTransportException("cannot open /dev/hidraw8: Permission denied");
              }
              return new ProbeCommandTest.MemoryHid(k);
            }

            @Override
            public void close() {}
          };
      ProbeCommand.probeAllJson(hid, Duration.ofSeconds(1), new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    JsonNode json() throws IOException {
      return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hidDevice_initAndGetInfo() throws IOException {
      probe(List.of(good), 0x05);
      JsonNode d = json().get(0);
      assertThat(d.get("transport").asText()).isEqualTo("hid");
      assertThat(d.get("path").asText()).isEqualTo("/dev/hidraw7");
      assertThat(d.get("vendorId").asText()).isEqualTo("1050");
      assertThat(d.get("product").asText()).isEqualTo("YubiKey FIDO");
      assertThat(d.at("/init/cid").asText()).isEqualTo("11223344");
      assertThat(d.at("/init/deviceVersion").asText()).isEqualTo("1.2.3");
      assertThat(d.at("/init/capabilities").asInt()).isEqualTo(5);
      assertThat(texts(d.at("/init/capabilityNames"))).containsExactly("WINK", "CBOR");
      assertThat(texts(d.at("/getInfo/versions"))).contains("FIDO_2_1");
      assertThat(d.at("/getInfo/aaguid").asText()).isEqualTo(Profiles.load("generic").aaguid().toString());
      assertThat(d.has("error")).isFalse();
    }

    @Test
    void brokenAndU2fOnlyDevices_stillOneArray_thenTheRunFails() throws IOException {
      assertThatThrownBy(() -> probe(List.of(broken, good), 0x01)).hasMessage("1 of 2 devices could not be probed");
      JsonNode a = json();
      assertThat(a.size()).isEqualTo(2);
      assertThat(a.at("/0/error").asText()).isEqualTo("cannot open /dev/hidraw8: Permission denied");
      assertThat(a.at("/1/getInfo").isNull()).isTrue();
      assertThat(a.at("/1/init/cid").asText()).isEqualTo("11223344");
    }

    @Test
    void noDevice_isAnEmptyArray_andAnError() throws IOException {
      assertThatThrownBy(() -> probe(List.of(), 0x05)).hasMessageStartingWith("no FIDO HID device found");
      assertThat(json().isArray()).isTrue();
      assertThat(json().size()).isZero();
    }

    @Test
    void udp_throughTheCommandLine() throws Exception {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      int replyPort;
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
        replyPort = s.getLocalPort();
      }
      CtapHidTestKey k = new CtapHidTestKey(key.transport(), 0x05);
      try (DatagramSocket device = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
        Thread t = new Thread(() -> {
          byte[] buf = new byte[64];
          try {
            while (true) {
              DatagramPacket p = new DatagramPacket(buf, 64);
              device.receive(p);
              for (byte[] r : k.handle(buf.clone())) {
                device.send(new DatagramPacket(r, 64, new InetSocketAddress(loopback, replyPort)));
              }
            }
          } catch (IOException e) {
            // closed
          }
        });
        t.setDaemon(true);
        t.start();
        JsonNode a = parse(CliRunner.run("probe", "--udp", "--json", "--port", "" + device.getLocalPort(), "--reply-port", "" + replyPort));
        assertThat(a.size()).isEqualTo(1);
        assertThat(a.at("/0/transport").asText()).isEqualTo("udp");
        assertThat(a.at("/0/address").asText()).isEqualTo("127.0.0.1:" + device.getLocalPort());
        assertThat(a.at("/0/replyPort").asInt()).isEqualTo(replyPort);
        assertThat(a.at("/0/init/protocolVersion").asInt()).isEqualTo(2);
        assertThat(texts(a.at("/0/getInfo/versions"))).contains("FIDO_2_1");
      }
    }

    @Test
    void udp_withoutSimulator_printsTheErrorInJson_exit1() throws Exception {
      try (DatagramSocket mute = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        Result r = CliRunner.run("probe", "--udp", "--json", "--port", "" + mute.getLocalPort(), "--reply-port", "0", "--timeout", "0.2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(JSON.readTree(r.out()).at("/0/error").asText()).startsWith("no CTAPHID_INIT answer");
        assertThat(r.err()).startsWith("softkey: no CTAPHID_INIT answer").contains("softkey serve --transport udp");
      }
    }
  }
}
