/**
 * Coverage-guided fuzz targets (Jazzer {@code @FuzzTest}) over softkey's parsers: the CBOR decoder,
 * the CTAP2 commands on a fresh engine, CTAPHID assembly, the U2F APDU parser, the hybrid QR
 * payload, the Noise handshake and crypter, and the file store. Targets of package-private decoders
 * live in their package (USB/IP, the tunnel's messages). Each target asserts invariants of the
 * spec, not only the absence of an exception; the seed corpora next to each class come from the
 * testvectors module ({@link dev.softkey.fuzz.WriteSeeds}). This module is test code only.
 */
package dev.softkey.fuzz;
