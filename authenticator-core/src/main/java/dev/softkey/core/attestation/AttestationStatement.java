package dev.softkey.core.attestation;

import java.util.Map;

/**
 * An attestation statement: the {@code fmt} string and the {@code attStmt} map as they go into the
 * makeCredential response (CTAP 2.1 section 6.1.2, members 0x01 and 0x03).
 *
 * @param format "packed", "fido-u2f" or "none"
 * @param statement the attStmt map, CBOR-encodable (keys are text)
 */
public record AttestationStatement(String format, Map<Object, Object> statement) {
  public AttestationStatement {
    statement = Map.copyOf(statement);
  }
}
