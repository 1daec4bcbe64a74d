package dev.softkey.core.profile;

import java.util.Optional;

/**
 * A closed set of values with one spelling each in profile JSON (and, for getInfo members, on the
 * wire). {@link ProfileJson} reads and writes every such enum through this one name.
 */
interface JsonName {
  /** The spelling in profile JSON. */
  String jsonName();

  /** The constant of {@code values} spelled {@code name}, if any. */
  static <E extends Enum<E> & JsonName> Optional<E> find(E[] values, String name) {
    for (E e : values) {
      if (e.jsonName().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
