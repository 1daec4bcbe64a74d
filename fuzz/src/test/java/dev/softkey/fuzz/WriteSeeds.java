package dev.softkey.fuzz;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.FileStore;
import dev.softkey.core.store.StoreSeeds;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.MutableClock;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.qr.DigitCodec;
import dev.softkey.hybrid.session.TunnelSeeds;
import dev.softkey.testvectors.CborVector;
import dev.softkey.testvectors.CborVectors;
import dev.softkey.testvectors.Ctap2Vectors;
import dev.softkey.testvectors.Hex;
import dev.softkey.testvectors.HybridVectors;
import dev.softkey.usb.backend.usbip.UsbIpSeeds;
import dev.softkey.usb.ctaphid.CtapHidCommand;
import dev.softkey.usb.ctaphid.CtapHidDevice;
import dev.softkey.usb.ctaphid.CtapHidFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the seed corpora of the fuzz targets from the testvectors module (and from messages the
 * real parties produce under a seed) into {@code src/test/resources/<package>/<Class>Inputs/<method>/},
 * the directory Jazzer reads in regression mode and starts from when fuzzing. Run from the
 * {@code fuzz} module directory: {@code scripts/fuzz.sh --seeds}. Seed files are named {@code
 * seed-<vector name>}; findings that Jazzer adds next to them are {@code crash-<sha1>} files.
 */
public final class WriteSeeds {
  private final Path resources;

  private WriteSeeds(Path resources) {
    this.resources = resources;
  }

  public static void main(String[] args) throws IOException {
    WriteSeeds w = new WriteSeeds(Path.of(args.length > 0 ? args[0] : "src/test/resources"));
    w.cbor();
    w.ctap();
    w.ctapHid();
    w.u2f();
    w.hybrid();
    w.usbIp();
    w.store();
  }

  private void write(Class<?> target, String method, String name, byte[] data) throws IOException {
    Path dir = resources.resolve(target.getPackageName().replace('.', '/')).resolve(target.getSimpleName() + "Inputs").resolve(method);
    Files.createDirectories(dir);
    Files.write(dir.resolve("seed-" + name.replaceAll("[^A-Za-z0-9._-]", "_")), data);
  }

  private void cbor() throws IOException {
    for (CborVectors file : List.of(CborVectors.rfc8949AppendixA(), CborVectors.ctap2Canonical())) {
      for (CborVector v : file.vectors()) {
        write(CborDecoderFuzzTest.class, "decode", v.name(), v.bytes());
        write(CborDecoderFuzzTest.class, "decodePrefix", v.name(), v.bytes());
      }
    }
    for (String file : Ctap2Vectors.FILES) {
      for (Map.Entry<String, List<String>> e : Ctap2Vectors.rowsByName(file).entrySet()) {
        byte[] m = Ctap2Vectors.message(file, e.getKey());
        // requests start with their command byte; responses are a CBOR map
        byte[] cbor = file.equals(Ctap2Vectors.PYTHON_FIDO2_REQUESTS) ? Arrays.copyOfRange(m, 1, m.length) : m;
        write(CborDecoderFuzzTest.class, "decode", "ctap2-" + e.getKey(), cbor);
      }
    }
  }

  /** Requests by command: python-fido2's, and the ones a browser sends first, written here. */
  private Map<String, byte[]> ctapRequests() {
    Map<String, byte[]> r = new LinkedHashMap<>();
    for (String name : Ctap2Vectors.rowsByName(Ctap2Vectors.PYTHON_FIDO2_REQUESTS).keySet()) {
      r.put(name, Ctap2Vectors.message(Ctap2Vectors.PYTHON_FIDO2_REQUESTS, name));
    }
    byte[] uid = {1, 2, 3, 4};
    r.put("mc-rk", req(CtapCommand.MAKE_CREDENTIAL, CtapTestClient.makeCredential("example.com", uid, List.of(-7L), Map.of("rk", true))));
    r.put("mc-nonrk-eddsa", req(CtapCommand.MAKE_CREDENTIAL, CtapTestClient.makeCredential("example.org", uid, List.of(-8L, -7L), Map.of())));
    Map<Object, Object> ext = new LinkedHashMap<>(CtapTestClient.makeCredential("example.com", uid, List.of(-7L), Map.of("rk", true)));
    ext.put(6L, Map.of("credProtect", 2L, "hmac-secret", true, "credBlob", Bytes.wrap(new byte[] {7}), "minPinLength", true, "largeBlobKey", true));
    r.put("mc-extensions", req(CtapCommand.MAKE_CREDENTIAL, ext));
    Map<Object, Object> excl = new LinkedHashMap<>(CtapTestClient.makeCredential("example.com", uid, List.of(-7L), Map.of()));
    excl.put(5L, List.of(Map.of("id", Bytes.wrap(new byte[16]), "type", "public-key")));
    r.put("mc-exclude-list", req(CtapCommand.MAKE_CREDENTIAL, excl));
    r.put("ga-discoverable", req(CtapCommand.GET_ASSERTION, CtapTestClient.getAssertion("example.com", List.of(), Map.of())));
    r.put("ga-allow-list", req(CtapCommand.GET_ASSERTION, CtapTestClient.getAssertion("example.com", List.of(Bytes.wrap(new byte[32])), Map.of("up", false))));
    r.put("cp-get-retries", req(CtapCommand.CLIENT_PIN, Map.of(1L, 2L, 2L, 1L)));
    r.put("cp-get-key-agreement", req(CtapCommand.CLIENT_PIN, Map.of(1L, 2L, 2L, 2L)));
    r.put("cp-get-uv-retries", req(CtapCommand.CLIENT_PIN, Map.of(1L, 2L, 2L, 7L)));
    r.put("lb-get", req(CtapCommand.LARGE_BLOBS, Map.of(1L, 64L, 3L, 0L)));
    r.put("cm-metadata-no-auth", req(CtapCommand.CREDENTIAL_MANAGEMENT, Map.of(1L, 1L)));
    r.put("cfg-enable-ep", req(CtapCommand.CONFIG, Map.of(1L, 1L)));
    r.put("bio-modality", req(CtapCommand.BIO_ENROLLMENT, Map.of(6L, true)));
    r.put("get-info", new byte[] {(byte) CtapCommand.GET_INFO.code()});
    r.put("reset", new byte[] {(byte) CtapCommand.RESET.code()});
    r.put("selection", new byte[] {(byte) CtapCommand.SELECTION.code()});
    r.put("get-next-assertion", new byte[] {(byte) CtapCommand.GET_NEXT_ASSERTION.code()});
    return r;
  }

  private static byte[] req(CtapCommand cmd, Map<Object, Object> params) {
    byte[] body = CborEncoder.encode(params);
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) cmd.code();
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  private void ctap() throws IOException {
    Map<CtapCommand, String> methods =
        Map.of(
            CtapCommand.MAKE_CREDENTIAL, "makeCredential",
            CtapCommand.GET_ASSERTION, "getAssertion",
            CtapCommand.CLIENT_PIN, "clientPin",
            CtapCommand.CREDENTIAL_MANAGEMENT, "credentialManagement",
            CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW, "credentialManagement",
            CtapCommand.LARGE_BLOBS, "largeBlobs",
            CtapCommand.CONFIG, "config",
            CtapCommand.BIO_ENROLLMENT, "bioEnrollment",
            CtapCommand.BIO_ENROLLMENT_PREVIEW, "bioEnrollment");
    for (Map.Entry<String, byte[]> e : ctapRequests().entrySet()) {
      byte[] m = e.getValue();
      write(CtapCommandFuzzTest.class, "anyCommand", e.getKey(), m);
      CtapCommand.fromCode(m[0]).map(methods::get).ifPresent(method -> {
        try {
          write(CtapCommandFuzzTest.class, method, e.getKey(), Arrays.copyOfRange(m, 1, m.length));
        } catch (IOException x) {
          throw new java.io.UncheckedIOException(x);
        }
      });
    }
  }

  /** Report sequences: INIT, then messages on the channel the seeded device allocates. */
  private void ctapHid() throws IOException {
    int cid = allocatedCid();
    byte[] init = reports(CtapHidFrames.BROADCAST_CID, CtapHidCommand.INIT, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Map<String, byte[]> seqs = new LinkedHashMap<>();
    seqs.put("init", init);
    seqs.put("init-ping-long", concat(init, reports(cid, CtapHidCommand.PING, new byte[200])));
    seqs.put("init-cbor-getinfo", concat(init, reports(cid, CtapHidCommand.CBOR, new byte[] {4})));
    seqs.put("init-cbor-makecredential", concat(init, reports(cid, CtapHidCommand.CBOR, ctapRequests().get("mc-rk"))));
    seqs.put("init-msg-u2f-version", concat(init, reports(cid, CtapHidCommand.MSG, new byte[] {0, 3, 0, 0, 0})));
    seqs.put("init-lock-wink", concat(init, reports(cid, CtapHidCommand.LOCK, new byte[] {5}), reports(cid, CtapHidCommand.WINK, new byte[0])));
    seqs.put("init-cancel", concat(init, reports(cid, CtapHidCommand.CANCEL, new byte[0])));
    for (Map.Entry<String, byte[]> e : seqs.entrySet()) {
      write(CtapHidFuzzTest.class, "reports", e.getKey(), e.getValue());
    }
  }

  private static int allocatedCid() {
    FuzzDevices.Device d = FuzzDevices.fresh("generic");
    List<byte[]> sent = new ArrayList<>();
    try (CtapHidDevice hid =
        CtapHidDevice.builder(d.authenticator()).clock(d.clock()).random(RandomSource.seeded(7)).worker(Runnable::run).ticker(false)
            .build(r -> sent.add(r.clone()))) {
      for (byte[] p : CtapHidFrames.fragment(CtapHidFrames.BROADCAST_CID, CtapHidCommand.INIT.code(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8})) {
        hid.onOutputReport(p);
      }
    }
    byte[] r = sent.get(0);
    return ((r[15] & 0xFF) << 24) | ((r[16] & 0xFF) << 16) | ((r[17] & 0xFF) << 8) | (r[18] & 0xFF);
  }

  private static byte[] reports(int cid, CtapHidCommand cmd, byte[] payload) {
    return concat(CtapHidFrames.fragment(cid, cmd.code(), payload).toArray(new byte[0][]));
  }

  private void u2f() throws IOException {
    byte[] challenge = new byte[32];
    byte[] app = CtapTestClient.hash("https://example.com").toArray();
    byte[] register = apdu(0x01, 0x03, concat(challenge, app));
    write(U2fFuzzTest.class, "apdu", "version", new byte[] {0, 3, 0, 0, 0});
    write(U2fFuzzTest.class, "apdu", "version-extended", new byte[] {0, 3, 0, 0, 0, 0, 0});
    write(U2fFuzzTest.class, "apdu", "register", register);
    // the key handle the seeded fresh device returns, so that authenticate reaches its signature
    FuzzDevices.Device d = FuzzDevices.fresh("generic");
    byte[] reg = d.authenticator().processU2f(register, OperationContext.INTERNAL);
    int khLen = reg[66] & 0xFF;
    byte[] kh = Arrays.copyOfRange(reg, 67, 67 + khLen);
    byte[] auth = concat(challenge, app, new byte[] {(byte) khLen}, kh);
    write(U2fFuzzTest.class, "apdu", "authenticate-enforce", apdu(0x02, 0x03, auth));
    write(U2fFuzzTest.class, "apdu", "authenticate-check-only", apdu(0x02, 0x07, auth));
  }

  /** An extended-length request APDU (CLA 0, INS, P1, P2 0, Lc 3 bytes, data, Le 2 bytes). */
  private static byte[] apdu(int ins, int p1, byte[] data) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {0, (byte) ins, (byte) p1, 0, 0, (byte) (data.length >>> 8), (byte) data.length});
    b.writeBytes(data);
    b.writeBytes(new byte[] {0, 0});
    return b.toByteArray();
  }

  private void hybrid() throws IOException {
    for (List<String> row : HybridVectors.table("qr-urls.tsv").rows()) {
      write(QrPayloadFuzzTest.class, "decodeUrl", row.get(0), row.get(1).getBytes(StandardCharsets.UTF_8));
      if (row.get(2).equals("valid")) {
        write(QrPayloadFuzzTest.class, "fromCbor", row.get(0), DigitCodec.decode(row.get(1).substring(6)).toArray());
      }
    }
    for (List<String> row : HybridVectors.table("qr-known-chromium.tsv").rows()) {
      write(QrPayloadFuzzTest.class, "fromCbor", "chromium-" + row.get(0), Hex.decode(row.get(1)));
      write(QrPayloadFuzzTest.class, "decodeUrl", "chromium-" + row.get(0),
          ("FIDO:/" + DigitCodec.encode(Bytes.wrap(Hex.decode(row.get(1))))).getBytes(StandardCharsets.US_ASCII));
    }
    write(NoiseFuzzTest.class, "respond", "genuine-initial", NoiseFuzzTest.genuineInitial().toArray());
    write(NoiseFuzzTest.class, "processResponse", "genuine-response", NoiseFuzzTest.genuineResponse().toArray());
    for (List<String> row : HybridVectors.table("crypter.tsv").rows()) {
      write(NoiseFuzzTest.class, "crypter", row.get(0), concat(new byte[] {7}, Hex.decode(row.get(3))));
    }
    for (List<String> row : HybridVectors.table("post-handshake.tsv").rows()) {
      write(TunnelSeeds.TARGET, "postHandshake", row.get(0), Hex.decode(row.get(1)));
    }
    write(TunnelSeeds.TARGET, "update", "genuine-linking", TunnelSeeds.genuineUpdate());
    write(TunnelSeeds.TARGET, "linkInfo", "stored-link", TunnelSeeds.linkInfo());
  }

  private void usbIp() throws IOException {
    for (Map.Entry<String, byte[]> e : UsbIpSeeds.all().entrySet()) {
      write(UsbIpSeeds.TARGET, "decode", e.getKey(), e.getValue());
    }
  }

  private void store() throws IOException {
    java.util.function.Consumer<FileStore> fill =
        s -> {
          Authenticator a =
              Authenticator.builder().profile(Profiles.defaultProfile()).presence(Presence.approve())
                  .credentialStore(s).stateStore(s).clock(new MutableClock()).seed(42).build();
          new CtapTestClient(a).send(CtapCommand.MAKE_CREDENTIAL,
              CtapTestClient.makeCredential("example.com", new byte[] {1, 2, 3, 4}, List.of(-7L), Map.of("rk", true)));
        };
    byte[] plain = StoreSeeds.file(false, fill);
    write(StoreSeeds.TARGET, "open", "v2-plain-one-credential", plain);
    write(StoreSeeds.TARGET, "open", "v2-plain-empty", StoreSeeds.file(false, s -> {}));
    write(StoreSeeds.TARGET, "open", "v2-encrypted-one-credential", StoreSeeds.file(true, fill));
    byte[] v1 = StoreSeeds.versionOneFile(false, fill);
    write(StoreSeeds.TARGET, "open", "v1-plain-one-credential", v1);
    write(StoreSeeds.TARGET, "open", "v1-encrypted-one-credential", StoreSeeds.versionOneFile(true, fill));
    write(StoreSeeds.TARGET, "payload", "v2-one-credential", StoreSeeds.payload(plain));
    write(StoreSeeds.TARGET, "payload", "v1-one-credential", StoreSeeds.payload(v1));
    // the journal: a makeCredential, getAssertions (sign-count records), a deleted credential
    java.util.function.Consumer<FileStore> journalled =
        fill.andThen(
            s -> {
              dev.softkey.core.store.StoredCredential c = s.all().get(0);
              s.update(c.withSignCount(7));
              s.update(c.withUser(java.util.Optional.of("renamed"), java.util.Optional.empty()));
              s.put(c.withSignCount(0).withUser(java.util.Optional.empty(), java.util.Optional.empty()));
              s.put("seed.record", Bytes.fromHex("a10101"));
              s.remove("seed.record");
              s.delete(c.credentialId());
              s.clear();
            });
    byte[] withJournal = StoreSeeds.snapshotAndJournal(false, journalled);
    write(StoreSeeds.TARGET, "store", "plain-journal", withJournal);
    write(StoreSeeds.TARGET, "store", "encrypted-journal", StoreSeeds.snapshotAndJournal(true, journalled));
    int n = 0;
    for (byte[] record : StoreSeeds.records(withJournal)) {
      write(StoreSeeds.TARGET, "record", "record-" + n++, record);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }
}
