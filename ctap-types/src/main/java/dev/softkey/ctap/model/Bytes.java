package dev.softkey.ctap.model;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An immutable byte string with content equality. Records hold {@code Bytes}, never {@code byte[]},
 * because records compare arrays by reference. {@link #toString()} prints the length only, so a
 * secret held in a {@code Bytes} never lands in a log by accident; use {@link #hex()} deliberately.
 */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] data;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** Copies {@code data}. */
  public static Bytes of(byte[] data) {
    return new Bytes(data.clone());
  }

  /** Copies {@code len} bytes of {@code data} from {@code off}. */
  public static Bytes of(byte[] data, int off, int len) {
    return new Bytes(Arrays.copyOfRange(data, off, off + len));
  }

  /** Takes ownership of {@code data}: the caller must not change it afterwards. */
  public static Bytes wrap(byte[] data) {
    return new Bytes(data);
  }

  /** A UUID's 16 bytes, big-endian, as an AAGUID travels in authenticatorData and getInfo (WebAuthn L3 section 6.5.1). */
  public static Bytes fromUuid(java.util.UUID uuid) {
    return wrap(
        java.nio.ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits())
            .array());
  }

  public static Bytes fromHex(String hex) {
    return new Bytes(HEX.parseHex(hex));
  }

  public static Bytes fromBase64Url(String b64) {
    return new Bytes(Base64.getUrlDecoder().decode(b64));
  }

  public static Bytes concat(Bytes... parts) {
    int n = 0;
    for (Bytes p : parts) {
      n += p.data.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (Bytes p : parts) {
      System.arraycopy(p.data, 0, out, o, p.data.length);
      o += p.data.length;
    }
    return new Bytes(out);
  }

  /** A copy of the content. */
  public byte[] toArray() {
    return data.clone();
  }

  /** The backing array, for read-only use on hot paths; never modify it. */
  public byte[] unsafeArray() {
    return data;
  }

  public int length() {
    return data.length;
  }

  public boolean isEmpty() {
    return data.length == 0;
  }

  public int get(int index) {
    return data[index] & 0xFF;
  }

  public Bytes slice(int from, int to) {
    return new Bytes(Arrays.copyOfRange(data, from, to));
  }

  public String hex() {
    return HEX.formatHex(data);
  }

  public String base64Url() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
  }

  /** Constant-time comparison, for MACs and secrets. */
  public boolean constantTimeEquals(Bytes other) {
    return MessageDigest.isEqual(data, other.data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(data, b.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(data, o.data);
  }

  @Override
  public String toString() {
    return "Bytes[" + data.length + "]";
  }
}
