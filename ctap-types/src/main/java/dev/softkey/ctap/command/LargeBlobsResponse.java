package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * authenticatorLargeBlobs response members (CTAP 2.1 section 6.10.2): a get answers with config, a
 * set with no members.
 *
 * @param config 0x01, the fragment read
 */
public record LargeBlobsResponse(Optional<Bytes> config) implements CborEncodable {
  public static final long CONFIG = 0x01;

  public LargeBlobsResponse {
    Objects.requireNonNull(config, "config");
  }

  public static LargeBlobsResponse empty() {
    return new LargeBlobsResponse(Optional.empty());
  }

  public static LargeBlobsResponse ofConfig(Bytes fragment) {
    return new LargeBlobsResponse(Optional.of(fragment));
  }

  public static LargeBlobsResponse fromCbor(CborMap m) {
    return new LargeBlobsResponse(m.optBytes(CONFIG));
  }

  /** The members as a map; the answer to a set is an empty map, which the dispatcher sends as no body. */
  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create().putOpt(CONFIG, config).build();
  }
}
