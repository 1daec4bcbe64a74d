package dev.softkey.ctap.cbor;

/** A value that knows its CBOR form (a map, a list, ...), for {@link CborEncoder}. */
public interface CborEncodable {
  Object toCbor();
}
