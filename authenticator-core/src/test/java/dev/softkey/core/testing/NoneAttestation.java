package dev.softkey.core.testing;

import dev.softkey.core.attestation.AttestationInput;
import dev.softkey.core.attestation.AttestationProvider;
import dev.softkey.core.attestation.AttestationStatement;
import java.util.Map;

/** Test double until the real provider is wired: "none" attestation only. */
final class NoneAttestation implements AttestationProvider {
  @Override public AttestationStatement attest(String kind, AttestationInput input) { return new AttestationStatement("none", Map.of()); }
  @Override public byte[] signU2f(byte[] data) { throw new UnsupportedOperationException("test double"); }
  @Override public byte[] u2fCertificate() { throw new UnsupportedOperationException("test double"); }
}
