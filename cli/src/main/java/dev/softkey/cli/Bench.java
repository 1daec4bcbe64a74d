package dev.softkey.cli;

import dev.softkey.core.CtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code softkey bench}: operations per second of makeCredential and getAssertion through the whole
 * engine (CTAP bytes in, CBOR decoding, credential ID unsealing, counters, signing, CBOR encoding),
 * next to the raw signature rate of the same key type and provider in the same run. The ratio is
 * the engine's overhead; the target is getAssertion at least 0.8 x the raw rate.
 */
public final class Bench {
  private final Supplier<DeviceFactory.Device> devices;
  private final Duration warmup;
  private final Duration measure;
  private final int rounds;

  /** {@code devices} opens a fresh device (in memory) for each measurement. */
  public Bench(Supplier<DeviceFactory.Device> devices, Duration warmup, Duration measure, int rounds) {
    this.devices = devices;
    this.warmup = warmup;
    this.measure = measure;
    this.rounds = rounds;
  }

  /** One measured row. */
  public record Row(String algorithm, double rawSignPerSec, double getAssertionPerSec, double makeCredentialPerSec) {
    public double ratio() {
      return getAssertionPerSec / rawSignPerSec;
    }
  }

  /**
   * ES256 makeCredential next to its physical limit, measured in the same run: with packed
   * attestation the limit is one P-256 key generation plus one signature (the batch key's), with
   * attestation none one key generation alone. Rates are per second; the ratios are issue 14's
   * targets (at least 0.85 each).
   */
  public record MakeCredentialRow(double keyGenPerSec, double keyGenAndSignPerSec, double packedPerSec, double nonePerSec) {
    /** makeCredential with packed attestation over (key generation + signature). */
    public double packedRatio() {
      return packedPerSec / keyGenAndSignPerSec;
    }

    /** makeCredential with attestation none over key generation. */
    public double noneRatio() {
      return nonePerSec / keyGenPerSec;
    }
  }

  /** How long one operation runs before the next takes its turn, in {@link #runMakeCredential}. */
  private static final Duration SLICE = Duration.ofMillis(5);

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The ratio issue 14 asks of makeCredential against each baseline. */
  public static final double MAKE_CREDENTIAL_TARGET = 0.85;

  /**
   * {@link MakeCredentialRow}: the baselines are the same provider's calls the engine makes
   * ({@link CredentialKey#generate} with a secure random source, then {@link CredentialKey#sign} of
   * a packed statement's size), interleaved round by round with makeCredential on two fresh
   * in-memory devices, {@code withAttestation} giving one whose profile has the format asked for.
   */
  public MakeCredentialRow runMakeCredential(PrintStream out, java.util.function.Function<dev.softkey.core.profile.AttestationFormat, DeviceFactory.Device> withAttestation) {
    RandomSource secure = RandomSource.secure();
    // authenticatorData (37 + 16 + 2 + a ~90-byte ID + 77-byte COSE key) || clientDataHash
    byte[] attToBeSigned = new byte[256];
    CredentialKey signer = CredentialKey.generate(CoseAlgorithm.ES256, secure);
    Runnable keyGen = () -> CredentialKey.generate(CoseAlgorithm.ES256, secure);
    Runnable keyGenAndSign = () -> {
      CredentialKey.generate(CoseAlgorithm.ES256, secure);
      signer.sign(attToBeSigned);
    };
    byte[] mc = request(0x01, makeCredentialParams(CoseAlgorithm.ES256));
    CtapDevice packed = withAttestation.apply(dev.softkey.core.profile.AttestationFormat.PACKED).authenticator().orElseThrow();
    CtapDevice none = withAttestation.apply(dev.softkey.core.profile.AttestationFormat.NONE).authenticator().orElseThrow();
    Runnable packedOp = () -> check(packed.process(mc, OperationContext.INTERNAL));
    Runnable noneOp = () -> check(none.process(mc, OperationContext.INTERNAL));
    List<Runnable> ops = List.of(keyGen, keyGenAndSign, packedOp, noneOp);
    for (Runnable op : ops) {
      loop(op, warmup);
    }
    // Each round runs the four in turn in slices of SLICE, so load from elsewhere on the machine
    // (a shared CI host) hits baselines and engine alike; a figure is a round's operations over its
    // time, the median over the rounds reported (the best round of each would pick different
    // moments of a fluctuating load).
    double[][] perRound = new double[ops.size()][rounds];
    for (int i = 0; i < rounds; i++) {
      long[] n = new long[ops.size()];
      long[] nanos = new long[ops.size()];
      long end = System.nanoTime() + measure.toNanos() * ops.size();
      while (System.nanoTime() < end) {
        for (int j = 0; j < ops.size(); j++) {
          long start = System.nanoTime();
          long stop = start + SLICE.toNanos();
          long now;
          do {
            ops.get(j).run();
            n[j]++;
            now = System.nanoTime();
          } while (now < stop);
          nanos[j] += now - start;
        }
      }
      for (int j = 0; j < ops.size(); j++) {
        perRound[j][i] = n[j] / (nanos[j] / 1e9);
      }
    }
    MakeCredentialRow row =
        new MakeCredentialRow(median(perRound[0]), median(perRound[1]), median(perRound[2]), median(perRound[3]));
    out.printf("%nES256 makeCredential next to its limit (same provider, same run, median of %d round(s); target >= %.2f x):%n", rounds, MAKE_CREDENTIAL_TARGET);
    out.printf("%-30s %10.0f/s%n", "key generation", row.keyGenPerSec());
    out.printf("%-30s %10.0f/s%n", "key generation + signature", row.keyGenAndSignPerSec());
    out.printf("%-30s %10.0f/s   %.2f x (key generation + signature)%n", "makeCredential, packed", row.packedPerSec(), row.packedRatio());
    out.printf("%-30s %10.0f/s   %.2f x key generation%n", "makeCredential, none", row.nonePerSec(), row.noneRatio());
    return row;
  }

  /** getAssertion over CTAPHID on UDP loopback next to the same request in process. */
  public record UdpRow(double inProcessPerSec, double udpPerSec, double pingMedianMicros, double getAssertionMedianMicros) {
    public double ratio() {
      return udpPerSec / inProcessPerSec;
    }
  }

  /** ES256 getAssertion through softkey's own CTAPHID client, UDP back-end and CTAPHID device. */
  public UdpRow runUdp(PrintStream out) {
    CtapDevice a = devices.get().authenticator().orElseThrow();
    byte[] mcResp = a.process(request(0x01, makeCredentialParams(CoseAlgorithm.ES256)), OperationContext.INTERNAL);
    check(mcResp);
    byte[] ga = request(0x02, getAssertionParams(credentialId(mcResp)));
    int devicePort = freeUdpPort();
    int replyPort = freeUdpPort();
    dev.softkey.usb.backend.UdpBackend backend = dev.softkey.usb.backend.UdpBackend.onLoopback(devicePort, replyPort);
    try (dev.softkey.usb.ctaphid.CtapHidDevice hid = dev.softkey.usb.ctaphid.CtapHidDevice.builder(a).start(backend);
        dev.softkey.usb.client.CtapHidClient client =
            dev.softkey.usb.client.CtapHidClient.of(dev.softkey.usb.client.UdpHidTransport.open(devicePort, replyPort))) {
      client.init();
      Runnable inProcess = () -> check(a.process(ga, OperationContext.INTERNAL));
      Runnable overUdp = () -> check(client.cbor(ga));
      loop(inProcess, warmup);
      loop(overUdp, warmup);
      double local = 0;
      double udp = 0;
      for (int i = 0; i < rounds; i++) {
        local = Math.max(local, loop(inProcess, measure));
        udp = Math.max(udp, loop(overUdp, measure));
      }
      double ping = medianMicros(() -> client.ping(new byte[0]), 500);
      double gaLatency = medianMicros(overUdp, 500);
      UdpRow row = new UdpRow(local, udp, ping, gaLatency);
      out.printf("%nCTAPHID over UDP loopback (ES256 getAssertion, softkey's own client):%n");
      out.printf("%-22s %12.0f/s%n", "in-process", row.inProcessPerSec());
      out.printf("%-22s %12.0f/s   (%.2f x in-process)%n", "over UDP", row.udpPerSec(), row.ratio());
      out.printf("%-22s %12.0f us (median of 500)%n", "PING transaction", row.pingMedianMicros());
      out.printf("%-22s %12.0f us (median of 500)%n", "getAssertion latency", row.getAssertionMedianMicros());
      return row;
    } finally {
      backend.close();
    }
  }

  private static double medianMicros(Runnable op, int n) {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      op.run();
      t[i] = System.nanoTime() - s;
    }
    java.util.Arrays.sort(t);
    return t[n / 2] / 1000.0;
  }

  private static int freeUdpPort() {
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * QR-to-assertion over loopback: QR code made, phone scans it, tunnel opened, advert (in-process
   * radio, no radio delays), handshake, getInfo, getAssertion, shutdown. Median and 90th
   * percentile in milliseconds over {@code n} transactions after warm-up ones.
   */
  public double[] runHybrid(PrintStream out, int n) throws Exception {
    DeviceFactory.Device d = devices.get();
    CtapDevice a = d.authenticator().orElseThrow();
    try (dev.softkey.hybrid.tunnel.TunnelServer server = dev.softkey.hybrid.tunnel.TunnelServer.startLoopback(0)) {
      var radio = new dev.softkey.hybrid.ble.InProcessRadio();
      var opts = dev.softkey.hybrid.session.HybridOptions.loopback(java.net.URI.create("ws://127.0.0.1:" + server.port()));
      var phone = new dev.softkey.hybrid.session.HybridAuthenticator(a, d.state().orElseThrow(), radio, dev.softkey.ctap.crypto.RandomSource.secure(), opts, "bench");
      var desktop = new dev.softkey.hybrid.session.HybridInitiator(radio, dev.softkey.ctap.crypto.RandomSource.secure(), opts);
      byte[] mcResp = a.process(request(0x01, makeCredentialParams(CoseAlgorithm.ES256)), OperationContext.INTERNAL);
      check(mcResp);
      byte[] ga = request(0x02, getAssertionParams(credentialId(mcResp)));
      java.util.concurrent.ExecutorService phoneThread = java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        int warm = Math.max(5, n / 5);
        long[] ms = new long[n];
        for (int i = 0; i < warm + n; i++) {
          long start = System.nanoTime();
          var pending = desktop.startQr(dev.softkey.hybrid.qr.RequestType.GET_ASSERTION, false);
          String url = pending.fidoUrl();
          var served = phoneThread.submit(() -> phone.serveQr(url));
          try (var channel = pending.connect()) {
            check(channel.transact(ga));
          }
          served.get();
          long t = System.nanoTime() - start;
          if (i >= warm) {
            ms[i - warm] = t;
          }
        }
        java.util.Arrays.sort(ms);
        double median = ms[n / 2] / 1e6;
        double p90 = ms[(int) (n * 0.9)] / 1e6;
        out.printf("%nHybrid QR-to-assertion over loopback (real WebSockets, in-process radio, %d transactions):%n", n);
        out.printf("%-22s %9.1f ms%n", "median", median);
        out.printf("%-22s %9.1f ms   (target < 150 ms)%n", "90th percentile", p90);
        return new double[] {median, p90};
      } finally {
        phoneThread.shutdownNow();
      }
    }
  }

  public List<Row> run(PrintStream out) {
    List<Row> rows = new ArrayList<>();
    out.printf("softkey bench: %d round(s) of %d ms after %d ms warm-up, best round reported, JDK %s%n",
        rounds, measure.toMillis(), warmup.toMillis(), System.getProperty("java.version"));
    out.printf("%-7s %14s %16s %18s %8s%n", "alg", "raw sign/s", "getAssertion/s", "makeCredential/s", "ga/raw");
    for (CoseAlgorithm alg : List.of(CoseAlgorithm.ES256, CoseAlgorithm.EDDSA)) {
      Row r = measure(alg);
      rows.add(r);
      out.printf("%-7s %14.0f %16.0f %18.0f %8.2f%n", alg.jsonName(), r.rawSignPerSec(), r.getAssertionPerSec(),
          r.makeCredentialPerSec(), r.ratio());
    }
    return rows;
  }

  private Row measure(CoseAlgorithm alg) {
    // Raw: the same provider (Bouncy Castle lightweight API via CredentialKey), the same message size.
    CredentialKey key = CredentialKey.generate(alg, RandomSource.seeded(1));
    byte[] message = new byte[37 + 32];
    Runnable rawOp = () -> key.sign(message);

    CtapDevice a = devices.get().authenticator().orElseThrow();
    byte[] mc = request(0x01, makeCredentialParams(alg));
    byte[] mcResp = a.process(mc, OperationContext.INTERNAL);
    if (mcResp[0] != 0) {
      throw new IllegalStateException("makeCredential failed with status " + (mcResp[0] & 0xFF));
    }
    Bytes credentialId = credentialId(mcResp);
    byte[] ga = request(0x02, getAssertionParams(credentialId));
    Runnable gaOp = () -> check(a.process(ga, OperationContext.INTERNAL));
    Runnable mcOp = () -> check(a.process(mc, OperationContext.INTERNAL));
    // Rounds interleave the three, so load from elsewhere on the machine hits them alike.
    loop(rawOp, warmup);
    loop(gaOp, warmup);
    loop(mcOp, warmup);
    double raw = 0;
    double gaRate = 0;
    double mcRate = 0;
    for (int i = 0; i < rounds; i++) {
      raw = Math.max(raw, loop(rawOp, measure));
      gaRate = Math.max(gaRate, loop(gaOp, measure));
      mcRate = Math.max(mcRate, loop(mcOp, measure));
    }
    return new Row(alg.jsonName(), raw, gaRate, mcRate);
  }

  static void check(byte[] resp) {
    if (resp[0] != 0) {
      throw new IllegalStateException("request failed with status " + (resp[0] & 0xFF));
    }
  }

  private static double loop(Runnable op, Duration d) {
    long end = System.nanoTime() + d.toNanos();
    long start = System.nanoTime();
    long n = 0;
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        op.run();
      }
      n += 16;
      now = System.nanoTime();
    } while (now < end);
    return n / ((now - start) / 1e9);
  }

  static byte[] request(int command, Map<Object, Object> params) {
    byte[] body = CborEncoder.encode(params);
    byte[] req = new byte[body.length + 1];
    req[0] = (byte) command;
    System.arraycopy(body, 0, req, 1, body.length);
    return req;
  }

  private static Map<Object, Object> makeCredentialParams(CoseAlgorithm alg) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, new byte[32]);
    m.put(2L, Map.of("id", "bench.example"));
    m.put(3L, Map.of("id", new byte[] {1}, "name", "bench"));
    m.put(4L, List.of(Map.of("alg", (long) alg.id(), "type", "public-key")));
    return m;
  }

  private static Map<Object, Object> getAssertionParams(Bytes credentialId) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, "bench.example");
    m.put(2L, new byte[32]);
    m.put(3L, List.of(Map.of("id", credentialId, "type", "public-key")));
    return m;
  }

  private static Bytes credentialId(byte[] mcResp) {
    CborMap m = (CborMap) CborDecoder.decode(mcResp, 1, mcResp.length - 1);
    byte[] ad = m.bytes(2).unsafeArray();
    int len = ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF);
    return Bytes.of(ad, 55, len);
  }
}
