package dev.softkey.platform.largeblob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.command.LargeBlobsRequest;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinCrypto;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.testvectors.Ctap2Vectors;
import dev.softkey.testvectors.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The platform's large-blob array (CTAP 2.1 section 6.10.3) against a stand-in authenticator that
 * stores what it is sent; the real authenticator is in authenticator-core's LargeBlobsClientTest.
 * Vectors: python-fido2 0.9.1's messages (testvectors ctap2/python-fido2-requests.tsv).
 */
class LargeBlobsTest {
  static final String FILE = Ctap2Vectors.PYTHON_FIDO2_REQUESTS;
  static final Bytes INITIAL = Bytes.fromHex("8076be8b528d0075f7aae98d6fa57a6d3c");

  /** Stores the serialized array, answers get and set as the spec's happy path does, records every request. */
  static final class StandIn implements CtapTransport {
    Bytes stored = INITIAL;
    final List<byte[]> requests = new ArrayList<>();
    final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    long expected;

    @Override
    public byte[] transact(byte[] request) {
      requests.add(request);
      LargeBlobsRequest r = LargeBlobsRequest.fromCbor(CborDecoder.decodeMap(Arrays.copyOfRange(request, 1, request.length)));
      if (r.get().isPresent()) {
        int from = (int) r.offset();
        int to = (int) Math.min(stored.length(), from + r.get().get());
        return reply(Map.of(1L, stored.slice(from, to)));
      }
      if (r.offset() == 0) {
        pending.reset();
        expected = r.length().orElseThrow();
      }
      pending.writeBytes(r.set().orElseThrow().unsafeArray());
      if (pending.size() == expected) {
        stored = Bytes.wrap(pending.toByteArray());
      }
      return new byte[] {0};
    }

    static byte[] reply(Map<Object, Object> m) {
      byte[] body = CborEncoder.encode(m);
      byte[] out = new byte[body.length + 1];
      System.arraycopy(body, 0, out, 1, body.length);
      return out;
    }
  }

  static AuthenticatorInfo info(long maxMsgSize) {
    GetInfoResponse r =
        GetInfoResponse.builder(List.of("FIDO_2_1"), Bytes.wrap(new byte[16])).options(Map.of("largeBlobs", true)).maxMsgSize(maxMsgSize).build();
    return AuthenticatorInfo.parse(CborDecoder.decodeMap(CborEncoder.encode(r.toCbor())));
  }

  static Bytes key(int b) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) b);
    return Bytes.wrap(k);
  }

  static Bytes text(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  final StandIn key = new StandIn();
  final LargeBlobs blobs = new LargeBlobs(key, info(1200), Optional.empty(), RandomSource.seeded(1));

  @Nested
  class PythonFido2Vectors {
    @Test
    void reading_sendsPythonFido2sGet_ofMaxFragmentLength() {
      assertThat(blobs.entries()).isEmpty();
      assertThat(key.requests.get(0)).isEqualTo(Ctap2Vectors.message(FILE, "blobs-get"));
      assertThat(blobs.maxFragmentLength()).isEqualTo(1200 - 64);
    }

    @Test
    void writingTheEmptyArray_withAToken_sendsPythonFido2sSet() {
      PinToken t = new PinToken(2, Bytes.wrap(Ctap2Vectors.pythonFido2Token()));
      new LargeBlobs(key, info(1200), Optional.of(t)).write(List.of());
      assertThat(key.requests).hasSize(1);
      // The same bytes, pinUvAuthParam included: length is the whole array's, here one fragment.
      assertThat(key.requests.get(0)).isEqualTo(Ctap2Vectors.message(FILE, "blobs-set-v2"));
    }

    @Test
    void anEntryPythonFido2Wrote_opensWithItsKey_despiteItsZlibWrapping() {
      byte[] set = Ctap2Vectors.message(FILE, "blobs-put-v2-2");
      LargeBlobsRequest r = LargeBlobsRequest.fromCbor(CborDecoder.decodeMap(Arrays.copyOfRange(set, 1, set.length)));
      Bytes serialized = r.set().orElseThrow();
      assertThat(LargeBlobs.hashMatches(serialized)).isTrue();
      key.stored = serialized;
      Bytes k = Bytes.wrap(Hex.decode(Ctap2Vectors.table(FILE).header("large-blob-key").orElseThrow()));
      List<LargeBlobs.Entry> entries = blobs.entries();
      assertThat(entries).singleElement().satisfies(e -> {
        assertThat(e.nonce()).isEqualTo(Bytes.wrap(Hex.decode(Ctap2Vectors.table(FILE).header("blob-nonce").orElseThrow())));
        assertThat(e.origSize()).isEqualTo(18);
      });
      assertThat(blobs.get(k)).contains(text("softkey large blob"));
      assertThat(blobs.get(key(9))).isEmpty();
    }
  }

  @Nested
  class Entries {
    @Test
    void seal_isRawDeflateUnderAes256Gcm_withBlobAndOrigSizeAsAssociatedData() throws Exception {
      Bytes data = text("hello hello hello hello");
      LargeBlobs.Entry e = LargeBlobs.Entry.seal(key(1), data, RandomSource.seeded(2));
      assertThat(e.nonce().length()).isEqualTo(12);
      assertThat(e.origSize()).isEqualTo(data.length());
      // Open it independently: AES-256-GCM, AD "blob" || uint64LE(origSize), raw inflate.
      javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
      c.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key(1).toArray(), "AES"),
          new javax.crypto.spec.GCMParameterSpec(128, e.nonce().toArray()));
      byte[] ad = new byte[12];
      System.arraycopy("blob".getBytes(StandardCharsets.US_ASCII), 0, ad, 0, 4);
      ad[4] = (byte) data.length();
      c.updateAAD(ad);
      byte[] compressed = c.doFinal(e.ciphertext().toArray());
      java.util.zip.Inflater inf = new java.util.zip.Inflater(true);
      inf.setInput(Arrays.copyOf(compressed, compressed.length + 1));
      byte[] out = new byte[100];
      int n = inf.inflate(out);
      assertThat(Arrays.copyOf(out, n)).isEqualTo(data.toArray());
      // Not zlib-wrapped: no 0x78 header.
      assertThat(compressed[0]).isNotEqualTo((byte) 0x78);
    }

    @Test
    void open_refusesAnotherKey_aWrongOrigSize_andATamperedCiphertext() {
      LargeBlobs.Entry e = LargeBlobs.Entry.seal(key(1), text("data"), RandomSource.seeded(2));
      assertThat(e.open(key(1))).contains(text("data"));
      assertThat(e.open(key(2))).isEmpty();
      assertThat(new LargeBlobs.Entry(e.ciphertext(), e.nonce(), 5).open(key(1))).isEmpty();
      byte[] ct = e.ciphertext().toArray();
      ct[0] ^= 1;
      assertThat(new LargeBlobs.Entry(Bytes.wrap(ct), e.nonce(), 4).open(key(1))).isEmpty();
    }

    @Test
    void inflate_insistsOnOrigSize() {
      Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      byte[] data = new byte[1000];
      d.setInput(data);
      d.finish();
      byte[] buf = new byte[2000];
      int n = d.deflate(buf);
      byte[] compressed = Arrays.copyOf(buf, n);
      assertThat(LargeBlobs.inflate(compressed, 1000, true)).hasValueSatisfying(v -> assertThat(v).hasSize(1000));
      assertThat(LargeBlobs.inflate(compressed, 999, true)).isEmpty();
      assertThat(LargeBlobs.inflate(compressed, 1001, true)).isEmpty();
      assertThat(LargeBlobs.inflate(Arrays.copyOf(compressed, n / 2), 1000, true)).isEmpty();
    }
  }

  @Nested
  class Array {
    @Test
    void aHashThatDoesNotMatch_isTheInitialEmptyArray() {
      LargeBlobs.Entry e = LargeBlobs.Entry.seal(key(1), text("data"), RandomSource.seeded(2));
      byte[] bad = LargeBlobs.serialize(List.of(e)).toArray();
      bad[bad.length - 1] ^= 1;
      key.stored = Bytes.wrap(bad);
      assertThat(blobs.entries()).isEmpty();
      assertThat(blobs.get(key(1))).isEmpty();
    }

    @Test
    void serialize_isTheCborArrayAndItsTruncatedSha256() {
      assertThat(LargeBlobs.serialize(List.of())).isEqualTo(INITIAL);
      Bytes s = LargeBlobs.serialize(List.of(LargeBlobs.Entry.seal(key(1), text("x"), RandomSource.seeded(2))));
      byte[] array = s.slice(0, s.length() - 16).toArray();
      assertThat(s.slice(s.length() - 16, s.length())).isEqualTo(Bytes.of(PinCrypto.sha256(array), 0, 16));
      assertThat(CborDecoder.decode(array)).isInstanceOf(List.class);
    }

    @Test
    void putAndDelete_keepElementsThatAreNotEntries() {
      // An element softkey does not understand (a future format) survives a put and a delete.
      Bytes foreign = serializedOf(List.of(Map.of(7L, "future")));
      key.stored = foreign;
      blobs.put(key(1), text("mine"));
      assertThat(blobs.get(key(1))).contains(text("mine"));
      assertThat(blobs.delete(key(1))).isTrue();
      assertThat(key.stored).isEqualTo(foreign);
    }

    @Test
    void delete_withoutAMatchingEntry_writesNothing() {
      blobs.put(key(1), text("mine"));
      int before = key.requests.size();
      assertThat(blobs.delete(key(2))).isFalse();
      // Only the read of the array went out.
      assertThat(key.requests.subList(before, key.requests.size())).allSatisfy(r -> assertThat(r[2]).isEqualTo((byte) 0x01));
    }

    @Test
    void aLongArray_isReadAndWrittenInMaxFragmentLengthPieces_theFirstWithTheLength() {
      Bytes data = Bytes.wrap(RandomSource.seeded(5).bytes(2500));
      blobs.put(key(1), data);
      List<LargeBlobsRequest> sets = new ArrayList<>();
      for (byte[] r : key.requests) {
        LargeBlobsRequest q = LargeBlobsRequest.fromCbor(CborDecoder.decodeMap(Arrays.copyOfRange(r, 1, r.length)));
        q.set().ifPresent(s -> sets.add(q));
      }
      assertThat(sets).hasSize(3);
      assertThat(sets.get(0).offset()).isZero();
      assertThat(sets.get(0).length()).contains((long) key.stored.length());
      assertThat(sets.get(1).offset()).isEqualTo(1136);
      assertThat(sets.get(1).length()).isEmpty();
      assertThat(sets.get(2).offset()).isEqualTo(2272);
      assertThat(sets).allSatisfy(s -> assertThat(s.set().orElseThrow().length()).isLessThanOrEqualTo(1136));
      key.requests.clear();
      assertThat(blobs.get(key(1))).contains(data);
      assertThat(key.requests).hasSize(3);
    }

    @Test
    void aKeyWithoutTheLargeBlobsOption_isInvalidCommand() {
      GetInfoResponse r = GetInfoResponse.builder(List.of("FIDO_2_1"), Bytes.wrap(new byte[16])).build();
      AuthenticatorInfo none = AuthenticatorInfo.parse(CborDecoder.decodeMap(CborEncoder.encode(r.toCbor())));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LargeBlobs(key, none, Optional.empty()))
          .isInstanceOfSatisfying(dev.softkey.ctap.CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND));
    }

    Bytes serializedOf(List<Object> elements) {
      byte[] array = CborEncoder.encode(elements);
      return Bytes.concat(Bytes.wrap(array), Bytes.of(PinCrypto.sha256(array), 0, 16));
    }
  }
}
