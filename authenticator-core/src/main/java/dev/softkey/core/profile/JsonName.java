package dev.softkey.core.profile;

/**
 * A closed set of values with one spelling each in profile JSON (and, for getInfo members, on the
 * wire). {@link ProfileJson} reads and writes every such enum through this one name.
 */
interface JsonName {
  /** The spelling in profile JSON. */
  String jsonName();
}
