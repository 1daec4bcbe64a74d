package dev.softkey.platform.largeblob;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CtapReply;
import dev.softkey.ctap.command.LargeBlobsRequest;
import dev.softkey.ctap.command.LargeBlobsResponse;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinCrypto;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.pin.PinToken;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The platform side of the large-blob array (CTAP 2.1 section 6.10.3): read the whole serialized
 * array in maxFragmentLength (maxMsgSize − 64) pieces and check its truncated SHA-256, write it in
 * fragments (the first carrying the whole length; with a pinUvAuthToken, each fragment's
 * pinUvAuthParam over 32×0xff || h'0c00' || uint32LittleEndian(offset) || SHA-256(fragment)), and
 * the per-credential entries: the data compressed with raw DEFLATE (RFC 1951), then encrypted with
 * AES-256-GCM under the credential's largeBlobKey, with a random 12-byte nonce and the associated
 * data "blob" || uint64LittleEndian(origSize).
 *
 * <p>What real platforms do, followed here: an array whose hash does not match is treated as the
 * initial empty array (the spec's rule, python-fido2's {@code read_blob_array}); {@link #get} takes
 * the first entry that opens with the key and inflates to origSize bytes, and accepts zlib-wrapped
 * (RFC 1950) data too, which python-fido2 0.9.1 writes ({@code zlib.compress}) and libfido2 also
 * reads; {@link #put} and {@link #delete} keep every entry that does not open with the key, also
 * entries this class cannot parse (python-fido2 and libfido2 do the same).
 *
 * <p>Failures are {@link CtapException}s with the authenticator's status (CTAP1_ERR_INVALID_COMMAND
 * for a key without authenticatorLargeBlobs, CTAP2_ERR_PUAT_REQUIRED for a write to a protected
 * key without a token, CTAP2_ERR_LARGE_BLOB_STORAGE_FULL for an array beyond
 * maxSerializedLargeBlobArray).
 */
public final class LargeBlobs {
  /** maxFragmentLength = maxMsgSize − 64 (section 6.10.1). */
  public static final int FRAGMENT_OVERHEAD = 64;
  /** maxMsgSize when getInfo does not report one (section 6.4). */
  public static final int DEFAULT_MAX_MSG_SIZE = 1024;
  /** The truncated SHA-256 after the CBOR array. */
  public static final int HASH_LENGTH = 16;
  public static final int NONCE_LENGTH = 12;
  public static final int KEY_LENGTH = 32;
  /** The largest origSize inflated (libfido2's BOUND): a larger entry is not opened, so a corrupt one cannot exhaust memory. */
  public static final int MAX_ORIG_SIZE = 1024 * 1024;
  private static final int TAG_BITS = 128;
  private static final long K_CIPHERTEXT = 1;
  private static final long K_NONCE = 2;
  private static final long K_ORIG_SIZE = 3;

  /**
   * Entry of the large-blob array (CTAP 2.1 section 6.10.3): 1 ciphertext, 2 nonce (12 bytes), 3
   * origSize.
   *
   * @param ciphertext the AES-256-GCM ciphertext of the compressed data, its 16-byte tag last
   * @param nonce the 12-byte nonce
   * @param origSize the length of the data before compression
   */
  public record Entry(Bytes ciphertext, Bytes nonce, long origSize) {
    public Entry {
      Objects.requireNonNull(ciphertext, "ciphertext");
      Objects.requireNonNull(nonce, "nonce");
      if (nonce.length() != NONCE_LENGTH) {
        throw new IllegalArgumentException("nonce must be 12 bytes");
      }
      if (ciphertext.length() < TAG_BITS / 8) {
        throw new IllegalArgumentException("ciphertext is shorter than the GCM tag");
      }
      if (origSize < 0) {
        throw new IllegalArgumentException("origSize must not be negative");
      }
    }

    /** The entry as the array holds it: {1: ciphertext, 2: nonce, 3: origSize}. */
    public Map<Object, Object> toCbor() {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(K_CIPHERTEXT, ciphertext);
      m.put(K_NONCE, nonce);
      m.put(K_ORIG_SIZE, origSize);
      return m;
    }

    /** An array element as an entry; empty for anything but a well-formed entry map. */
    public static Optional<Entry> fromCbor(Object element) {
      if (!(element instanceof CborMap m)) {
        return Optional.empty();
      }
      try {
        Optional<Bytes> ct = m.optBytes(K_CIPHERTEXT);
        Optional<Bytes> nonce = m.optBytes(K_NONCE);
        Optional<Long> size = m.optLong(K_ORIG_SIZE);
        if (ct.isEmpty() || nonce.isEmpty() || size.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new Entry(ct.get(), nonce.get(), size.get()));
      } catch (CtapException | IllegalArgumentException e) {
        return Optional.empty();
      }
    }

    /**
     * Encrypts {@code data} for the credential whose largeBlobKey is {@code key}: raw DEFLATE, then
     * AES-256-GCM with a random nonce and associated data "blob" || uint64LittleEndian(origSize).
     */
    public static Entry seal(Bytes key, Bytes data, RandomSource random) {
      Bytes nonce = Bytes.wrap(random.bytes(NONCE_LENGTH));
      byte[] compressed = deflate(data.unsafeArray());
      try {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, aesKey(key), new GCMParameterSpec(TAG_BITS, nonce.unsafeArray()));
        gcm.updateAAD(associatedData(data.length()));
        return new Entry(Bytes.wrap(gcm.doFinal(compressed)), nonce, data.length());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM unavailable", e);
      }
    }

    /**
     * The data, if this entry opens with {@code key} and inflates to exactly origSize bytes; empty
     * otherwise (another credential's entry, or a corrupt one).
     */
    public Optional<Bytes> open(Bytes key) {
      byte[] compressed;
      try {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, aesKey(key), new GCMParameterSpec(TAG_BITS, nonce.unsafeArray()));
        gcm.updateAAD(associatedData(origSize));
        compressed = gcm.doFinal(ciphertext.unsafeArray());
      } catch (AEADBadTagException e) {
        return Optional.empty();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM unavailable", e);
      }
      if (origSize > MAX_ORIG_SIZE) {
        return Optional.empty();
      }
      // Raw DEFLATE (the spec); zlib-wrapped (python-fido2 0.9.1) as a fallback.
      Optional<byte[]> data = inflate(compressed, (int) origSize, true);
      if (data.isEmpty()) {
        data = inflate(compressed, (int) origSize, false);
      }
      return data.map(Bytes::wrap);
    }

    /** Whether this entry opens with {@code key} (the GCM tag checks). */
    boolean opensWith(Bytes key) {
      try {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, aesKey(key), new GCMParameterSpec(TAG_BITS, nonce.unsafeArray()));
        gcm.updateAAD(associatedData(origSize));
        gcm.doFinal(ciphertext.unsafeArray());
        return true;
      } catch (AEADBadTagException e) {
        return false;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM unavailable", e);
      }
    }
  }

  private final CtapTransport transport;
  private final Optional<PinToken> token;
  private final RandomSource random;
  private final int maxFragmentLength;
  private final long maxRead;

  /**
   * @param token a pinUvAuthToken with permission lbw, for writes to a protected authenticator;
   *     empty otherwise
   */
  public LargeBlobs(CtapTransport transport, AuthenticatorInfo info, Optional<PinToken> token) {
    this(transport, info, token, RandomSource.secure());
  }

  /** As above, with the random source of the entries' nonces (seeded in tests). */
  public LargeBlobs(CtapTransport transport, AuthenticatorInfo info, Optional<PinToken> token, RandomSource random) {
    this.transport = Objects.requireNonNull(transport);
    this.token = Objects.requireNonNull(token);
    this.random = Objects.requireNonNull(random);
    if (!info.option("largeBlobs").orElse(false)) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_COMMAND, "the authenticator has no large-blob storage");
    }
    long maxMsgSize = info.response().maxMsgSize().orElse((long) DEFAULT_MAX_MSG_SIZE);
    this.maxFragmentLength = (int) Math.min(Integer.MAX_VALUE, maxMsgSize - FRAGMENT_OVERHEAD);
    if (maxFragmentLength <= 0) {
      throw new IllegalArgumentException("maxMsgSize leaves no room for a fragment");
    }
    // A read stops at the array's longest possible length (and a fragment), whatever the key answers.
    this.maxRead = info.response().maxSerializedLargeBlobArray().orElse((long) MAX_ORIG_SIZE) + maxFragmentLength;
  }

  /** maxFragmentLength: maxMsgSize − 64. */
  public int maxFragmentLength() {
    return maxFragmentLength;
  }

  /**
   * The serialized large-blob array as stored, read in maxFragmentLength pieces until a shorter one
   * (section 6.10.3, reading), hash unchecked.
   */
  public Bytes readSerialized() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    long offset = 0;
    while (true) {
      LargeBlobsResponse r =
          LargeBlobsResponse.fromCbor(CtapReply.body(transport.transact(LargeBlobsRequest.get(offset, maxFragmentLength).encode())));
      Bytes fragment = r.config().orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_INVALID_CBOR, "the response lacks config"));
      if (fragment.length() > maxFragmentLength) {
        throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "the key answered more than maxFragmentLength bytes");
      }
      buf.writeBytes(fragment.unsafeArray());
      if (fragment.length() < maxFragmentLength) {
        return Bytes.wrap(buf.toByteArray());
      }
      if (buf.size() > maxRead) {
        throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "the array is longer than maxSerializedLargeBlobArray");
      }
      offset += fragment.length();
    }
  }

  /** The array's elements; empty when its hash does not match or it is no CBOR array (the initial array then). */
  private List<Object> elements() {
    Bytes serialized = readSerialized();
    if (!hashMatches(serialized)) {
      return List.of();
    }
    try {
      Object decoded = CborDecoder.decode(serialized.slice(0, serialized.length() - HASH_LENGTH).unsafeArray());
      if (decoded instanceof List<?> list) {
        return new ArrayList<>(list);
      }
    } catch (CtapException e) {
      // not canonical CBOR: treated as the initial array
    }
    return List.of();
  }

  /**
   * The entries of the array (elements that are not entries are left out); the initial empty array
   * when the hash does not match.
   */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (Object e : elements()) {
      Entry.fromCbor(e).ifPresent(out::add);
    }
    return out;
  }

  /** The data of the first entry that opens with {@code largeBlobKey}. */
  public Optional<Bytes> get(Bytes largeBlobKey) {
    requireKey(largeBlobKey);
    for (Entry e : entries()) {
      Optional<Bytes> data = e.open(largeBlobKey);
      if (data.isPresent()) {
        return data;
      }
    }
    return Optional.empty();
  }

  /** Replaces the entries that open with {@code largeBlobKey} by one holding {@code data}, and writes the array. */
  public void put(Bytes largeBlobKey, Bytes data) {
    requireKey(largeBlobKey);
    List<Object> kept = othersThan(largeBlobKey, elements());
    kept.add(Entry.seal(largeBlobKey, data, random).toCbor());
    writeElements(kept);
  }

  /** Removes the entries that open with {@code largeBlobKey} and writes the array; false (nothing written) if none does. */
  public boolean delete(Bytes largeBlobKey) {
    requireKey(largeBlobKey);
    List<Object> all = elements();
    List<Object> kept = othersThan(largeBlobKey, all);
    if (kept.size() == all.size()) {
      return false;
    }
    writeElements(kept);
    return true;
  }

  /** Serializes {@code entries} with the truncated hash and writes them in fragments, replacing the whole array. */
  public void write(List<Entry> entries) {
    List<Object> elements = new ArrayList<>();
    for (Entry e : entries) {
      elements.add(e.toCbor());
    }
    writeElements(elements);
  }

  /**
   * Writes a serialized array as it is (section 6.10.3, writing): fragments of at most
   * maxFragmentLength at consecutive offsets, length with the first, each authenticated when a
   * token is given.
   */
  public void writeSerialized(Bytes serialized) {
    long offset = 0;
    int size = serialized.length();
    do {
      int n = Math.min(size - (int) offset, maxFragmentLength);
      Bytes fragment = serialized.slice((int) offset, (int) offset + n);
      LargeBlobsRequest r = LargeBlobsRequest.set(offset, fragment, offset == 0 ? Optional.of((long) size) : Optional.empty());
      if (token.isPresent()) {
        PinToken t = token.get();
        r = r.withPinUvAuth(t.protocol(), t.authenticate(LargeBlobsRequest.pinUvAuthMessage(offset, fragment).unsafeArray()));
      }
      CtapReply.body(transport.transact(r.encode()));
      offset += n;
    } while (offset < size);
  }

  /** CBOR array || LEFT(SHA-256(array), 16). */
  public static Bytes serialize(List<Entry> entries) {
    List<Object> elements = new ArrayList<>();
    for (Entry e : entries) {
      elements.add(e.toCbor());
    }
    return serializeElements(elements);
  }

  /** Whether the last 16 bytes are LEFT(SHA-256(the bytes before them), 16). */
  public static boolean hashMatches(Bytes serialized) {
    if (serialized.length() < 1 + HASH_LENGTH) {
      return false;
    }
    int n = serialized.length() - HASH_LENGTH;
    byte[] digest = PinCrypto.sha256(serialized.slice(0, n).unsafeArray());
    return Bytes.of(digest, 0, HASH_LENGTH).constantTimeEquals(serialized.slice(n, serialized.length()));
  }

  private void writeElements(List<Object> elements) {
    writeSerialized(serializeElements(elements));
  }

  private static Bytes serializeElements(List<Object> elements) {
    byte[] array = CborEncoder.encode(elements);
    byte[] digest = PinCrypto.sha256(array);
    return Bytes.concat(Bytes.wrap(array), Bytes.of(digest, 0, HASH_LENGTH));
  }

  /** The elements that are not entries opening with {@code key}, in order. */
  private static List<Object> othersThan(Bytes key, List<Object> elements) {
    List<Object> kept = new ArrayList<>();
    for (Object e : elements) {
      Optional<Entry> entry = Entry.fromCbor(e);
      if (entry.isPresent() && entry.get().opensWith(key)) {
        continue;
      }
      kept.add(e);
    }
    return kept;
  }

  private static void requireKey(Bytes key) {
    if (key.length() != KEY_LENGTH) {
      throw new IllegalArgumentException("a largeBlobKey is 32 bytes");
    }
  }

  private static SecretKeySpec aesKey(Bytes key) {
    requireKey(key);
    return new SecretKeySpec(key.unsafeArray(), "AES");
  }

  /** "blob" || uint64LittleEndian(origSize). */
  private static byte[] associatedData(long origSize) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put("blob".getBytes(StandardCharsets.US_ASCII));
    b.putLong(origSize);
    return b.array();
  }

  /** Raw DEFLATE (RFC 1951), as the spec and libfido2 compress. */
  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      d.setInput(data);
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[1024];
      while (!d.finished()) {
        out.write(buf, 0, d.deflate(buf));
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  /**
   * Inflates to exactly {@code size} bytes: raw DEFLATE when {@code raw}, else zlib (RFC 1950);
   * empty when the stream is corrupt, unfinished, or inflates to another size (never more than
   * size + 1 bytes are produced).
   */
  static Optional<byte[]> inflate(byte[] compressed, int size, boolean raw) {
    Inflater inf = new Inflater(raw);
    try {
      // A raw stream may need one byte past its end (java.util.zip.Inflater's nowrap note).
      inf.setInput(raw ? Arrays.copyOf(compressed, compressed.length + 1) : compressed);
      byte[] out = new byte[size + 1];
      int n = 0;
      while (!inf.finished() && n < out.length) {
        int r = inf.inflate(out, n, out.length - n);
        n += r;
        if (r == 0 && !inf.finished()) {
          return Optional.empty(); // truncated, or waiting for a dictionary
        }
      }
      if (!inf.finished() || n != size) {
        return Optional.empty();
      }
      return Optional.of(Arrays.copyOf(out, size));
    } catch (DataFormatException e) {
      return Optional.empty();
    } finally {
      inf.end();
    }
  }
}
