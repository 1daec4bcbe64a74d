package dev.softkey.bench;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * softkey's CTAP engine, CTAP bytes in and CTAP bytes out through {@link Authenticator#process}:
 * request decoding, the CTAP 2.1 steps, the credential ID sealed or unsealed, counters, signing,
 * the canonical CBOR of the response. Requests are built once in {@link #setUp}; the engine keeps
 * its in-memory stores, as a running key does.
 */
@State(Scope.Thread)
public class Engine extends Throughput {
  private Authenticator packed;
  private Authenticator none;
  private byte[] makeCredentialEs256;
  private byte[] getAssertionEs256;
  private byte[] getAssertionEd25519;

  @Setup
  public void setUp() {
    AttestationCa ca = AttestationCa.inMemory();
    packed = EngineOps.engine(AttestationFormat.PACKED, ca);
    none = EngineOps.engine(AttestationFormat.NONE, ca);
    makeCredentialEs256 = EngineOps.makeCredential(CoseAlgorithm.ES256);
    getAssertionEs256 = EngineOps.getAssertion(packed, CoseAlgorithm.ES256);
    getAssertionEd25519 = EngineOps.getAssertion(packed, CoseAlgorithm.EDDSA);
  }

  /** ES256 authenticatorGetAssertion of a non-discoverable credential: one signature. */
  @Benchmark
  public byte[] getAssertion() {
    return EngineOps.ok(packed.process(getAssertionEs256, OperationContext.INTERNAL));
  }

  /** EdDSA (Ed25519) authenticatorGetAssertion of a non-discoverable credential. */
  @Benchmark
  public byte[] getAssertionEd25519() {
    return EngineOps.ok(packed.process(getAssertionEd25519, OperationContext.INTERNAL));
  }

  /** ES256 authenticatorMakeCredential, packed attestation: a key generation and the batch key's signature. */
  @Benchmark
  public byte[] makeCredentialPacked() {
    return EngineOps.ok(packed.process(makeCredentialEs256, OperationContext.INTERNAL));
  }

  /** ES256 authenticatorMakeCredential, attestation none: a key generation and no signature. */
  @Benchmark
  public byte[] makeCredentialNone() {
    return EngineOps.ok(none.process(makeCredentialEs256, OperationContext.INTERNAL));
  }
}
