/**
 * Test vectors as data files with provenance, and the loaders that read them.
 *
 * <p>Owns: the vector files under {@code src/main/resources/dev/softkey/testvectors/} (each names
 * its source in a {@code # source:} header line) and small typed loaders ({@link
 * dev.softkey.testvectors.CborVectors}, the generic {@link dev.softkey.testvectors.VectorTable}).
 * Tests reference vectors by name instead of carrying long hex literals.
 *
 * <p>Does not own: any softkey production type. This module depends on nothing but the JDK so
 * that every other module can use it in test scope; values are handed out as hex strings and fresh
 * {@code byte[]} copies, and CTAP status codes by their spec constant names.
 */
package dev.softkey.testvectors;
