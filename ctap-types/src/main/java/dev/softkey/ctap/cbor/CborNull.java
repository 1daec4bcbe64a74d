package dev.softkey.ctap.cbor;

/** The CBOR {@code null} simple value (0xF6); Java {@code null} never stands for it. */
public enum CborNull {
  INSTANCE
}
